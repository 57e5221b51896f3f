import type { WebSocketContext } from 'koa-websocket';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RawData, WebSocket } from 'ws';
import {
  CloseCode,
  ErrorCode,
  errorText,
  isModeratorRole,
  pickLang,
  type HeldChat,
  type Lang,
  type PollVote,
  type Restriction,
  type ServerMessage,
  type WelcomeMessage,
} from '@palco/sdk/protocol';
import { addressKey } from '../auth/address-key.js';
import type { RealtimeSettings } from '../config.js';
import type { AppDeps } from '../context.js';
import type { EventRow, UserRow } from '../db/models.js';
import { describeError } from '../errors.js';
import { pollVoteReads } from '../polls/vote-reads.js';
import { memberOf } from '../services/member.js';
import { pinnedOf, toPublicEvent, toSessionUser } from '../services/serialize.js';
import { heldChatReads } from '../services/held-chat-reads.js';
import { restrictionsOf } from '../services/moderation.js';
import { admitToken, checkOrigin, eventOfRequest, first, presentedToken, Refusal, refusals, userReads } from './admission-rules.js';
import { Connection, dropSocket, isAttendeeRole } from './connection.js';
import { FrameBudgets, type SocketBudget } from './frame-budget.js';
import { countRefused, errorMessage, parseClientFrame, type RefusedTally } from './frames.js';
import { Inbox } from './inbox.js';
import type { Revocations } from './revocations.js';
import type { Room } from './room.js';
import { voteReads, type RoomState } from './room-state.js';
import { traffic } from './traffic.js';

/** Frames kept from a socket that is still being admitted; a client needs one (`auth`). */
const inboxCapacity = 16;

/** The bytes of a message as ws hands it over: one buffer, or its fragments. */
const byteLength = (data: RawData) => (Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength);

/** What admission asks of the hub: the room registry, and where admitted sockets go. */
export interface AdmissionHost {
  readonly closing: boolean;
  roomFor(eventId: number): Room;
  /** An admission that came as far as a room and failed must not leave an empty room behind. */
  releaseIfEmpty(room: Room): void;
  /** Adds a welcomed connection to its room and to attendance, before its welcome leaves. */
  join(room: Room, connection: Connection): void;
  /** Called once when a joined connection closes, by either side. */
  leave(room: Room, connection: Connection): void;
  /** A frame of an admitted socket. */
  receive(connection: Connection, data: RawData): void;
}

/** What a welcome needs besides the user and the event. */
interface Prepared {
  room: RoomState;
  voted: number[];
  myVotes: PollVote[];
  held: HeldChat[];
  restricted: Restriction[] | undefined;
}

/** A socket being admitted: its connection once welcomed, and the frame budget it draws from all along. */
interface Admitting {
  connection: Connection | null;
  budget: SocketBudget;
}

/**
 * Turns an upgraded socket into a welcomed connection (docs/architecture.md "Admission"): the
 * per-address limits, the event, the `Origin`, the credential (or a first `auth` frame), the
 * user behind it, bans and closes that overtook the reads, then the welcome. Every frame a
 * socket sends, before and after, pays from its frame budget.
 */
export class Admission {
  /** Every socket open on this process, admitted or not. */
  readonly sockets = new Set<WebSocket>();
  /** How many of them each client address holds. */
  private readonly openSocketsByIp = new Map<string, number>();
  private readonly frameBudgets: FrameBudgets;
  private readonly socketsPerIp: RateLimiterAbstract;
  private readonly users = userReads();
  private readonly votes = voteReads();
  private readonly pollVotes = pollVoteReads();
  private readonly heldChat = heldChatReads();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    private readonly deps: AppDeps,
    private readonly settings: RealtimeSettings,
    private readonly host: AdmissionHost,
    private readonly revocations: Revocations,
  ) {
    this.frameBudgets = new FrameBudgets(settings.frameBudget);
    this.socketsPerIp = deps.makeLimiter({ keyPrefix: 'ws_ip', points: deps.config.rateLimits.socketsPerIpPerMinute, duration: 60 });
    this.sweepTimer = setInterval(() => this.frameBudgets.sweep(), settings.keepAliveMs);
    this.sweepTimer.unref();
  }

  stop() {
    clearInterval(this.sweepTimer);
  }

  accept(ctx: WebSocketContext) {
    const socket = ctx.websocket;
    if (this.host.closing || ctx.path !== '/ws') {
      socket.close(this.host.closing ? CloseCode.serverRestarting : CloseCode.eventNotFound);
      return;
    }
    const lang = pickLang(first(ctx.query.lang), ctx.get('Accept-Language'));
    // Counted per client address, an IPv6 one as its /64 (auth/address-key.ts).
    const ip = addressKey(ctx.ip);
    const openFromIp = this.openSocketsByIp.get(ip) ?? 0;
    if (openFromIp >= this.deps.config.rateLimits.openSocketsPerIp) {
      this.refuseBusy(socket, lang, 60);
      return;
    }
    this.openSocketsByIp.set(ip, openFromIp + 1);
    this.sockets.add(socket);
    const inbox = new Inbox(inboxCapacity);
    const admitted: Admitting = { connection: null, budget: this.frameBudgets.forSocket(ip) };
    let overBudget = false;
    /** Pays for one frame read of `bytes`; false (and the socket dropped with 1008) once a budget is spent. */
    const paid = (bytes: number): boolean => {
      // A socket the server closed (over its budget, for its refused frames, a ban…) is read no
      // further: what ws had parsed from the same read is neither counted nor answered. One the
      // client closed is: its frames came before its close (a FIN, or a close frame, right
      // after a chat line), and are carried out though no answer can reach it.
      if (overBudget || admitted.connection?.closedByServer) return false;
      traffic.framesIn += 1;
      if (admitted.budget.take(bytes)) return true;
      overBudget = true;
      traffic.overBudgetDropped += 1;
      const reason = errorText(ErrorCode.rateLimited, lang);
      if (admitted.connection) admitted.connection.drop(CloseCode.policyViolation, reason);
      else dropSocket(socket, CloseCode.policyViolation, reason);
      return false;
    };
    // Listeners go on before anything is awaited: a client may send `auth` at once.
    socket.on('message', (data: RawData) => {
      if (!paid(byteLength(data))) return;
      if (admitted.connection) this.host.receive(admitted.connection, data);
      else if (!inbox.put(data)) this.replyUnadmitted(socket, lang, errorMessage(ErrorCode.rateLimited, lang, { retry_after: 1 }));
    });
    // Control frames pay too: ws answers each ping with a pong by itself, so a flood of pings
    // would otherwise cost a write each and never touch the budget.
    socket.on('ping', (data: Buffer) => paid(data.length));
    socket.on('pong', (data: Buffer) => {
      if (paid(data.length) && admitted.connection) admitted.connection.alive = true;
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      const left = (this.openSocketsByIp.get(ip) ?? 1) - 1;
      if (left > 0) this.openSocketsByIp.set(ip, left);
      else this.openSocketsByIp.delete(ip);
      inbox.close();
      admitted.connection?.closedByPeer();
    });
    this.admit(ctx, socket, lang, inbox, admitted).then(
      (connection) => {
        // Frames that came while the welcome was being prepared run now, in order.
        if (connection) for (const frame of inbox.drain()) this.host.receive(connection, frame);
      },
      (error: unknown) => this.refuse(socket, lang, error),
    );
  }

  /** Too many sockets from one address: rate_limited with when to come back, then 1013 (try again later). */
  private refuseBusy(socket: WebSocket, lang: Lang, retryAfterSeconds: number) {
    socket.send(JSON.stringify(errorMessage(ErrorCode.rateLimited, lang, { retry_after: retryAfterSeconds })));
    socket.close(CloseCode.tryAgainLater, errorText(ErrorCode.rateLimited, lang));
  }

  /** A reply before admission; a socket that leaves its replies unread past the cap is dropped (1013). */
  private replyUnadmitted(socket: WebSocket, lang: Lang, message: ServerMessage) {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.settings.maxBufferedBytes) {
      traffic.slowReadersDropped += 1;
      dropSocket(socket, CloseCode.tryAgainLater, errorText(ErrorCode.serviceUnavailable, lang));
      return;
    }
    socket.send(JSON.stringify(message));
  }

  private refuse(socket: WebSocket, lang: Lang, error: unknown) {
    if (socket.readyState !== socket.OPEN) return;
    if (error instanceof Refusal) {
      socket.close(error.closeCode, errorText(error.errorCode, lang));
      return;
    }
    const { code } = describeError(error);
    this.deps.logger.error({ err: error }, 'socket admission failed');
    socket.close(CloseCode.serverError, code === ErrorCode.serviceUnavailable ? errorText(code, lang) : '');
  }

  /**
   * Runs the checks in order; the welcomed connection (already closed, unwelcomed, if the
   * client left meanwhile), or null once the process is stopping.
   */
  private async admit(ctx: WebSocketContext, socket: WebSocket, lang: Lang, inbox: Inbox, admitted: Admitting): Promise<Connection | null> {
    const deadline = performance.now() + this.settings.authTimeoutMs;
    try {
      await this.socketsPerIp.consume(addressKey(ctx.ip));
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      this.refuseBusy(socket, lang, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
      return null;
    }
    // When the rows were read: a close or a ban published after that overtakes what they say.
    const eventReadAt = performance.now();
    const event = await eventOfRequest(ctx, this.deps.events);
    checkOrigin(ctx, event);
    const fromRequest = presentedToken(this.deps.tokens, ctx, event.id);
    const auth = fromRequest ? { token: fromRequest, ref: undefined } : await this.awaitAuth(socket, lang, inbox, deadline);
    const userReadAt = performance.now();
    const { user, sessionEndsAt } = await admitToken(this.deps.tokens, this.users, auth.token, event, this.deps.now());
    const room = this.host.roomFor(event.id);
    try {
      const state = await this.prepare(room, user, event);
      if (this.host.closing) return null;
      this.revocations.check(user.id, user.role, event.id, { eventReadAt, userReadAt });
      const connection = new Connection(
        socket,
        memberOf(user, this.deps.now()),
        event.id,
        lang,
        this.deps.now(),
        this.settings.maxBufferedBytes,
        (closed) => this.host.leave(room, closed),
        ctx.req.socket,
      );
      connection.sessionEndsAt = sessionEndsAt;
      connection.confirmed = user.confirmed_at != null;
      admitted.connection = connection;
      admitted.budget.admitted(user.id);
      if (socket.readyState !== socket.OPEN) {
        // The client left while being admitted: no welcome, but what it sent before leaving
        // is still carried out (accept() drains the inbox), with nobody to answer.
        connection.closedByPeer();
        return connection;
      }
      this.host.join(room, connection);
      this.welcome(connection, state.room, user, event, { ...state, eventReadAt });
      if (auth.ref !== undefined) connection.send({ type: 'ack', ref: auth.ref });
      return connection;
    } finally {
      this.host.releaseIfEmpty(room);
    }
  }

  /**
   * What the welcome needs: the room's state, the other processes' presence, an attendee's
   * question and poll votes, and the held messages and restricted people a member may see.
   */
  private async prepare(room: Room, user: UserRow, event: EventRow): Promise<Prepared> {
    const [state] = await Promise.all([room.ready(), this.deps.presence.ready(event.id)]);
    const attendee = isAttendeeRole(user.role);
    const questionIds = attendee ? state.publicQuestionIds() : [];
    const [voted, myVotes, held, restricted] = await Promise.all([
      questionIds.length > 0 ? this.votes.add({ userId: user.id, questionIds }) : [],
      attendee && state.hasPolls ? this.pollVotes.add({ eventId: event.id, userId: user.id }) : [],
      // Moderators read the held list whatever the room saw: a hold announced while they are admitted must not be missed.
      state.mayHoldChat || isModeratorRole(user.role) ? this.heldChat.add({ eventId: event.id, userId: user.id, moderator: isModeratorRole(user.role) }) : [],
      isModeratorRole(user.role) ? restrictionsOf(event.id, null, this.deps.now()) : undefined,
    ]);
    return { room: state, voted, myVotes, held, restricted };
  }

  /**
   * Sent right after the socket joined its room, before any further frame of the room leaves;
   * with the event's state as read, or as a change that came over the bus since made it.
   */
  private welcome(connection: Connection, state: RoomState, user: UserRow, event: EventRow, prepared: Prepared & { eventReadAt: number }) {
    const { voted, myVotes, held, restricted, eventReadAt } = prepared;
    const publicEvent = toPublicEvent(event, this.deps.now());
    publicEvent.state = this.revocations.stateSince(event.id, publicEvent.state, eventReadAt);
    connection.eventState = publicEvent.state;
    const welcome: Omit<WelcomeMessage, 'chat' | 'questions' | 'polls' | 'poll_results'> = {
      type: 'welcome',
      user: toSessionUser(user, this.deps.now()),
      event: publicEvent,
      voted,
      highlighted: state.highlighted,
      pinned: pinnedOf(event),
      held,
      ...(restricted ? { restricted } : {}),
      viewers: this.deps.presence.viewers(event.id),
      heartbeat_ms: this.settings.heartbeatMs,
      my_votes: myVotes,
    };
    // The chat and question lists are serialized once per change of the room, not per newcomer.
    const head = JSON.stringify(welcome).slice(0, -1);
    const questions = state.questionsForWelcome(connection.member, connection.audienceClass);
    const polls = state.pollsForWelcome(connection.audienceClass);
    connection.sendSerialized(`${head},"chat":${state.chatForWelcome()},"questions":${questions},${polls}}`);
  }

  /** Waits for the first `auth` frame; anything else meanwhile is answered with not_authenticated. */
  private async awaitAuth(socket: WebSocket, lang: Lang, inbox: Inbox, deadline: number) {
    const tally: RefusedTally = { refusedFrames: 0, refusedSince: 0 };
    for (;;) {
      const frame = await inbox.take(deadline);
      if (frame === null) throw refusals.notAuthenticated();
      const parsed = parseClientFrame(frame, lang);
      // An `auth` whose token is not a string of a token's size presents a credential that
      // cannot be valid: 4001 at once, as for a bad token.
      if (!parsed.ok && parsed.type === 'auth') throw refusals.notAuthenticated();
      const refused = !parsed.ok || parsed.message.type !== 'auth';
      if (refused && !countRefused(tally, performance.now())) {
        // Closed as over its budget (1008); refuse() then finds the socket closing and adds nothing.
        traffic.overBudgetDropped += 1;
        dropSocket(socket, CloseCode.policyViolation, errorText(ErrorCode.rateLimited, lang));
        throw refusals.notAuthenticated();
      }
      if (!parsed.ok) {
        this.replyUnadmitted(socket, lang, parsed.error);
        continue;
      }
      if (parsed.message.type === 'auth') return { token: parsed.message.token, ref: parsed.message.ref };
      this.replyUnadmitted(socket, lang, errorMessage(ErrorCode.notAuthenticated, lang, { ref: parsed.message.ref }));
    }
  }

  /** Closes every socket still open (1012), waits up to 2 s (and `deadline`) for them to go, then destroys the rest. */
  async closeAll(deadline: number) {
    for (const socket of this.sockets) socket.close(CloseCode.serverRestarting);
    const gone = Math.min(Date.now() + 2_000, deadline);
    while (this.sockets.size > 0 && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of this.sockets) socket.terminate();
  }

  /** Bytes written to sockets and not yet taken by the network: in all, and on the fullest socket. */
  bufferedBytes(): { total: number; largest: number } {
    let total = 0;
    let largest = 0;
    for (const socket of this.sockets) {
      total += socket.bufferedAmount;
      largest = Math.max(largest, socket.bufferedAmount);
    }
    return { total, largest };
  }
}
