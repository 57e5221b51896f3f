import type { AuthResult } from '@palco/sdk/protocol';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** fetch against a test server, JSON in and out. */
export async function api<T = any>(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined || init.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(baseUrl + path, {
    method: init.method ?? (init.body !== undefined || init.rawBody !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export async function loginAs(baseUrl: string, slug: string, email: string, password: string): Promise<AuthResult> {
  const response = await api<AuthResult>(baseUrl, `/api/events/${slug}/login`, { body: { email, password } });
  if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

let counter = 0;
/** Registers a fresh attendee of the demo event. */
export async function registerAttendee(baseUrl: string, slug = 'demo-fast', domain = 'produccionesfast.com'): Promise<AuthResult> {
  counter += 1;
  const email = `user${Date.now()}${counter}@${domain}`;
  const response = await api<AuthResult>(baseUrl, `/api/events/${slug}/register`, {
    body: { name: `Asistente ${counter}`, email, phone: '+34 600 000 000' },
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
