import WebSocket from 'ws';
import type { AuthResult, ClientMessage, ServerMessage, ServerMessageOf, ServerMessageType } from '@palco/sdk/protocol';
import { defaultRealtimeSettings, type Config, type RealtimeSettings } from '../../packages/backend/src/config.js';
import { adminToken, createStaff, eventId } from '../support/accounts.js';
import { api, loginAs } from '../support/http.js';
import { useServer } from '../support/fixture.js';
import { startTestServer, type DatabaseTarget, type TestServer } from '../support/server.js';

/** Short windows and throttles, so tests wait milliseconds rather than seconds. */
export const fastRealtime: RealtimeSettings = {
  ...defaultRealtimeSettings,
  coalesceMs: 10,
  // A fixed window: what arrives within 10 ms goes together, however busy the test machine is.
  coalesceMaxMs: 10,
  viewersThrottleMs: 20,
  activeSessionsThrottleMs: 20,
};

/** A server in this process or another one: only its URL is needed. */
export type Reachable = Pick<TestServer, 'url'>;

export function startRealtimeServer(target: DatabaseTarget, overrides: Partial<Config> = {}) {
  return startTestServer(target, { realtime: fastRealtime, ...overrides });
}

/**
 * The server fixture of a realtime suite (see useServer): fast windows, with `realtime`
 * settings and other `overrides` on top.
 */
export function useRealtimeServer(target: DatabaseTarget, realtime: Partial<RealtimeSettings> = {}, overrides: Partial<Config> = {}): TestServer {
  return useServer(target, { ...overrides, realtime: { ...fastRealtime, ...realtime } });
}

/** A clock the test moves by hand; the hub reads it for heartbeats and samples. */
export class ManualClock {
  constructor(public time = Date.parse('2026-03-01T18:00:00Z')) {}
  readonly now = () => this.time;
  advance(seconds: number) {
    this.time += seconds * 1000;
  }
}

export interface Closed {
  code: number;
  reason: string;
}

/** A `ws` client that keeps every message it receives (coalesced frames unpacked) and waits for them. */
export class TestSocket {
  readonly received: ServerMessage[] = [];
  /** Raw frames, to check how messages were grouped. */
  readonly frames: string[] = [];
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;
  private listeners = new Set<() => void>();
  private nextRef = 1;
  closeInfo: Closed | null = null;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.notify();
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const text = data.toString();
      this.frames.push(text);
      const parsed = JSON.parse(text) as ServerMessage | ServerMessage[];
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) this.received.push(message);
      this.notify();
    });
  }

  private notify() {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first received message (from `from` on) that matches, or rejects after `timeoutMs`. */
  waitFor<T extends ServerMessageType>(
    type: T,
    match: (message: ServerMessageOf<T>) => boolean = () => true,
    { timeoutMs = 3_000, from = 0 } = {},
  ): Promise<ServerMessageOf<T>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received
          .slice(from)
          .find((message): message is ServerMessageOf<T> => message.type === type && match(message as ServerMessageOf<T>));
        if (found) {
          cleanup();
          resolve(found);
        } else if (this.closeInfo) {
          cleanup();
          reject(new Error(`socket closed (${this.closeInfo.code}) before a ${type} arrived`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The messages of one type received so far. */
  all<T extends ServerMessageType>(type: T): Array<ServerMessageOf<T>> {
    return this.received.filter((message): message is ServerMessageOf<T> => message.type === type);
  }

  send(message: ClientMessage | Record<string, unknown>) {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer) {
    this.ws.send(data);
  }

  /** Sends with a fresh ref and resolves with the ack or error that answers it. */
  async request(message: Record<string, unknown> & { type: string }): Promise<ServerMessageOf<'ack'> | ServerMessageOf<'error'>> {
    const ref = `r${this.nextRef++}`;
    const from = this.received.length;
    this.send({ ...message, ref });
    const isReply = (reply: { ref?: string | number }) => reply.ref === ref;
    return Promise.race([this.waitFor('ack', isReply, { from }), this.waitFor('error', isReply, { from })]);
  }

  /** Like request, but fails unless acknowledged. */
  async ok(message: Record<string, unknown> & { type: string }): Promise<ServerMessageOf<'ack'>> {
    const reply = await this.request(message);
    if (reply.type !== 'ack') throw new Error(`${message.type} refused: ${JSON.stringify(reply)}`);
    return reply;
  }

  /** Resolves once `ms` pass with no message matching; rejects if one arrives. */
  async expectNone(type: ServerMessageType, ms = 150, match: (message: ServerMessage) => boolean = () => true) {
    const from = this.received.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    const leaked = this.received.slice(from).filter((message) => message.type === type && match(message));
    if (leaked.length > 0) throw new Error(`unexpected ${type}: ${JSON.stringify(leaked)}`);
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}

export interface ConnectOptions {
  /** Slug (default) or id of the event. */
  event?: string | number;
  token?: string;
  /** Where the token goes: a first `auth` frame (default), the query string, or a cookie. */
  via?: 'auth' | 'query' | 'cookie';
  cookieName?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export function socketUrl(server: Reachable, options: ConnectOptions): string {
  const url = new URL('/ws', server.url.replace(/^http/, 'ws'));
  const event = options.event ?? 'demo-fast';
  if (typeof event === 'number') url.searchParams.set('event_id', String(event));
  else url.searchParams.set('event', event);
  if (options.via === 'query' && options.token) url.searchParams.set('token', options.token);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** Opens a socket without waiting for anything beyond the TCP/HTTP upgrade. */
export async function openSocket(server: Reachable, options: ConnectOptions = {}): Promise<TestSocket> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.via === 'cookie' && options.token) headers.cookie = `${options.cookieName}=${options.token}`;
  const socket = new TestSocket(new WebSocket(socketUrl(server, options), { headers, perMessageDeflate: false }));
  await socket.opened;
  if ((options.via ?? 'auth') === 'auth' && options.token) socket.send({ type: 'auth', token: options.token });
  return socket;
}

/** Opens a socket and waits for its welcome. */
export async function connect(server: Reachable, options: ConnectOptions = {}) {
  const socket = await openSocket(server, options);
  const welcome = await socket.waitFor('welcome');
  return { socket, welcome };
}

export interface Member {
  token: string;
  user: AuthResult['user'];
}

/** An event with an attendee access code, a moderator and a speaker, created through the admin API. */
export async function createEvent(server: Reachable, slug: string, extra: Record<string, unknown> = {}) {
  const admin = await adminToken(server.url);
  const response = await api(server.url, '/api/admin/events', {
    token: admin,
    body: { slug, title: `Evento ${slug}`, access_code: 'codigo-de-acceso', sign_in: 'access_code', allowed_email_domains: [], ...extra },
  });
  if (response.status !== 201) throw new Error(`event creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  const password = 'staff-password-1';
  await createStaff(server.url, admin, slug, { name: 'Mora Moderadora', email: `mod@${slug}.test`, role: 'moderador', password });
  await createStaff(server.url, admin, slug, { name: 'Sebas Speaker', email: `speaker@${slug}.test`, role: 'speaker', password });
  const moderator = await loginAs(server.url, slug, `mod@${slug}.test`, password);
  const speaker = await loginAs(server.url, slug, `speaker@${slug}.test`, password);
  return { slug, id: await eventId(server.url, slug), admin, moderator, speaker };
}

let attendees = 0;
/** Registers a new attendee of the event. */
export async function attendeeOf(server: Reachable, slug: string, name = `Asistente ${attendees + 1}`): Promise<Member> {
  attendees += 1;
  const response = await api<AuthResult>(server.url, `/api/events/${slug}/register`, {
    body: { name, email: `asistente${attendees}-${Date.now()}@palco.test`, phone: '+34 600 000 000' },
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

