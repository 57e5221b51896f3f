import type { ChatMessage, HeldChat, PinnedChat, Question } from '../protocol/models.js';
import type { EventState } from '../protocol/journey.js';
import type { ModerationFlag, WelcomeMessage } from '../protocol/socket.js';
import type {
  AnswerStatus,
  Poll,
  PollAnswerInput,
  PollChangesInput,
  PollDraftInput,
  PollVote,
  ReactionEmoji,
} from '../protocol/polls.js';
import { defaultLang, type Lang } from '../protocol/texts.js';
import { createAdminApi, type AdminApi } from './admin-api.js';
import { defaultBackoff, type BackoffOptions } from './backoff.js';
import { TypedEmitter } from './emitter.js';
import { resolveEndpoints } from './endpoints.js';
import { defaultPageSignals, globalTimers, silentLogger, type Logger, type PageSignals, type Timers } from './environment.js';
import { createEventApi, type EventApi } from './event-api.js';
import type { ClientEventName, ClientEvents, ConnectionState } from './events.js';
import { createHttpTransport, globalFetch, type FetchFunction } from './http.js';
import { RealtimeConnection } from './realtime.js';
import { createSession } from './session.js';
import type { WebSocketConstructor } from './socket-types.js';
import { defaultStorage, memoryStorage, tokenStorageKey, type TokenStorage } from './storage.js';

export interface ClientOptions {
  /** The backend, e.g. "https://live.example.com"; a relative URL means the page's own origin. */
  baseUrl: string;
  /** The event's slug. */
  event: string;
  /** Defaults to the global fetch. */
  fetch?: FetchFunction;
  /** Defaults to the global WebSocket; Node 20 has none, pass the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Where the session token is kept: localStorage in a browser, memory elsewhere. */
  storage?: TokenStorage;
  logger?: Logger;
  /** Language of the server's messages and the client's own errors; Spanish by default. */
  lang?: Lang;
  /** A session token to start with (stored like one from login). */
  token?: string;
  /** Reconnect backoff; defaults to 1 s growing to at most 30 s. */
  reconnect?: Partial<BackoffOptions>;
  /**
   * How long a realtime request on the socket waits for its ack, 10 s by default; past it the
   * socket is taken for dead and opened again. A request waiting for the connection does not time out.
   */
  requestTimeoutMs?: number;
  /** How long a socket may take to open and be welcomed before it is retried; 15 s by default. */
  connectTimeoutMs?: number;
  /** Visibility and connectivity of the page; detected in a browser, "always visible" elsewhere. */
  page?: PageSignals;
  timers?: Timers;
  /** The backoff's jitter source; Math.random by default. */
  random?: () => number;
}

/** Realtime half of the client: the connection, its events and the requests sent over it. */
export interface RealtimeApi {
  readonly state: ConnectionState;
  /**
   * The event's state (`scheduled`, `live`, `on_demand`, `ended`; docs/journey.md) as the
   * server last said it: from the welcome, then each `event_state` event; `ended` after
   * `event_closed`; null before the first welcome. During `on_demand` writes reject with
   * `event_on_demand`.
   */
  readonly eventState: EventState | null;
  /** Opens the realtime session; resolves with the first welcome. */
  connect(): Promise<WelcomeMessage>;
  /** Closes the session; pending requests reject with `disconnected`, and no retry follows. */
  disconnect(): void;
  /** Listens to an event; returns the function that stops listening. */
  on<E extends ClientEventName>(name: E, listener: (payload: ClientEvents[E]) => void): () => void;
  /**
   * Sends a chat message; resolves with it as stored, or, when it holds a blocked word and the
   * event holds such messages, with the `HeldChat` awaiting review (`status: 'held'`).
   */
  chat(message: string): Promise<ChatMessage | HeldChat>;
  /** Asks a question; resolves with it as stored (pending until a moderator approves it). */
  ask(question: string, options?: { anonymous?: boolean }): Promise<Question>;
  approve(questionId: number): Promise<void>;
  /** Approves each pending question named; says which were approved and why the others were not. */
  approveAll(questionIds: number[]): Promise<{ approved: number[]; refused: Array<{ id: number; code: string }> }>;
  /** Rejects a pending question; the reason is shown to its author. */
  reject(questionId: number, reason?: string): Promise<void>;
  /** Attaches a typed answer, shown under the question. */
  answer(questionId: number, text: string): Promise<Question>;
  archive(questionId: number): Promise<Question>;
  /** Brings an archived question back, or a rejected one back to pending. */
  restore(questionId: number): Promise<Question>;
  /** Keeps a pending question for this moderator for a minute; resolves with it (its `version`). */
  beginEdit(questionId: number): Promise<Question>;
  /** Changes a pending question's text; `version` is the one read (else `stale`). */
  editQuestion(questionId: number, question: string, version: number): Promise<Question>;
  /** Files a question under a topic, or clears it with null. */
  label(questionId: number, label: string | null): Promise<Question>;
  /** Lets a held chat message into the chat. */
  releaseChat(heldId: number): Promise<HeldChat>;
  /** Keeps a held chat message out; the reason is shown to its sender. */
  rejectChat(heldId: number, reason?: string): Promise<HeldChat>;
  /** Pins a chat message (`id`) or an announcement (`text`) above the chat; neither clears it. */
  pinChat(pin: { id?: number | null; text?: string }): Promise<PinnedChat | null>;
  /** Marks an approved question as answered. */
  read(questionId: number): Promise<void>;
  upvote(questionId: number): Promise<void>;
  /** Puts a question on the big screen, or clears it with null. */
  highlight(questionId: number | null): Promise<void>;
  /** Deletes a chat message; the reason is shown to its author. */
  deleteChat(messageId: number, reason?: string): Promise<void>;
  /**
   * Sets (or with value false lifts) a moderation flag on a user: for `duration_s` seconds
   * (60–86 400) as a timeout, with a `reason` shown to them; a ban removes their messages and
   * questions unless `remove_messages` is false.
   */
  moderate(userId: number, flag: ModerationFlag, value?: boolean, options?: ModerateOptions): Promise<void>;
  /** Moderators and administrators: a new draft poll; `correct` holds option indexes. */
  createPoll(draft: PollDraftInput): Promise<Poll>;
  /** Changes a draft (`invalid_state` once it opened). */
  updatePoll(pollId: number, changes: PollChangesInput): Promise<Poll>;
  openPoll(pollId: number): Promise<Poll>;
  closePoll(pollId: number): Promise<Poll>;
  /** Shows the results to attendees, or with false hides them again. */
  revealPoll(pollId: number, visible?: boolean): Promise<Poll>;
  deletePoll(pollId: number): Promise<void>;
  /** Lets an open-text answer be seen (once results are revealed), or keeps it back. */
  reviewAnswer(answerId: number, status: Exclude<AnswerStatus, 'pending'>): Promise<void>;
  /** Attendees: answers an open poll once; resolves with the vote as counted. */
  vote(pollId: number, answer: PollAnswerInput): Promise<PollVote>;
  /** Sends one of the six reactions (10 per 5 s at most). */
  react(emoji: ReactionEmoji): Promise<void>;
}

export interface ModerateOptions {
  duration_s?: number;
  reason?: string;
  remove_messages?: boolean;
}

export interface PalcoClient extends EventApi, RealtimeApi {
  readonly event: string;
  readonly lang: Lang;
  /** The current session token, if signed in. */
  readonly token: string | null;
  setToken(token: string | null): void;
  readonly admin: AdminApi;
}

export function createClient(options: ClientOptions): PalcoClient {
  if (typeof options?.baseUrl !== 'string') throw new TypeError('createClient: `baseUrl` is required');
  if (!options.event) throw new TypeError('createClient: `event` (the event slug) is required');

  const lang = options.lang ?? defaultLang;
  const logger = options.logger ?? silentLogger;
  const endpoints = resolveEndpoints(options.baseUrl);
  const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  const storage = options.storage ?? (isBrowser ? defaultStorage() : memoryStorage());
  const session = createSession(storage, tokenStorageKey(endpoints.origin, options.event));
  if (options.token) session.setToken(options.token);

  const http = createHttpTransport({
    httpBase: endpoints.httpBase,
    fetch: options.fetch ?? globalFetch,
    lang,
    getToken: session.token,
  });
  const eventApi = createEventApi(http, endpoints.httpBase, options.event, session);
  const emitter = new TypedEmitter<ClientEvents>((name, error) =>
    logger.error(`palco: a "${String(name)}" listener threw`, error),
  );
  const realtime = new RealtimeConnection({
    socketUrl: endpoints.socketUrl(options.event, lang),
    WebSocket: options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
    token: session.token,
    fetchChatAfter: (after) => eventApi.chatHistory({ after }),
    emitter,
    lang,
    logger,
    timers: options.timers ?? globalTimers,
    random: options.random ?? Math.random,
    page: options.page ?? defaultPageSignals(),
    backoff: { ...defaultBackoff, ...options.reconnect },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
  });
  const acknowledged = (promise: Promise<unknown>): Promise<void> => promise.then(() => undefined);

  return {
    ...eventApi,
    async logout() {
      realtime.disconnect();
      await eventApi.logout();
    },
    event: options.event,
    lang,
    get token() {
      return session.token();
    },
    setToken: session.setToken,
    admin: createAdminApi(http, session),

    get state() {
      return realtime.state;
    },
    get eventState() {
      return realtime.eventState;
    },
    connect: () => realtime.connect(),
    disconnect: () => realtime.disconnect(),
    on: (name, listener) => emitter.on(name, listener),
    chat: (message) => realtime.request({ type: 'chat', message }) as Promise<ChatMessage | HeldChat>,
    ask: (question, { anonymous } = {}) =>
      realtime.request({ type: 'ask', question, ...(anonymous ? { anonymous } : {}) }) as Promise<Question>,
    approve: (id) => acknowledged(realtime.request({ type: 'approve', id })),
    approveAll: (ids) => realtime.request({ type: 'approve_all', ids }) as ReturnType<RealtimeApi['approveAll']>,
    reject: (id, reason) => acknowledged(realtime.request({ type: 'reject', id, ...(reason ? { reason } : {}) })),
    answer: (id, text) => realtime.request({ type: 'answer', id, text }) as Promise<Question>,
    archive: (id) => realtime.request({ type: 'archive', id }) as Promise<Question>,
    restore: (id) => realtime.request({ type: 'restore', id }) as Promise<Question>,
    beginEdit: (id) => realtime.request({ type: 'begin_edit', id }) as Promise<Question>,
    editQuestion: (id, question, version) => realtime.request({ type: 'edit_question', id, question, version }) as Promise<Question>,
    label: (id, label) => realtime.request({ type: 'label', id, label }) as Promise<Question>,
    releaseChat: (id) => realtime.request({ type: 'release_chat', id }) as Promise<HeldChat>,
    rejectChat: (id, reason) => realtime.request({ type: 'reject_chat', id, ...(reason ? { reason } : {}) }) as Promise<HeldChat>,
    pinChat: async (pin) => ((await realtime.request({ type: 'pin_chat', ...pin })) as { pinned: PinnedChat | null }).pinned,
    read: (id) => acknowledged(realtime.request({ type: 'read', id })),
    upvote: (id) => acknowledged(realtime.request({ type: 'upvote', id })),
    highlight: (id) => acknowledged(realtime.request({ type: 'highlight', id })),
    deleteChat: (id, reason) => acknowledged(realtime.request({ type: 'delete_chat', id, ...(reason ? { reason } : {}) })),
    moderate: (user_id, flag, value = true, options = {}) =>
      acknowledged(realtime.request({ type: 'moderate', user_id, flag, value, ...options })),
    createPoll: (draft) => realtime.request({ type: 'poll_create', ...draft }) as Promise<Poll>,
    updatePoll: (id, changes) => realtime.request({ type: 'poll_update', id, ...changes }) as Promise<Poll>,
    openPoll: (id) => realtime.request({ type: 'poll_open', id }) as Promise<Poll>,
    closePoll: (id) => realtime.request({ type: 'poll_close', id }) as Promise<Poll>,
    revealPoll: (id, visible = true) => realtime.request({ type: 'poll_reveal', id, visible }) as Promise<Poll>,
    deletePoll: (id) => acknowledged(realtime.request({ type: 'poll_delete', id })),
    reviewAnswer: (id, status) => acknowledged(realtime.request({ type: 'poll_answer_review', id, status })),
    vote: (id, answer) => realtime.request({ type: 'poll_vote', id, ...answer }) as Promise<PollVote>,
    react: (emoji) => acknowledged(realtime.request({ type: 'react', emoji })),
  };
}
