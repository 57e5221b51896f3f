import type { AuthResult, StaffMember } from '@palco/sdk/protocol';
import { api } from './http.js';
import { testAdmin } from './server.js';

/** A session token of the test server's global administrator. */
export async function adminToken(baseUrl: string): Promise<string> {
  const response = await api<AuthResult>(baseUrl, '/api/auth/login', { body: testAdmin });
  if (response.status !== 200) throw new Error(`admin login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token;
}

/** The id of an event, looked up by slug through the public API. */
export async function eventId(baseUrl: string, slug: string): Promise<number> {
  const response = await api<{ id: number }>(baseUrl, `/api/events/${slug}`);
  if (response.status !== 200) throw new Error(`no event ${slug}: ${response.status}`);
  return response.body.id;
}

/** Creates a moderator or speaker through the admin API. */
export async function createStaff(
  baseUrl: string,
  token: string,
  slug: string,
  staff: { name: string; email: string; role: 'moderador' | 'speaker'; password: string },
): Promise<StaffMember> {
  const id = await eventId(baseUrl, slug);
  const response = await api<StaffMember>(baseUrl, `/api/admin/events/${id}/staff`, { body: staff, token });
  if (response.status !== 201) throw new Error(`staff creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Opens or closes an event through the admin API. */
export async function setEventActive(baseUrl: string, token: string, slug: string, isActive: boolean) {
  const id = await eventId(baseUrl, slug);
  const response = await api(baseUrl, `/api/admin/events/${id}`, { method: 'PATCH', body: { is_active: isActive }, token });
  if (response.status !== 200) throw new Error(`patch failed: ${response.status} ${JSON.stringify(response.body)}`);
}
