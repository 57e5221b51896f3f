import type { AdminEvent, AuthResult, StaffMember } from '../protocol/models.js';
import type { EventCreateInput, EventPatchInput, LoginInput, StaffCreateInput, StaffPatchInput } from '../protocol/http-schemas.js';
import type { HttpTransport } from './http.js';
import type { Session } from './session.js';

/** What a global administrator does over HTTP; events here are addressed by numeric id. */
export interface AdminApi {
  /** Signs in a global administrator (outside any event) and keeps the token. */
  login(input: LoginInput): Promise<AuthResult>;
  listEvents(): Promise<AdminEvent[]>;
  createEvent(input: EventCreateInput): Promise<AdminEvent>;
  getEvent(eventId: number): Promise<AdminEvent>;
  /** Changes any field; `{ is_active: false }` closes the event. */
  updateEvent(eventId: number, patch: EventPatchInput): Promise<AdminEvent>;
  listStaff(eventId: number): Promise<StaffMember[]>;
  createStaff(eventId: number, input: StaffCreateInput): Promise<StaffMember>;
  updateStaff(eventId: number, userId: number, patch: StaffPatchInput): Promise<StaffMember>;
  deleteStaff(eventId: number, userId: number): Promise<void>;
}

export function createAdminApi(http: HttpTransport, session: Session): AdminApi {
  const eventPath = (eventId: number) => `/api/admin/events/${eventId}`;
  const staffPath = (eventId: number, userId: number) => `${eventPath(eventId)}/staff/${userId}`;
  return {
    async login(input) {
      const result = await http.request<AuthResult>('POST', '/api/auth/login', { body: input });
      session.setToken(result.token);
      return result;
    },
    listEvents: () => http.request('GET', '/api/admin/events'),
    createEvent: (input) => http.request('POST', '/api/admin/events', { body: input }),
    getEvent: (eventId) => http.request('GET', eventPath(eventId)),
    updateEvent: (eventId, patch) => http.request('PATCH', eventPath(eventId), { body: patch }),
    listStaff: (eventId) => http.request('GET', `${eventPath(eventId)}/staff`),
    createStaff: (eventId, input) => http.request('POST', `${eventPath(eventId)}/staff`, { body: input }),
    updateStaff: (eventId, userId, patch) => http.request('PATCH', staffPath(eventId, userId), { body: patch }),
    deleteStaff: (eventId, userId) => http.request('DELETE', staffPath(eventId, userId), { expect: 'empty' }),
  };
}
