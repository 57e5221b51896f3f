import type { PalcoClient, StateChange } from '@palco/sdk';
import {
  ErrorCode,
  EventState,
  noUserFlags,
  questionFromMessage,
  type ActiveSession,
  isStaffRole,
  isWaitlisted,
  type AuthResult,
  type WaitlistedResult,
  type ChatMessage,
  type HeldChat,
  type ModerateOptions,
  type ModerationFlag,
  type Poll,
  type PollAnswerInput,
  type PollResults,
  type PollVote,
  type ModerationNoticeMessage,
  type PinnedChat,
  type PublicEvent,
  type ReactionEmoji,
  type Question,
  type QuestionStatus,
  type Restriction,
  type SessionUser,
  type UserFlags,
  type WelcomeMessage,
  type HistoryOptions,
  type Page,
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
  | 'createPoll'
  | 'updatePoll'
  | 'openPoll'
  | 'closePoll'
  | 'revealPoll'
  | 'deletePoll'
  | 'reviewAnswer'
  | 'vote'
  | 'react'
  | 'pollTemplates'
  | 'pollFromTemplate'
  | 'savePollAsTemplate'
  | 'approveAll'
  | 'answer'
  | 'archive'
  | 'restore'
  | 'beginEdit'
  | 'editQuestion'
  | 'label'
  | 'releaseChat'
  | 'rejectChat'
  | 'pinChat'
  | 'report'
  | 'reportParticipants'
  | 'reportQuestions'
  | 'reportCsv'
  | 'reportCsvUrl'
  | 'chatHistory'
  | 'requestSignInLink'
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
  /** The polls this member may see, oldest first; their results and this member's votes by poll id. */
  polls: readonly Poll[];
  pollResults: Readonly<Record<number, PollResults>>;
  myVotes: Readonly<Record<number, PollVote>>;
  /** The latest `reactions` frame, numbered so a repeat of the same counts still shows. */
  reactions: { counts: Readonly<Record<string, number>>; seq: number } | null;
  /** Chat messages awaiting review: every one for moderators, an attendee's own for them. */
  held: readonly HeldChat[];
  /** What is pinned above the chat. */
  pinned: PinnedChat | null;
  /** Moderators: every current restriction of the event's attendees. */
  restricted: readonly Restriction[];
  /** The latest word from a moderator to this person: why a message went, a timeout, a rejected held message. */
  notice: ModerationNoticeMessage | { action: 'reject_chat'; reason: string | null; target_id: number; until: null } | null;
  /** The connection dropped and the client is retrying. */
  reconnecting: boolean;
  closedMessage: string | null;
  failure: ErrorCode | null;
  /** A write was refused with `confirmation_required`: the attendee must open the link in their inbox first. */
  confirmationNeeded: boolean;
}

export interface EventSessionOptions {
  /** The page is on the API's origin, where the HttpOnly session cookie may sign the user in. */
  sameOrigin: boolean;
  /**
   * Whether the server answers a request that needs no CORS (`mode: 'no-cors'`): when it does
   * while the event's own request failed, the browser refused the answer, so this page's
   * origin is not among the event's allowed origins.
   */
  serverAnswers?: () => Promise<boolean>;
  /**
   * The realtime socket's origin (`wss://live.example.com`). When the page's own
   * Content-Security-Policy blocks it (`connect-src` without it), the browser only fires a
   * `securitypolicyviolation` event and the socket fails like a lost network, for ever: the
   * session hears that event instead and says why the widgets cannot go live.
   */
  socketOrigin?: string;
}

type Listener = (state: SessionState) => void;
/** Tells the page that the session reached `state.status` (palco:ready, palco:closed, palco:error). */
export type Announcer = (state: SessionState) => void;

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
  polls: [],
  pollResults: {},
  myVotes: {},
  reactions: null,
  held: [],
  pinned: null,
  restricted: [],
  notice: null,
  reconnecting: false,
  closedMessage: null,
  failure: null,
  confirmationNeeded: false,
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
  private readonly announcers: Array<{ announce: Announcer; host: object }> = [];
  private readonly unsubscribers: Array<() => void> = [];
  private started = false;

  constructor(
    readonly client: WidgetClient,
    private readonly options: EventSessionOptions,
  ) {
    this.unsubscribers.push(
      client.on('welcome', (welcome) => this.welcome(welcome)),
      client.on('state', (change) => this.connectionChanged(change)),
      client.on('chat', ({ type: _type, ...message }) => this.addChat(message)),
      client.on('chat_deleted', ({ id }) => this.update({ chat: this.current.chat.filter((m) => m.id !== id) })),
      client.on('held_chat', ({ type: _type, ...held }) => this.update({ held: mergeById(this.current.held, [held]) })),
      client.on('held_chat_updated', ({ id, status, reason }) => {
        const own = this.current.held.find((held) => held.id === id && held.user_id === this.current.user?.id);
        this.update({
          held: this.current.held.filter((held) => held.id !== id),
          ...(own && status === 'rejected' ? { notice: { action: 'reject_chat', reason, target_id: id, until: null } } : {}),
        });
      }),
      client.on('chat_pinned', ({ pinned }) => this.update({ pinned })),
      client.on('moderation_notice', (notice) => this.update({ notice })),
      client.on('user_content_removed', ({ user_id, chat_ids, question_ids }) => {
        const chatGone = new Set(chat_ids);
        const questionsGone = new Set(question_ids);
        this.update({
          chat: this.current.chat.filter((m) => !chatGone.has(m.id)),
          questions: this.current.questions.filter((q) => !questionsGone.has(q.id) || q.status !== 'pending' || q.user_id !== user_id),
          held: this.current.held.filter((held) => held.user_id !== user_id),
        });
      }),
      client.on('question_changed', ({ question }) => this.upsertQuestion({ ...this.question(question.id), ...question })),
      client.on('question_answered', ({ id, answer, answered_at }) => {
        const question = this.question(id);
        if (question) this.upsertQuestion({ ...question, answer, answered_at });
      }),
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
      client.on('user_updated', ({ user_id, chat_blocked, qa_blocked, banned, chat_blocked_until, qa_blocked_until, restrictions }) => {
        const flags = { chat_blocked, qa_blocked, banned };
        const user = this.current.user;
        this.update({
          userFlags: { ...this.current.userFlags, [user_id]: flags },
          ...(user?.id === user_id ? { user: { ...user, ...flags, chat_blocked_until, qa_blocked_until } } : {}),
          ...(restrictions ? { restricted: [...this.current.restricted.filter((r) => r.user_id !== user_id), ...restrictions] } : {}),
        });
      }),
      client.on('event_closed', ({ message }) => this.close(message)),
      // Going live, or closing with a replay: the page changes in place (docs/journey.md).
      client.on('event_state', ({ state }) => this.stateChanged(state)),
      client.on('poll', ({ poll }) => this.pollChanged(poll)),
      client.on('poll_deleted', ({ id }) => this.update({ polls: this.current.polls.filter((poll) => poll.id !== id) })),
      client.on('poll_results', ({ type: _type, ...results }) =>
        this.update({ pollResults: { ...this.current.pollResults, [results.id]: results } }),
      ),
      client.on('reactions', ({ counts }) =>
        this.update({ reactions: { counts: counts as Record<string, number>, seq: (this.current.reactions?.seq ?? 0) + 1 } }),
      ),
    );
  }

  get state(): SessionState {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Adds the announcer of the element `host`; returns its removal. Only the first announcer
   * still on the page speaks, so a page with four widgets of one event hears each turning
   * point once (docs/embedding.md, "Events").
   */
  addAnnouncer(announce: Announcer, host: object): () => void {
    const entry = { announce, host };
    this.announcers.push(entry);
    return () => {
      const index = this.announcers.indexOf(entry);
      if (index >= 0) this.announcers.splice(index, 1);
    };
  }

  /** Whether `host` is the element that speaks for the session: it alone spells out a misconfiguration. */
  speaksFor(host: object): boolean {
    return this.speaker()?.host === host;
  }

  /**
   * The announcer of the first element in the document (elements upgrade in definition order,
   * not the page's); an element just taken out of it (taken down a moment later) never speaks.
   */
  private speaker() {
    return this.announcers.reduce<(typeof this.announcers)[number] | undefined>((first, entry) => {
      if (entry.host instanceof Node && !entry.host.isConnected) return first;
      if (!first) return entry;
      const [a, b] = [first.host, entry.host];
      return a instanceof Node && b instanceof Node && a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? entry : first;
    }, undefined);
  }

  /** Reads the event and, when someone may be signed in, opens the realtime session; runs once. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    let event: PublicEvent;
    try {
      event = await this.client.getEvent();
    } catch (error) {
      return this.fail((await this.refusedByCors(error)) ? { code: ErrorCode.originNotAllowed } : error);
    }
    // A closed event with a replay still admits its attendees, read-only.
    if (!event.is_active && event.state !== EventState.onDemand) return this.update({ event, status: 'closed' });
    this.update({ event });
    if (this.client.token || this.options.sameOrigin) this.connect();
    else this.update({ status: 'signed_out' });
  }

  /** A session, or a place on the waitlist and none. */
  async register(input: Parameters<WidgetClient['register']>[0]): Promise<AuthResult | WaitlistedResult> {
    const result = await this.client.register(input);
    return isWaitlisted(result) ? result : this.signedIn(result);
  }

  async login(input: Parameters<WidgetClient['login']>[0]): Promise<AuthResult> {
    return this.signedIn(await this.client.login(input));
  }

  /** Exchanges an identity token signed by the producer's server for a session, or a place on the waitlist. */
  async identify(identity: string): Promise<AuthResult | WaitlistedResult> {
    const result = await this.client.loginWithIdentity(identity);
    return isWaitlisted(result) ? result : this.signedIn(result);
  }

  async signOut(): Promise<void> {
    try {
      await this.client.logout();
    } finally {
      this.update({ ...initialState, event: this.current.event, status: 'signed_out' });
    }
  }

  /** Sends a chat message; once stored it joins the chat at once, before its broadcast comes back. */
  async chat(message: string): Promise<ChatMessage | HeldChat> {
    const stored = await this.write(this.client.chat(message));
    if (!('status' in stored)) this.addChat(stored);
    return stored;
  }

  /** Mails the signed-in attendee a new sign-in link (the server answers 202 whoever asks). */
  requestSignInLink(): Promise<void> {
    const email = this.current.user?.email;
    return email ? this.client.requestSignInLink(email) : Promise.resolve();
  }

  /**
   * A page of the chat's history, oldest first, outside the latest messages the session keeps:
   * `before` the older ones above a reader, `after` the newer ones below (GET /api/events/{slug}/chat).
   */
  chatHistory(options: HistoryOptions): Promise<Page<ChatMessage>> {
    return this.client.chatHistory(options);
  }

  async ask(text: string, anonymous = false): Promise<Question> {
    const question = await this.write(this.client.ask(text, anonymous ? { anonymous } : undefined));
    this.upsertQuestion(question);
    return question;
  }

  async upvote(id: number): Promise<void> {
    try {
      await this.write(this.client.upvote(id));
    } catch (error) {
      if ((error as { code?: string }).code !== ErrorCode.alreadyVoted) throw error;
    }
    this.update({ voted: new Set([...this.current.voted, id]) });
  }

  async approve(id: number): Promise<void> {
    await this.client.approve(id);
    this.setQuestionStatus(id, 'approved');
  }

  async reject(id: number, reason?: string): Promise<void> {
    await this.client.reject(id, reason);
    this.setQuestionStatus(id, 'rejected');
  }

  /** Approves the questions named (the ones a moderator's filter shows); resolves with how many were. */
  async approveAll(ids: number[]): Promise<number> {
    const { approved } = await this.client.approveAll(ids);
    for (const id of approved) this.setQuestionStatus(id, 'approved');
    return approved.length;
  }

  async answer(id: number, text: string): Promise<void> {
    this.upsertQuestion(await this.client.answer(id, text));
  }

  async archive(id: number): Promise<void> {
    this.upsertQuestion(await this.client.archive(id));
  }

  async restore(id: number): Promise<void> {
    this.upsertQuestion(await this.client.restore(id));
  }

  /** Holds a pending question for this moderator; resolves with the version to edit. */
  async beginEdit(id: number): Promise<number> {
    const question = await this.client.beginEdit(id);
    this.upsertQuestion(question);
    return question.version;
  }

  async editQuestion(id: number, text: string, version: number): Promise<void> {
    this.upsertQuestion(await this.client.editQuestion(id, text, version));
  }

  async label(id: number, label: string | null): Promise<void> {
    this.upsertQuestion(await this.client.label(id, label));
  }

  async releaseChat(id: number): Promise<void> {
    await this.client.releaseChat(id);
    this.update({ held: this.current.held.filter((held) => held.id !== id) });
  }

  async rejectChat(id: number, reason?: string): Promise<void> {
    await this.client.rejectChat(id, reason);
    this.update({ held: this.current.held.filter((held) => held.id !== id) });
  }

  async pinChat(pin: { id?: number | null; text?: string }): Promise<void> {
    this.update({ pinned: await this.client.pinChat(pin) });
  }

  async read(id: number): Promise<void> {
    await this.client.read(id);
    this.setQuestionStatus(id, 'read');
  }

  async highlight(id: number | null): Promise<void> {
    await this.client.highlight(id);
    this.update({ highlighted: id });
  }

  async deleteChat(id: number, reason?: string): Promise<void> {
    await this.client.deleteChat(id, reason);
    this.update({ chat: this.current.chat.filter((message) => message.id !== id) });
  }

  async moderate(userId: number, flag: ModerationFlag, value: boolean, options?: ModerateOptions): Promise<void> {
    await this.client.moderate(userId, flag, value, options);
    const flags = this.current.userFlags[userId] ?? noUserFlags;
    this.update({ userFlags: { ...this.current.userFlags, [userId]: { ...flags, [flag]: value } } });
  }

  /** Answers a poll and keeps the vote as the server counted it. */
  async vote(pollId: number, answer: PollAnswerInput): Promise<void> {
    try {
      const vote = await this.write(this.client.vote(pollId, answer));
      this.update({ myVotes: { ...this.current.myVotes, [pollId]: vote } });
    } catch (error) {
      // Sent again after a socket died unanswered, a vote the server had already stored is
      // refused as a second one; the reconnect's welcome brought it back in `myVotes`.
      if ((error as { code?: string }).code !== ErrorCode.alreadyVoted || !this.current.myVotes[pollId]) throw error;
    }
  }

  react(emoji: ReactionEmoji): Promise<void> {
    return this.write(this.client.react(emoji));
  }

  /** Creates, opens, closes, reveals or deletes a poll (moderators); the change arrives as `poll` too. */
  async runPoll<A extends unknown[]>(action: (...args: A) => Promise<Poll | void>, ...args: A): Promise<void> {
    const poll = await action(...args);
    if (poll) this.update({ polls: mergeById(this.current.polls, [poll]) });
  }

  /** A page policy that blocks the socket (see EventSessionOptions.socketOrigin); report-only policies block nothing. */
  private readonly onPolicyViolation = (event: SecurityPolicyViolationEvent): void => {
    const origin = this.options.socketOrigin;
    if (!origin || event.disposition !== 'enforce' || !`${event.blockedURI}/`.startsWith(`${origin}/`)) return;
    if (this.current.failure === ErrorCode.websocketUnavailable) return;
    console.error(
      `Palco: this page's Content-Security-Policy (${event.effectiveDirective}) does not allow ${origin}, so the widgets cannot go live; add it to connect-src.`,
    );
    this.client.disconnect();
    this.update({ status: 'failed', failure: ErrorCode.websocketUnavailable, reconnecting: false });
  };

  dispose(): void {
    globalThis.document?.removeEventListener('securitypolicyviolation', this.onPolicyViolation);
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.client.disconnect();
    this.listeners.clear();
  }

  /**
   * A write of an attendee; a refusal that says why nobody may write now (the replay, an
   * unconfirmed email) turns the widgets read-only or shows how to confirm, then rejects as before.
   */
  private async write<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (error) {
      const code = (error as { code?: ErrorCode }).code;
      if (code === ErrorCode.eventOnDemand) this.stateChanged(EventState.onDemand);
      if (code === ErrorCode.confirmationRequired) this.update({ confirmationNeeded: true });
      throw error;
    }
  }

  /** The event's state changed under open sockets: live from the waiting room, or on demand after the close. */
  private stateChanged(state: EventState): void {
    const event = this.current.event;
    if (!event || event.state === state) return;
    const open = state === EventState.live || state === EventState.scheduled;
    this.update({ event: { ...event, state, is_active: open, live_at: state === EventState.live ? (event.live_at ?? new Date().toISOString()) : event.live_at } });
  }

  private signedIn(result: AuthResult): AuthResult {
    // Someone else may have been connected on this page: start the new person's session afresh.
    this.client.disconnect();
    this.update({ ...initialState, event: this.current.event, user: result.user });
    this.connect();
    return result;
  }

  private connect(): void {
    if (this.options.socketOrigin) globalThis.document?.addEventListener('securitypolicyviolation', this.onPolicyViolation);
    this.update({ status: 'connecting' });
    // Failures arrive as `state` events too, except a page without WebSocket: no socket, no event.
    this.client.connect().catch((error: unknown) => {
      if ((error as { code?: ErrorCode }).code === ErrorCode.websocketUnavailable) this.fail(error);
    });
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
      polls: welcome.polls,
      pollResults: Object.fromEntries(welcome.poll_results.map((results) => [results.id, results])),
      myVotes: Object.fromEntries(welcome.my_votes.map((vote) => [vote.poll_id, vote])),
      held: welcome.held ?? [],
      pinned: welcome.pinned ?? null,
      restricted: welcome.restricted ?? [],
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
    const banned = this.current.user?.banned || this.current.notice?.action === 'ban';
    this.fail(change.error, banned ? ErrorCode.banned : undefined);
  }

  private close(message: string | null): void {
    if (this.current.status === 'closed' && this.current.closedMessage) return;
    this.update({ status: 'closed', closedMessage: message, reconnecting: false });
  }

  /** A browser hides why a cross-origin request failed; the server answering another one says it was CORS. */
  private async refusedByCors(error: unknown): Promise<boolean> {
    if ((error as { code?: ErrorCode }).code !== ErrorCode.networkError || this.options.sameOrigin) return false;
    return (await this.options.serverAnswers?.()) ?? false;
  }

  private fail(error: unknown, override?: ErrorCode): void {
    const code = override ?? (error as { code?: ErrorCode } | undefined)?.code ?? ErrorCode.internalError;
    if (code === ErrorCode.eventClosed) return this.close(null);
    if (code === ErrorCode.originNotAllowed && this.current.failure !== code) {
      // Said once per event session, for the producer who opens the console to see why the widgets are silent.
      console.error(`Palco: ${globalThis.location?.origin} is not among this event's allowed origins; add it in the event's admin pages.`);
    }
    if (code === ErrorCode.websocketUnavailable && this.current.failure !== code) {
      console.error('Palco: this page has no usable window.WebSocket (a script removed or replaced it), so the widgets cannot go live.');
    }
    this.update({ status: 'failed', failure: code, reconnecting: false });
  }

  /**
   * A poll's new state. Its results hidden again, an attendee's copy of them goes too (the server
   * sends attendees none until the next reveal, and a welcome would have none); staff keep theirs.
   */
  private pollChanged(poll: Poll): void {
    const polls = mergeById(this.current.polls, [poll]);
    const user = this.current.user;
    if (poll.results_visible || !user || isStaffRole(user.role) || !(poll.id in this.current.pollResults)) return this.update({ polls });
    const { [poll.id]: _hidden, ...pollResults } = this.current.pollResults;
    this.update({ polls, pollResults });
  }

  private addChat(message: ChatMessage): void {
    this.update({ chat: mergeById(this.current.chat, [message]).slice(-chatKept) });
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
    const previous = this.current.status;
    this.current = { ...this.current, ...changes };
    for (const listener of [...this.listeners]) listener(this.current);
    if (this.current.status !== previous) this.speaker()?.announce(this.current);
  }
}
