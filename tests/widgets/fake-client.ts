import { PalcoError, type ClientEventName, type ClientEvents, type PalcoClient } from '@palco/sdk';
import { questionDefaults } from '@palco/sdk/protocol';
import type { AuthResult, ChatMessage, HeldChat, Poll, PollTemplate, PublicEvent, Question, SessionUser, WelcomeMessage } from '@palco/sdk/protocol';
import { afterAll } from 'vitest';
import { defineElements, setClientFactory, type WidgetClient } from '../../packages/widgets/src/index.js';

/**
 * Preact runs effects after the next frame, or after 100 ms when no frame comes (hooks' `afterPaint`).
 * A file's last effects would otherwise fire once the page is gone and call `cancelAnimationFrame`
 * on a global the test environment has already removed: wait them out while the page still exists.
 */
afterAll(() => new Promise<void>((resolve) => setTimeout(resolve, 150)));

export const testEvent: PublicEvent = {
  id: 7,
  slug: 'lanzamiento',
  title: 'Lanzamiento 2050',
  description: null,
  logo_url: null,
  video_url: null,
  video_kind: 'auto',
  is_active: true,
  registration_open: true,
  allowed_email_domains: ['empresa.com'],
  slow_mode_seconds: 0,
  registration_fields: [],
  phone_required: true,
  privacy_notice: null,
  capacity: null,
  waitlist: false,
  starts_at: null,
  ends_at: null,
  time_zone: 'UTC',
  live_at: null,
  replay_url: null,
  on_demand_until: null,
  replay_registration: false,
  sign_in: 'link',
  require_confirmation: false,
  state: 'live',
  allow_anonymous_questions: false,
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
    chat_blocked_until: null,
    qa_blocked_until: null,
    ...overrides,
  };
}

export function chatMessage(id: number, message: string, user_name = 'Luis', user_id = 2): ChatMessage {
  return { id, user_id, user_name, message, timestamp: '10:00', created_at: new Date(2050, 0, 1, 10, 0, id).toISOString() };
}

export function heldChat(id: number, message: string, overrides: Partial<HeldChat> = {}): HeldChat {
  return { id, user_id: 2, user_name: 'Luis', message, words: [], created_at: new Date(2050, 0, 1, 10, 0, id).toISOString(), status: 'held', chat_id: null, reason: null, ...overrides };
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
    ...questionDefaults,
    ...overrides,
  };
}

type Method = 'getEvent' | 'register' | 'login' | 'loginWithIdentity' | 'logout' | 'chat' | 'ask' | 'upvote' | 'approve' | 'reject' | 'read' | 'highlight' | 'deleteChat' | 'moderate' | 'report' | 'reportParticipants' | 'reportQuestions' | 'reportCsv'
  | 'createPoll' | 'updatePoll' | 'openPoll' | 'closePoll' | 'revealPoll' | 'deletePoll' | 'reviewAnswer' | 'vote' | 'react'
  | 'pollTemplates' | 'pollFromTemplate' | 'savePollAsTemplate'
  | 'approveAll' | 'answer' | 'archive' | 'restore' | 'beginEdit' | 'editQuestion' | 'label' | 'releaseChat' | 'rejectChat' | 'pinChat' | 'chatHistory'
  | 'requestSignInLink';

export function poll(id: number, overrides: Partial<Poll> = {}): Poll {
  return {
    id,
    event_id: testEvent.id,
    kind: 'single',
    question: '¿Café o té?',
    options: [{ id: 1, text: 'Café' }, { id: 2, text: 'Té' }],
    status: 'draft',
    results_visible: false,
    opened_at: null,
    closed_at: null,
    created_at: new Date(2050, 0, 1, 9).toISOString(),
    ...overrides,
  };
}

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
  private readonly held = new Map<Method, Promise<void>>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private pendingEvent: Promise<void> | null = null;
  private nextId = 100;

  /** The next call of `method` fails with this error code. */
  failNext(method: Method, code: PalcoError['code'], fields?: Record<string, string>) {
    this.failures.set(method, new PalcoError(code, `server says ${code}`, fields ? { fields } : {}));
  }

  /**
   * The next call of `method` waits for the server, as a request does while the connection is
   * away, until the test answers it (as usual) or refuses it with an error code.
   */
  holdNext(method: Method): { answer(): void; refuse(code: PalcoError['code']): void } {
    const server = { answer: () => {}, refuse: (_code: PalcoError['code']) => {} };
    this.held.set(
      method,
      new Promise<void>((resolve, reject) => {
        server.answer = resolve;
        server.refuse = (code) => reject(new PalcoError(code, `server says ${code}`));
      }),
    );
    return server;
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

  private async respond<T>(method: Method, args: unknown[], value: () => T): Promise<T> {
    this.calls.push({ method, args });
    const held = this.held.get(method);
    this.held.delete(method);
    await held;
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
    return this.respond('getEvent', [], () => ({ ...this.event }));
  };
  register: PalcoClient['register'] = (input) => this.respond('register', [input], () => this.signedIn());
  login: PalcoClient['login'] = (input) => this.respond('login', [input], () => this.signedIn());
  loginWithIdentity: PalcoClient['loginWithIdentity'] = (identity) =>
    this.respond('loginWithIdentity', [identity], () => this.signedIn());
  logout = () =>
    this.respond('logout', [], () => {
      this.token = null;
    });
  /** connect() rejects with this, as the SDK does when the page has no WebSocket. */
  connectFailure: PalcoError | null = null;
  connect = () => {
    this.calls.push({ method: 'connect', args: [] });
    return this.connectFailure ? Promise.reject(this.connectFailure) : new Promise<WelcomeMessage>(() => {});
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
    this.respond('chat', [message], () => chatMessage(this.nextId++, message, this.user.name, this.user.id));
  ask: PalcoClient['ask'] = (text, options) =>
    this.respond('ask', options ? [text, options] : [text], () =>
      question(this.nextId++, text, { status: 'pending', user_id: this.user.id, user_name: this.user.name }),
    );
  upvote: PalcoClient['upvote'] = (id) => this.respond('upvote', [id], () => undefined);
  requestSignInLink: PalcoClient['requestSignInLink'] = (email) => this.respond('requestSignInLink', [email], () => undefined);
  approve: PalcoClient['approve'] = (id) => this.respond('approve', [id], () => undefined);
  reject: PalcoClient['reject'] = (...args) => this.respond('reject', args, () => undefined);
  read: PalcoClient['read'] = (id) => this.respond('read', [id], () => undefined);
  highlight: PalcoClient['highlight'] = (id) => this.respond('highlight', [id], () => undefined);
  deleteChat: PalcoClient['deleteChat'] = (...args) => this.respond('deleteChat', args, () => undefined);
  moderate: PalcoClient['moderate'] = (...args) => this.respond('moderate', args, () => undefined);
  approveAll: PalcoClient['approveAll'] = (ids) => this.respond('approveAll', [ids], () => ({ approved: ids, refused: [] }));
  answer: PalcoClient['answer'] = (id, text) => this.respond('answer', [id, text], () => question(id, '', { answer: text }));
  archive: PalcoClient['archive'] = (id) => this.respond('archive', [id], () => question(id, '', { archived_at: new Date(2050, 0, 1).toISOString() }));
  restore: PalcoClient['restore'] = (id) => this.respond('restore', [id], () => question(id, '', { status: 'pending' }));
  beginEdit: PalcoClient['beginEdit'] = (id) => this.respond('beginEdit', [id], () => question(id, '', { status: 'pending' }));
  editQuestion: PalcoClient['editQuestion'] = (id, text, version) =>
    this.respond('editQuestion', [id, text, version], () => question(id, text, { status: 'pending', version: version + 1 }));
  label: PalcoClient['label'] = (id, label) => this.respond('label', [id, label], () => question(id, '', { label }));
  releaseChat: PalcoClient['releaseChat'] = (id) => this.respond('releaseChat', [id], () => heldChat(id, '', { status: 'released' }));
  rejectChat: PalcoClient['rejectChat'] = (id, reason) => this.respond('rejectChat', [id, reason], () => heldChat(id, '', { status: 'rejected' }));
  pinChat: PalcoClient['pinChat'] = (pin) => this.respond('pinChat', [pin], () => null);
  createPoll: PalcoClient['createPoll'] = (draft) =>
    this.respond('createPoll', [draft], () =>
      poll(this.nextId++, { kind: draft.kind, question: draft.question, options: (draft.options ?? []).map((text, index) => ({ id: index + 1, text })) }),
    );
  updatePoll: PalcoClient['updatePoll'] = (id, changes) => this.respond('updatePoll', [id, changes], () => poll(id));
  openPoll: PalcoClient['openPoll'] = (id) => this.respond('openPoll', [id], () => poll(id, { status: 'open' }));
  closePoll: PalcoClient['closePoll'] = (id) => this.respond('closePoll', [id], () => poll(id, { status: 'closed' }));
  revealPoll: PalcoClient['revealPoll'] = (id, visible = true) =>
    this.respond('revealPoll', [id, visible], () => poll(id, { status: 'open', results_visible: visible }));
  deletePoll: PalcoClient['deletePoll'] = (id) => this.respond('deletePoll', [id], () => undefined);
  reviewAnswer: PalcoClient['reviewAnswer'] = (...args) => this.respond('reviewAnswer', args, () => undefined);
  vote: PalcoClient['vote'] = (id, answer) =>
    this.respond('vote', [id, answer], () => ({ poll_id: id, ...answer, created_at: new Date(2050, 0, 1, 10).toISOString() }));
  react: PalcoClient['react'] = (emoji) => this.respond('react', [emoji], () => undefined);
  templates: PollTemplate[] = [];
  pollTemplates: PalcoClient['pollTemplates'] = () => this.respond('pollTemplates', [], () => [...this.templates]);
  pollFromTemplate: PalcoClient['pollFromTemplate'] = (id) => this.respond('pollFromTemplate', [id], () => poll(this.nextId++, { kind: 'rating', options: [] }));
  savePollAsTemplate: PalcoClient['savePollAsTemplate'] = (id) =>
    this.respond('savePollAsTemplate', [id], () => {
      const saved: PollTemplate = { id: this.nextId++, kind: 'single', question: '¿Café o té?', options: ['Café', 'Té'], created_by: this.user.id, created_at: new Date(2050, 0, 1).toISOString() };
      this.templates.push(saved);
      return saved;
    });
  report: PalcoClient['report'] = () =>
    this.respond('report', [], () => ({
      event: { id: this.event.id, slug: this.event.slug, title: this.event.title, is_active: this.event.is_active },
      generated_at: new Date(2050, 0, 1, 10).toISOString(),
      active_now: 0,
      total_participants: 0,
      peak: null,
      watch: { total_minutes: 0, average_minutes: 0, watchers: 0, live_minutes: 0, on_demand_minutes: 0 },
      distribution: [],
      questions: { pending: 0, approved: 0, read: 0, rejected: 0, total: 0 },
      chat_messages: 0,
      curve: [],
      polls: [],
      reactions: [],
    }));
  reportParticipants: PalcoClient['reportParticipants'] = (options = {}) =>
    this.respond('reportParticipants', [options], () => ({ items: [], total: 0, offset: 0, limit: 50 }));
  reportQuestions: PalcoClient['reportQuestions'] = (options = {}) =>
    this.respond('reportQuestions', [options], () => ({ items: [], total: 0, offset: 0, limit: 50 }));
  reportCsv: PalcoClient['reportCsv'] = (kind) => this.respond('reportCsv', [kind], () => '');
  /** The whole chat as the server holds it, oldest first: chatHistory pages through it. */
  history: ChatMessage[] = [];
  private pendingHistory: Promise<void> | null = null;
  /** The next chatHistory answers only once the returned function is called. */
  holdHistory(): () => void {
    let release!: () => void;
    this.pendingHistory = new Promise((resolve) => (release = resolve));
    return release;
  }
  chatHistory: PalcoClient['chatHistory'] = async (options = {}) => {
    const held = this.pendingHistory;
    this.pendingHistory = null;
    await held;
    return this.respond('chatHistory', [options], () => {
      const { after = 0, before = Number.POSITIVE_INFINITY, limit = 50 } = options;
      const range = this.history.filter((message) => message.id > after && message.id < before);
      const items = options.before !== undefined ? range.slice(-limit) : range.slice(0, limit);
      return { items, has_more: range.length > limit };
    });
  };
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
      polls: [],
      poll_results: [],
      my_votes: [],
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
