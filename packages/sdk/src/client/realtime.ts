import { CloseCode, ErrorCode, fatalCloseCodes } from '../protocol/codes.js';
import type { EventState } from '../protocol/journey.js';
import { Limits } from '../protocol/limits.js';
import { parseOwnJson, writeOwnJson } from '../protocol/own-data.js';
import { questionMessage } from '../protocol/question-messages.js';
import type {
  ChatServerMessage,
  ClientMessage,
  ServerMessage,
  WelcomeMessage,
} from '../protocol/socket.js';
import { errorText, type Lang } from '../protocol/texts.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { newClientId } from './client-ids.js';
import { DeliveryFilter } from './delivery-filter.js';
import type { TypedEmitter } from './emitter.js';
import type { Logger, PageSignals, Timers } from './environment.js';
import { errorFromCloseCode, errorFromSocketMessage, localError, type PalcoError } from './errors.js';
import type { ClientEvents, ConnectionState, ForwardedMessageType, StateChange, StateReason } from './events.js';
import { Heartbeat } from './heartbeat.js';
import { missedChat, type ChatPageFetcher } from './missed-chat.js';
import { PendingRequests } from './pending-requests.js';
import { abnormalClosure, socketOpen, type WebSocketConstructor, type WebSocketLike } from './socket-types.js';

export interface RealtimeOptions {
  socketUrl: string;
  WebSocket: WebSocketConstructor | undefined;
  token(): string | null;
  fetchChatAfter: ChatPageFetcher;
  emitter: TypedEmitter<ClientEvents>;
  lang: Lang;
  logger: Logger;
  timers: Timers;
  random: () => number;
  page: PageSignals;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  /** How long a new socket may take to open and be welcomed before it is given up and retried. */
  connectTimeoutMs: number;
}

/** Tries of one catch-up before the client reports it failed (the next reconnect tries again). */
const maxCatchUpAttempts = 5;
/**
 * Requests on the wire at once, the rest waiting in the outbox: half the server's
 * per-socket command queue (32, docs/protocol.md), so flushing a long outbox after a
 * reconnect never overflows it, with room left for a second tab's worth of commands.
 */
const maxInFlight = 16;
/** Refusals that a wait cures: the server asks to be tried again after `retry_after` seconds. */
const refusalsForNow: ReadonlySet<ErrorCode> = new Set([ErrorCode.rateLimited, ErrorCode.serviceUnavailable]);
/**
 * Requests that mean something only at the moment they are made: a reaction refused for now
 * (past the 10 per 5 s limit) is not sent again seconds later, when it would float over a
 * later moment of the stream, out of order with the taps after it. Its caller hears the refusal.
 * Made while the connection is away, it waits for it no longer than its timeout.
 */
const momentaryRequests: ReadonlySet<ClientMessage['type']> = new Set(['react']);
/**
 * Requests the server carries out once per person, whatever arrives after (`already_voted`):
 * a poll answer or an upvote on a socket that died unanswered goes again on the next one, as
 * a chat line with its `cid` does, instead of failing while it may have been counted or not.
 */
const oncePerPersonRequests: ReadonlySet<ClientMessage['type']> = new Set(['poll_vote', 'upvote']);
/** The shortest wait before a refused request goes again, whatever `retry_after` says. */
const minRetryWaitMs = 250;

interface ConnectWaiter {
  resolve(welcome: WelcomeMessage): void;
  reject(error: PalcoError): void;
}

/**
 * One realtime session to one event: a socket that is authenticated, welcomed, kept alive,
 * reopened with backoff when it drops, and caught up on what it missed meanwhile.
 */
export class RealtimeConnection {
  private currentState: ConnectionState = 'disconnected';
  /** True from connect() until disconnect() or a fatal close: the client should be connected. */
  private wanted = false;
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private connectTimer: unknown = null;
  private stopListeningOnline: (() => void) | null = null;
  private lastWelcome: WelcomeMessage | null = null;
  private connectWaiters: ConnectWaiter[] = [];
  private nextRef = 1;
  private readonly requests: PendingRequests;
  private readonly delivered = new DeliveryFilter();
  private readonly heartbeat: Heartbeat;
  /** Live chat held back while a catch-up fetch runs, so nothing is delivered out of order. */
  private heldChat: ChatServerMessage[] | null = null;
  private catchUps: Promise<void> = Promise.resolve();
  private eventClosedReceived = false;
  /** The event's state as the server last said it: the welcome's, then each `event_state`. */
  private currentEventState: EventState | null = null;
  /** Where a catch-up that could not finish started: the next one starts there too. */
  private unfinishedCatchUpAfter: number | null = null;

  constructor(private readonly options: RealtimeOptions) {
    this.requests = new PendingRequests({
      timers: options.timers,
      timeoutMs: options.requestTimeoutMs,
      timeoutError: () => localError(ErrorCode.timeout, options.lang),
      onOverdue: () => this.abandonSocket('palco: a request went unanswered, reconnecting'),
    });
    this.heartbeat = new Heartbeat(options.timers, options.page, (visibleMs) => this.sendNow({ type: 'ping', visible_ms: visibleMs }));
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The event's state: null before the first welcome, `ended` after `event_closed`. */
  get eventState(): EventState | null {
    return this.currentEventState;
  }

  /** Resolves with the first welcome; keeps retrying through non-fatal failures until then. */
  connect(): Promise<WelcomeMessage> {
    if (typeof this.options.WebSocket !== 'function') {
      // A page may remove or replace window.WebSocket; in Node 20, pass the `ws` package.
      return Promise.reject(localError(ErrorCode.websocketUnavailable, this.options.lang));
    }
    if (this.currentState === 'connected' && this.lastWelcome) return Promise.resolve(this.lastWelcome);
    const welcomed = new Promise<WelcomeMessage>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (!this.wanted) {
      this.wanted = true;
      this.attempt = 0;
      this.stopListeningOnline = this.options.page.onOnline(() => this.retryNow());
      this.setState('connecting', 'connect_called');
      this.openSocket();
    }
    return welcomed;
  }

  disconnect(): void {
    if (!this.wanted && this.currentState === 'disconnected') return;
    // The last stretch of watching is reported while the socket is still open.
    this.heartbeat.flush();
    this.stop(localError(ErrorCode.disconnected, this.options.lang));
    this.setState('disconnected', 'disconnect_called');
  }

  /**
   * Sends a client message with a fresh `ref`; resolves with the ack's `data`. While the
   * socket is (re)connecting the message waits in the outbox, however long that takes, and
   * goes out after the welcome (a reaction only within its timeout). A chat message or
   * question gets a client id (`cid`), so it can be sent again after a socket dies
   * unanswered without being stored twice.
   */
  request(message: ClientMessage): Promise<unknown> {
    if (!this.wanted) return Promise.reject(localError(ErrorCode.disconnected, this.options.lang));
    const ref = this.nextRef++;
    const identified =
      (message.type === 'chat' || message.type === 'ask') && message.cid === undefined ? { ...message, cid: newClientId() } : message;
    const reply = this.requests.add(ref, { ...identified, ref }, {
      momentary: momentaryRequests.has(message.type),
      oncePerPerson: oncePerPersonRequests.has(message.type),
    });
    this.flushOutbox();
    return reply;
  }

  private openSocket(): void {
    const Socket = this.options.WebSocket!;
    const socket = new Socket(this.options.socketUrl);
    this.socket = socket;
    this.eventClosedReceived = false;
    this.connectTimer = this.options.timers.setTimeout(
      () => this.abandonSocket('palco: no welcome in time, reconnecting'),
      this.options.connectTimeoutMs,
    );

    socket.onopen = () => {
      // The token travels in the first frame, never in the URL, so it stays out of access logs.
      const token = this.options.token();
      if (token) this.sendNow({ type: 'auth', token });
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose(event.code, event.reason);
    };
    socket.onerror = (event) => this.options.logger.debug('palco: socket error', event);
  }

  /** Gives up on a socket that does not answer and connects again, as after a lost connection. */
  private abandonSocket(why: string): void {
    if (!this.socket) return;
    this.options.logger.warn(why);
    this.dropSocket();
    this.handleClose(abnormalClosure, '');
  }

  /** Forgets the current socket without waiting for its close event. */
  private dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => {};
    try {
      socket.close(CloseCode.normal);
    } catch (error) {
      this.options.logger.debug('palco: closing a socket that never opened', error);
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return this.options.logger.warn('palco: ignoring a binary frame');
    let frame: unknown;
    try {
      frame = parseOwnJson(data);
    } catch {
      return this.options.logger.warn('palco: ignoring a frame that is not JSON');
    }
    for (const message of Array.isArray(frame) ? frame : [frame]) this.dispatch(message as ServerMessage);
  }

  private dispatch(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return this.handleWelcome(message);
      case 'ack':
        if (this.requests.resolve(message.ref, message.data)) this.flushOutbox();
        return;
      case 'error': {
        const error = errorFromSocketMessage(message);
        if (message.ref !== undefined && refusalsForNow.has(message.code) && this.retryLater(message.ref, error)) return;
        if (message.ref !== undefined && this.requests.reject(message.ref, error)) return this.flushOutbox();
        return this.options.emitter.emit('error', error);
      }
      case 'chat':
        return this.deliverChat(message);
      case 'pending_question':
      case 'approved_question':
        if (this.delivered.acceptQuestion(message.type, message.id)) this.emitMessage(message);
        return;
      case 'event_closed':
        this.eventClosedReceived = true;
        this.currentEventState = 'ended';
        return this.emitMessage(message);
      case 'event_state':
        this.currentEventState = message.state;
        return this.emitMessage(message);
      default:
        return this.emitMessage(message);
    }
  }

  private emitMessage<T extends ForwardedMessageType>(message: ClientEvents[T]): void {
    this.options.emitter.emit(message.type as T, message);
  }

  private handleWelcome(welcome: WelcomeMessage): void {
    this.options.timers.clearTimeout(this.connectTimer);
    const isReconnect = this.lastWelcome !== null;
    if (!isReconnect) this.delivered.rememberWelcome(welcome);
    this.lastWelcome = welcome;
    this.currentEventState = welcome.event.state;
    this.attempt = 0;
    this.options.emitter.emit('welcome', welcome);
    this.setState('connected', isReconnect ? 'reconnected' : 'connected');
    this.heartbeat.start(welcome.heartbeat_ms > 0 ? welcome.heartbeat_ms : Limits.heartbeatIntervalMs);
    this.flushOutbox();
    for (const waiter of this.connectWaiters.splice(0)) waiter.resolve(welcome);
    if (isReconnect) this.catchUp(welcome);
  }

  /** Delivers what a reconnecting client missed: new questions from the snapshot, then chat. */
  private catchUp(welcome: WelcomeMessage): void {
    for (const question of welcome.questions) {
      const message = questionMessage(question);
      if (message && this.delivered.acceptQuestion(message.type, question.id)) this.emitMessage(message);
    }

    // The welcome holds the latest messages; if they reach back to what was already delivered,
    // they cover the whole gap and no history request is needed.
    const after = Math.min(this.delivered.resumeAfter, this.unfinishedCatchUpAfter ?? Infinity);
    if (welcome.chat.some((message) => message.id <= after)) {
      this.unfinishedCatchUpAfter = null;
      for (const message of welcome.chat) this.deliverChat({ type: 'chat', ...message });
      return;
    }
    this.heldChat ??= [];
    this.catchUps = this.catchUps.then(() => this.fetchMissedChat(after));
  }

  /**
   * Pages through the history after `after`, retrying with backoff while this socket stays
   * open (the request may have reached a server that just went away). If the socket goes
   * first, the next connection's catch-up starts from `after` again.
   */
  private async fetchMissedChat(after: number): Promise<void> {
    this.heldChat ??= [];
    const socket = this.socket;
    this.unfinishedCatchUpAfter = after;
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          for await (const message of missedChat(this.options.fetchChatAfter, after)) {
            if (this.delivered.acceptChat(message.id)) this.options.emitter.emit('chat', { type: 'chat', ...message });
          }
          this.unfinishedCatchUpAfter = null;
          return;
        } catch (error) {
          this.options.logger.warn('palco: could not fetch the chat missed while disconnected', error);
          if (!this.wanted || this.socket !== socket) return;
          if (attempt >= maxCatchUpAttempts) {
            this.options.emitter.emit('error', error as PalcoError);
            return;
          }
          const waitMs = backoffDelay(attempt + 1, this.options.backoff, this.options.random);
          await new Promise<void>((resolve) => this.options.timers.setTimeout(resolve, waitMs));
          if (!this.wanted || this.socket !== socket) return;
        }
      }
    } finally {
      const held = this.heldChat;
      this.heldChat = null;
      for (const message of held ?? []) this.deliverChat(message);
    }
  }

  private deliverChat(message: ChatServerMessage): void {
    if (this.heldChat) this.heldChat.push(message);
    else if (this.delivered.acceptChat(message.id)) this.options.emitter.emit('chat', message);
  }

  private handleClose(closeCode: number, reason: string): void {
    this.options.timers.clearTimeout(this.connectTimer);
    this.heartbeat.stop();
    if (!this.wanted) return;

    if (fatalCloseCodes.has(closeCode)) {
      if (closeCode === CloseCode.eventClosed && !this.eventClosedReceived) {
        this.currentEventState = 'ended';
        this.emitMessage({ type: 'event_closed', message: reason || errorText(ErrorCode.eventClosed, this.options.lang) });
      }
      const error = errorFromCloseCode(closeCode, reason, this.options.lang);
      this.stop(error);
      this.setState('disconnected', 'fatal_close', { closeCode, error });
      this.options.emitter.emit('error', error);
      return;
    }

    // A server that restarts (1012) answered every request it carried out before closing: the
    // unanswered ones were not done and go again. After any other loss their outcome is
    // unknown: only those with a client id, which the server does once, go again.
    if (closeCode === CloseCode.serverRestarting) this.requests.unsendSent();
    else this.requests.settleLost(localError(ErrorCode.disconnected, this.options.lang));
    const retryInMs = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt += 1;
    // Also emitted connecting → connecting, so a page can show each retry's countdown.
    this.setState('connecting', 'connection_lost', { closeCode, attempt: this.attempt, retryInMs }, true);
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      this.openSocket();
    }, retryInMs);
  }

  /** The browser is back online: waiting out the backoff would only delay the inevitable. */
  private retryNow(): void {
    if (this.retryTimer === null) return;
    this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.openSocket();
  }

  /** Ends the session for good: no socket, no timers, every waiting promise rejected. */
  private stop(error: PalcoError): void {
    this.wanted = false;
    this.dropSocket();
    this.heartbeat.stop();
    this.options.timers.clearTimeout(this.connectTimer);
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopListeningOnline?.();
    this.stopListeningOnline = null;
    this.requests.rejectAll(error);
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(error);
  }

  /**
   * A request the server refused for now (`rate_limited` by its command queue or a rate
   * limit, `service_unavailable` while its database is away) goes back to the outbox and
   * is sent again after `retry_after`, plus a full-jitter backoff that grows with each
   * refusal of the same request, so a crowd refused together does not return together.
   * False when that wait would end more than the request's timeout after it was first sent on
   * this socket: its caller hears the refusal now, and it is not sent again.
   */
  private retryLater(ref: string | number, error: PalcoError): boolean {
    const refusal = this.requests.refusal(ref);
    if (!refusal || momentaryRequests.has(refusal.type)) return false;
    const baseMs = Math.max((error.retryAfter ?? 1) * 1000, minRetryWaitMs);
    const waitMs = baseMs + backoffDelay(refusal.attempt, { baseMs, maxMs: this.options.backoff.maxMs }, this.options.random);
    if (waitMs >= refusal.remainingMs) return false;
    this.requests.hold(ref, waitMs, () => this.flushOutbox());
    this.flushOutbox();
    return true;
  }

  /** Sends what waits in the outbox, oldest first, keeping at most `maxInFlight` unanswered. */
  private flushOutbox(): void {
    if (this.currentState !== 'connected') return;
    for (const [ref, frame] of this.requests.unsent()) {
      if (this.requests.inFlight >= maxInFlight || !this.sendNow(frame)) return;
      this.requests.markSent(ref);
    }
  }

  private sendNow(frame: ClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== socketOpen) return false;
    this.socket.send(writeOwnJson(frame));
    return true;
  }

  private setState(
    next: ConnectionState,
    reason: StateReason,
    details: Partial<StateChange> = {},
    emitUnchanged = false,
  ): void {
    const previous = this.currentState;
    if (previous === next && !emitUnchanged) return;
    this.currentState = next;
    this.options.emitter.emit('state', { ...details, previous, current: next, reason });
  }
}
