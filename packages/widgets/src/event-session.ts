import type { PalcoClient, StateChange } from '@palco/sdk';
import {
  ErrorCode,
  noUserFlags,
  questionFromMessage,
  type ActiveSession,
  type AuthResult,
  type ChatMessage,
  type ModerationFlag,
  type PublicEvent,
  type Question,
  type QuestionStatus,
  type SessionUser,
  type UserFlags,
  type WelcomeMessage,
} from '@palco/sdk';

/** The part of the SDK client the widgets use; tests pass a fake with the same shape. */
export type WidgetClient = Pick<
  PalcoClient,
  | 'token'
  | 'setToken'
  | 'getEvent'
  | 'register'
  | 'login'
  | 'loginWithIdentity'
  | 'logout'
  | 'connect'
  | 'disconnect'
  | 'on'
  | 'chat'
  | 'ask'
  | 'upvote'
  | 'approve'
  | 'reject'
  | 'read'
  | 'highlight'
  | 'deleteChat'
  | 'moderate'
  | 'report'
  | 'reportParticipants'
  | 'reportQuestions'
  | 'reportCsv'
  | 'reportCsvUrl'
>;

/**
 * loading: reading the event · signed_out: nobody signed in yet · connecting: opening the
 * realtime session · live: welcomed · closed: the event ended · failed: see `failure`.
 */
export type SessionStatus = 'loading' | 'signed_out' | 'connecting' | 'live' | 'closed' | 'failed';

export interface SessionState {
  status: SessionStatus;
  event: PublicEvent | null;
  user: SessionUser | null;
  /** Oldest first, the latest `chatKept` only. */
  chat: readonly ChatMessage[];
  /** Every question this user may see, by id. */
  questions: readonly Question[];
  voted: ReadonlySet<number>;
  highlighted: number | null;
  viewers: number;
  /** Moderators only. */
  activeSessions: readonly ActiveSession[];
  /** Moderation flags learnt from user_updated, by user id. */
  userFlags: Readonly<Record<number, UserFlags>>;
  /** The connection dropped and the client is retrying. */
  reconnecting: boolean;
  closedMessage: string | null;
  failure: ErrorCode | null;
}

export interface EventSessionOptions {
  /** The page is on the API's origin, where the HttpOnly session cookie may sign the user in. */
  sameOrigin: boolean;
}

type Listener = (state: SessionState) => void;

const chatKept = 300;

const initialState: SessionState = {
  status: 'loading',
  event: null,
  user: null,
  chat: [],
  questions: [],
  voted: new Set(),
  highlighted: null,
  viewers: 0,
  activeSessions: [],
  userFlags: {},
  reconnecting: false,
  closedMessage: null,
  failure: null,
};

function byId<T extends { id: number }>(a: T, b: T): number {
  return a.id - b.id;
}

function mergeById<T extends { id: number }>(current: readonly T[], incoming: readonly T[]): T[] {
  const merged = new Map(current.map((item) => [item.id, item]));
  for (const item of incoming) merged.set(item.id, item);
  return [...merged.values()].sort(byId);
}

/**
 * The state of one event as this page sees it, built from the client's welcome and events,
 * shared by every element on the page. Each change produces a new state object.
 */
export class EventSession {
  private current: SessionState = initialState;
  private readonly listeners = new Set<Listener>();
  private readonly unsubscribers: Array<() => void> = [];
  private started = false;

  constructor(
    readonly client: WidgetClient,
    private readonly options: EventSessionOptions,
  ) {
    this.unsubscribers.push(
      client.on('welcome', (welcome) => this.welcome(welcome)),
      client.on('state', (change) => this.connectionChanged(change)),
      client.on('chat', ({ type: _type, ...message }) =>
        this.update({ chat: mergeById(this.current.chat, [message]).slice(-chatKept) }),
      ),
      client.on('chat_deleted', ({ id }) => this.update({ chat: this.current.chat.filter((m) => m.id !== id) })),
      client.on('pending_question', (pending) => this.upsertQuestion(questionFromMessage(pending))),
      client.on('approved_question', (approved) => this.upsertQuestion(questionFromMessage(approved, this.question(approved.id)))),
      client.on('question_updated', ({ id, status }) => this.setQuestionStatus(id, status)),
      client.on('question_votes', ({ id, upvotes }) => {
        const question = this.question(id);
        if (question) this.upsertQuestion({ ...question, upvotes });
      }),
      client.on('question_highlighted', ({ id }) => this.update({ highlighted: id })),
      client.on('viewers', ({ count }) => this.update({ viewers: count })),
      client.on('active_sessions', ({ count, sessions }) => this.update({ viewers: count, activeSessions: sessions })),
      client.on('user_updated', ({ user_id, chat_blocked, qa_blocked, banned }) => {
        const flags = { chat_blocked, qa_blocked, banned };
        const user = this.current.user;
        this.update({
          userFlags: { ...this.current.userFlags, [user_id]: flags },
          ...(user?.id === user_id ? { user: { ...user, ...flags } } : {}),
        });
      }),
      client.on('event_closed', ({ message }) => this.close(message)),
    );
  }

  get state(): SessionState {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the event and, when someone may be signed in, opens the realtime session; runs once. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    let event: PublicEvent;
    try {
      event = await this.client.getEvent();
    } catch (error) {
      return this.fail(error);
    }
    if (!event.is_active) return this.update({ event, status: 'closed' });
    this.update({ event });
    if (this.client.token || this.options.sameOrigin) this.connect();
    else this.update({ status: 'signed_out' });
  }

  async register(input: Parameters<WidgetClient['register']>[0]): Promise<AuthResult> {
    return this.signedIn(await this.client.register(input));
  }

  async login(input: Parameters<WidgetClient['login']>[0]): Promise<AuthResult> {
    return this.signedIn(await this.client.login(input));
  }

  /** Exchanges an identity token signed by the producer's server for a session. */
  async identify(identity: string): Promise<AuthResult> {
    return this.signedIn(await this.client.loginWithIdentity(identity));
  }

  async signOut(): Promise<void> {
    try {
      await this.client.logout();
    } finally {
      this.update({ ...initialState, event: this.current.event, status: 'signed_out' });
    }
  }

  chat(message: string): Promise<ChatMessage> {
    return this.client.chat(message);
  }

  async ask(text: string): Promise<Question> {
    const question = await this.client.ask(text);
    this.upsertQuestion(question);
    return question;
  }

  async upvote(id: number): Promise<void> {
    try {
      await this.client.upvote(id);
    } catch (error) {
      if ((error as { code?: string }).code !== ErrorCode.alreadyVoted) throw error;
    }
    this.update({ voted: new Set([...this.current.voted, id]) });
  }

  async approve(id: number): Promise<void> {
    await this.client.approve(id);
    this.setQuestionStatus(id, 'approved');
  }

  async reject(id: number): Promise<void> {
    await this.client.reject(id);
    this.setQuestionStatus(id, 'rejected');
  }

  async read(id: number): Promise<void> {
    await this.client.read(id);
    this.setQuestionStatus(id, 'read');
  }

  async highlight(id: number | null): Promise<void> {
    await this.client.highlight(id);
    this.update({ highlighted: id });
  }

  async deleteChat(id: number): Promise<void> {
    await this.client.deleteChat(id);
    this.update({ chat: this.current.chat.filter((message) => message.id !== id) });
  }

  async moderate(userId: number, flag: ModerationFlag, value: boolean): Promise<void> {
    await this.client.moderate(userId, flag, value);
    const flags = this.current.userFlags[userId] ?? noUserFlags;
    this.update({ userFlags: { ...this.current.userFlags, [userId]: { ...flags, [flag]: value } } });
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.client.disconnect();
    this.listeners.clear();
  }

  private signedIn(result: AuthResult): AuthResult {
    // Someone else may have been connected on this page: start the new person's session afresh.
    this.client.disconnect();
    this.update({ ...initialState, event: this.current.event, user: result.user });
    this.connect();
    return result;
  }

  private connect(): void {
    this.update({ status: 'connecting' });
    // Failures arrive as `state` events too; the promise only needs a handler.
    this.client.connect().catch(() => {});
  }

  private welcome(welcome: WelcomeMessage): void {
    this.update({
      status: 'live',
      reconnecting: false,
      failure: null,
      user: welcome.user,
      event: welcome.event,
      chat: mergeById(this.current.chat, welcome.chat).slice(-chatKept),
      questions: mergeById(this.current.questions, welcome.questions),
      voted: new Set(welcome.voted),
      highlighted: welcome.highlighted,
      viewers: welcome.viewers,
    });
  }

  private connectionChanged(change: StateChange): void {
    if (change.reason === 'connection_lost') return this.update({ reconnecting: this.current.status === 'live' });
    if (change.reason !== 'fatal_close') return;
    const code = change.error?.code;
    if (code === ErrorCode.eventClosed) return this.close(this.current.closedMessage);
    if (code === ErrorCode.notAuthenticated) {
      // The stored token expired or was revoked: forget it, so the register form comes back.
      this.client.setToken(null);
      return this.update({ ...initialState, event: this.current.event, status: 'signed_out' });
    }
    this.fail(change.error, this.current.user?.banned ? ErrorCode.banned : undefined);
  }

  private close(message: string | null): void {
    if (this.current.status === 'closed' && this.current.closedMessage) return;
    this.update({ status: 'closed', closedMessage: message, reconnecting: false });
  }

  private fail(error: unknown, override?: ErrorCode): void {
    const code = override ?? (error as { code?: ErrorCode } | undefined)?.code ?? ErrorCode.internalError;
    if (code === ErrorCode.eventClosed) return this.close(null);
    this.update({ status: 'failed', failure: code, reconnecting: false });
  }

  private question(id: number): Question | undefined {
    return this.current.questions.find((question) => question.id === id);
  }

  private upsertQuestion(question: Question): void {
    this.update({ questions: mergeById(this.current.questions, [question]) });
  }

  private setQuestionStatus(id: number, status: QuestionStatus): void {
    const question = this.question(id);
    if (question && question.status !== status) this.upsertQuestion({ ...question, status });
  }

  private update(changes: Partial<SessionState>): void {
    this.current = { ...this.current, ...changes };
    for (const listener of [...this.listeners]) listener(this.current);
  }
}
