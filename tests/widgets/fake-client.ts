import { PalcoError, type ClientEventName, type ClientEvents, type PalcoClient } from '@palco/sdk';
import type { AuthResult, ChatMessage, PublicEvent, Question, SessionUser, WelcomeMessage } from '@palco/sdk/protocol';
import { defineElements, setClientFactory, type WidgetClient } from '../../packages/widgets/src/index.js';

export const testEvent: PublicEvent = {
  id: 7,
  slug: 'lanzamiento',
  title: 'Lanzamiento 2050',
  logo_url: null,
  video_url: null,
  video_kind: 'auto',
  is_active: true,
  registration_open: true,
  allowed_email_domains: ['empresa.com'],
  slow_mode_seconds: 0,
  starts_at: null,
  ends_at: null,
  time_zone: 'UTC',
  description: null,
  live_at: null,
  replay_url: null,
  on_demand_until: null,
  replay_registration: false,
  sign_in: 'link',
  require_confirmation: false,
  state: 'live',
};

export function user(overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: 1,
    name: 'Ana',
    email: 'ana@empresa.com',
    phone: '+34 600 000 000',
    role: 'visor',
    event_id: testEvent.id,
    chat_blocked: false,
    qa_blocked: false,
    banned: false,
    confirmed: true,
    ...overrides,
  };
}

export function chatMessage(id: number, message: string, user_name = 'Luis', user_id = 2): ChatMessage {
  return { id, user_id, user_name, message, timestamp: '10:00', created_at: new Date(2050, 0, 1, 10, 0, id).toISOString() };
}

export function question(id: number, text: string, overrides: Partial<Question> = {}): Question {
  return {
    id,
    user_id: 2,
    user_name: 'Luis',
    question: text,
    status: 'approved',
    upvotes: 0,
    created_at: new Date(2050, 0, 1, 10, 0, id).toISOString(),
    approved_at: null,
    read_at: null,
    moderated_by: null,
    ...overrides,
  };
}

type Method = 'getEvent' | 'register' | 'login' | 'loginWithIdentity' | 'logout' | 'chat' | 'ask' | 'upvote' | 'approve' | 'reject' | 'read' | 'highlight' | 'deleteChat' | 'moderate' | 'report' | 'reportParticipants' | 'reportQuestions' | 'reportCsv';

/**
 * Stands in for the SDK client in component tests: records each call, answers with what a
 * test set up, and lets the test play the server's events.
 */
export class FakeClient implements WidgetClient {
  token: string | null = null;
  event: PublicEvent = { ...testEvent };
  user: SessionUser = user();
  readonly calls: Array<{ method: Method | 'connect' | 'disconnect'; args: unknown[] }> = [];
  private readonly failures = new Map<Method, PalcoError>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private pendingEvent: Promise<void> | null = null;
  private nextId = 100;

  /** The next call of `method` fails with this error code. */
  failNext(method: Method, code: PalcoError['code'], fields?: Record<string, string>) {
    this.failures.set(method, new PalcoError(code, `server says ${code}`, fields ? { fields } : {}));
  }

  /** getEvent waits for the returned function to be called. */
  holdEvent(): () => void {
    let release!: () => void;
    this.pendingEvent = new Promise((resolve) => (release = resolve));
    return release;
  }

  callsOf(method: Method | 'connect' | 'disconnect') {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  private async answer<T>(method: Method, args: unknown[], value: () => T): Promise<T> {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
    return value();
  }

  private signedIn(): AuthResult {
    this.token = 'session-token';
    return { token: this.token, user: this.user, redirect: `/e/${this.event.slug}/watch` };
  }

  setToken = (token: string | null) => {
    this.token = token;
  };
  getEvent = async () => {
    await this.pendingEvent;
    return this.answer('getEvent', [], () => ({ ...this.event }));
  };
  register: PalcoClient['register'] = (input) => this.answer('register', [input], () => this.signedIn());
  login: PalcoClient['login'] = (input) => this.answer('login', [input], () => this.signedIn());
  loginWithIdentity: PalcoClient['loginWithIdentity'] = (identity) =>
    this.answer('loginWithIdentity', [identity], () => this.signedIn());
  logout = () =>
    this.answer('logout', [], () => {
      this.token = null;
    });
  connect = () => {
    this.calls.push({ method: 'connect', args: [] });
    return new Promise<WelcomeMessage>(() => {});
  };
  disconnect = () => {
    this.calls.push({ method: 'disconnect', args: [] });
  };
  on: PalcoClient['on'] = (name, listener) => {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(name, set);
    return () => set.delete(listener as (payload: never) => void);
  };
  chat: PalcoClient['chat'] = (message) =>
    this.answer('chat', [message], () => chatMessage(this.nextId++, message, this.user.name, this.user.id));
  ask: PalcoClient['ask'] = (text) =>
    this.answer('ask', [text], () =>
      question(this.nextId++, text, { status: 'pending', user_id: this.user.id, user_name: this.user.name }),
    );
  upvote: PalcoClient['upvote'] = (id) => this.answer('upvote', [id], () => undefined);
  approve: PalcoClient['approve'] = (id) => this.answer('approve', [id], () => undefined);
  reject: PalcoClient['reject'] = (id) => this.answer('reject', [id], () => undefined);
  read: PalcoClient['read'] = (id) => this.answer('read', [id], () => undefined);
  highlight: PalcoClient['highlight'] = (id) => this.answer('highlight', [id], () => undefined);
  deleteChat: PalcoClient['deleteChat'] = (id) => this.answer('deleteChat', [id], () => undefined);
  moderate: PalcoClient['moderate'] = (...args) => this.answer('moderate', args, () => undefined);
  report: PalcoClient['report'] = () =>
    this.answer('report', [], () => ({
      event: { id: this.event.id, slug: this.event.slug, title: this.event.title, is_active: this.event.is_active },
      generated_at: new Date(2050, 0, 1, 10).toISOString(),
      active_now: 0,
      total_participants: 0,
      peak: null,
      watch: { total_minutes: 0, average_minutes: 0, watchers: 0 },
      distribution: [],
      questions: { pending: 0, approved: 0, read: 0, rejected: 0, total: 0 },
      chat_messages: 0,
      curve: [],
    }));
  reportParticipants: PalcoClient['reportParticipants'] = (options = {}) =>
    this.answer('reportParticipants', [options], () => ({ items: [], total: 0, offset: 0, limit: 50 }));
  reportQuestions: PalcoClient['reportQuestions'] = (options = {}) =>
    this.answer('reportQuestions', [options], () => ({ items: [], total: 0, offset: 0, limit: 50 }));
  reportCsv: PalcoClient['reportCsv'] = (kind) => this.answer('reportCsv', [kind], () => '');
  reportCsvUrl: PalcoClient['reportCsvUrl'] = (kind) => `/api/events/${this.event.slug}/reports/${kind}.csv`;

  /** Plays a server event to every listener. */
  emit<E extends ClientEventName>(name: E, payload: ClientEvents[E]) {
    for (const listener of [...(this.listeners.get(name) ?? [])]) (listener as (payload: ClientEvents[E]) => void)(payload);
  }

  /** Plays the welcome of a fresh connection. */
  welcome(overrides: Partial<WelcomeMessage> = {}) {
    this.emit('welcome', {
      type: 'welcome',
      user: this.user,
      event: this.event,
      chat: [],
      questions: [],
      voted: [],
      highlighted: null,
      viewers: 1,
      heartbeat_ms: 60_000,
      ...overrides,
    });
  }
}

/** Lets Preact's scheduled renders and the fake's promises run. */
export async function settle(rounds = 3) {
  for (let round = 0; round < rounds; round += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Puts markup on the page with a fresh fake client behind every element, and waits for it to render. */
export async function mount<T extends HTMLElement = HTMLElement>(html: string, client = new FakeClient()) {
  defineElements();
  setClientFactory(() => client);
  document.body.innerHTML = html;
  await settle();
  const element = document.body.firstElementChild as T;
  return { client, element, shadow: element.shadowRoot! };
}

export function unmountAll() {
  document.body.innerHTML = '';
  setClientFactory(null);
}

export function text(root: ParentNode): string {
  return (root.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function buttonNamed(root: ParentNode, name: string | RegExp): HTMLButtonElement {
  const buttons = [...root.querySelectorAll('button')];
  const found = buttons.find((button) => (typeof name === 'string' ? text(button) === name : name.test(text(button))));
  if (!found) throw new Error(`no button "${name}" among: ${buttons.map((b) => text(b)).join(' | ')}`);
  return found;
}

export function typeInto(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Records the palco:* events the page hears. */
export function listen(names: string[]) {
  const heard: Array<{ type: string; detail: unknown; composed: boolean }> = [];
  for (const name of names) {
    document.addEventListener(name, (event) => heard.push({ type: name, detail: (event as CustomEvent).detail, composed: event.composed }));
  }
  return heard;
}
