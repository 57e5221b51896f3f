import { api } from '../support/http.js';
import type { TestServer } from '../support/server.js';

let counter = 0;

/** A fresh open event, so each test's webhooks see only its own traffic. */
export async function createEvent(server: TestServer, token: string): Promise<{ id: number; slug: string; title: string }> {
  counter += 1;
  const slug = `hooks-${Date.now()}-${counter}`;
  const response = await api(server.url, '/api/admin/events', { token, body: { slug, title: `Evento ${counter}` } });
  if (response.status !== 201) throw new Error(`event creation failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function registerTo(server: TestServer, slug: string) {
  counter += 1;
  return api(server.url, `/api/events/${slug}/register`, {
    body: { name: `Asistente ${counter}`, email: `asistente${counter}.${Date.now()}@empresa.com`, phone: '+34 600 000 000' },
  });
}

