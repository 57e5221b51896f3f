import type { WebSocketContext, WebSocketMiddleware } from 'koa-websocket';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RawData, WebSocket } from 'ws';
import {
  CloseCode,
  ErrorCode,
  errorText,
  pickLang,
  Role,
  type ActiveSession,
  type Lang,
  type ServerMessage,
  type WelcomeMessage,
} from '@palco/sdk/protocol';
import type { RealtimeSettings } from '../config.js';
import type { AppDeps } from '../context.js';
import { Op } from 'sequelize';
import { ChatMessageRow, EventRow, type UserRow } from '../db/models.js';
import { describeError, isDatabaseUnreachable, logUnavailable } from '../errors.js';
import { sampleMinute, ViewerSamples, WatchTime } from '../services/analytics.js';
import { ChatService } from '../services/chat.js';
import { QuestionService } from '../services/questions.js';
import { toChatMessage, toPublicEvent, toSessionUser } from '../services/serialize.js';
import { storedTime } from '../services/stored-time.js';
import {
  admitToken,
  checkOrigin,
  eventOfRequest,
  first,
  Inbox,
  presentedToken,
  Refusal,
  refusals,
  userReads,
} from './admission.js';
import type { BusEnvelope } from '../bus/bus.js';
import { runCommand, type Command, type CommandServices } from './commands.js';
import { memberOf } from '../services/member.js';
import { Connection, dropSocket } from './connection.js';
import { FrameBudgets, type SocketBudget } from './frame-budget.js';
import { errorMessage, parseClientFrame } from './frames.js';
import { Room } from './room.js';
import { voteReads, type RoomState } from './room-state.js';
import { traffic } from './traffic.js';

/** Frames kept from a socket that is still being admitted; a client needs one (`auth`). */
const inboxCapacity = 16;
/** Commands of one socket waiting their turn; past this a client is sending faster than it is served. */
const maxQueuedCommands = 32;
/** Audience lists are for a moderator's screen, not an export: the count is exact, the list capped. */
const maxActiveSessionsListed = 500;
/** Closes and bans are remembered this long, for admissions that read the database before they happened. */
const revocationMemoryMs = 60_000;
/** A replay after a bus outage reaches this far before the outage began (clocks, write delays). */
const replayMarginMs = 10_000;
/** Past this many messages of one event, viewers fill the rest of an outage's gap from history on their next reconnect. */
const maxReplayedChat = 2_000;
/**
 * The keep-alive interval is cut in this many slices, each pinging its share of the sockets:
 * a ping costs a socket write, and 10 000 of them in one loop would hold up the frames.
 */
const keepAliveSlices = 10;

/** A socket being admitted: its connection once welcomed, and the frame budget it draws from all along. */
interface Admitting {
  connection: Connection | null;
  budget: SocketBudget;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `work`, or until `deadline` (Date.now()), whichever comes first. */
async function settleBy(work: Promise<unknown>, deadline: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  await Promise.race([work.catch(() => undefined), late]);
  clearTimeout(timer);
}

/**
 * The socket hub (DESIGN.md "Realtime"): admits sockets, runs their commands, and delivers
 * every broadcast that arrives over the bus to the rooms of this process. It is the only
 * writer to sockets; everything that changes state publishes on the bus, so several
 * processes sharing Redis deliver exactly like one.
 */
export class SocketHub {
  private readonly watchTime: WatchTime;
  private readonly viewerSamples = new ViewerSamples();
  private readonly rooms = new Map<number, Room>();
  /** Every socket open on this process, admitted or not. */
  private readonly sockets = new Set<WebSocket>();
  /** How many of them each client address holds. */
  private readonly openSocketsByIp = new Map<string, number>();
  /** Users whose sessions ended (ban, revocation) and events closed, with when (performance.now). */
  private readonly revokedUsers = new Map<number, { at: number; refusal: Refusal }>();
  private readonly closedEvents = new Map<number, number>();
  private readonly services: CommandServices;
  private readonly users = userReads();
  private readonly votes = voteReads();
  private readonly socketsPerIp: RateLimiterAbstract;
  private readonly frameBudgets: FrameBudgets;
  private readonly unsubscribe: () => void;
  private readonly stopReplays: () => void;
  private readonly intervals: NodeJS.Timeout[];
  /** Events whose last sample was above zero: they get a closing zero when their room goes. */
  private sampledEvents = new Set<number>();
  private closing = false;
  private keepAliveTicks = 0;
  private connectionsMade = 0;

  constructor(
    private readonly deps: AppDeps,
    private readonly settings: RealtimeSettings,
  ) {
    this.watchTime = new WatchTime(deps, settings.heartbeatCapSeconds);
    this.services = { bus: deps.bus, chat: new ChatService(deps), questions: new QuestionService(deps) };
    this.frameBudgets = new FrameBudgets(settings.frameBudget);
    this.socketsPerIp = deps.makeLimiter({ keyPrefix: 'ws_ip', points: deps.config.rateLimits.socketsPerIpPerMinute, duration: 60 });
    this.unsubscribe = deps.bus.subscribe((envelope) => this.deliver(envelope));
    deps.metrics.trackHub(this);
    this.stopReplays = deps.bus.onReconnected((lostSince) => void this.replayMissedChat(lostSince));
    const every = (ms: number, task: () => unknown) => {
      const timer = setInterval(task, ms);
      timer.unref();
      return timer;
    };
    this.intervals = [
      every(settings.keepAliveMs / keepAliveSlices, () => this.keepAlive()),
      every(settings.watchTimeFlushMs, () => void this.flushWatchTime()),
      every(settings.viewerSampleMs, () => void this.sampleViewers()),
      every(settings.presenceHeartbeatMs, () => void this.presenceHeartbeat()),
    ];
  }

  /** The koa-websocket middleware of `GET /ws`. */
  middleware(): WebSocketMiddleware {
    return (ctx) => this.accept(ctx);
  }

  /** Events with a room on this process (sockets open, or closed less than idleRoomMs ago). */
  get roomCount(): number {
    return this.rooms.size;
  }

  /** Sockets open on this process, admitted or not. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Bytes written to sockets and not yet taken by the network: in all, and on the fullest socket. */
  get bufferedBytes(): { total: number; largest: number } {
    let total = 0;
    let largest = 0;
    for (const socket of this.sockets) {
      total += socket.bufferedAmount;
      largest = Math.max(largest, socket.bufferedAmount);
    }
    return { total, largest };
  }

  /** Events with at least one welcomed socket on this process. */
  get liveEvents(): number {
    let live = 0;
    for (const room of this.rooms.values()) if (!room.isEmpty) live += 1;
    return live;
  }

  viewersNow(eventId: number): number {
    return this.deps.presence.viewers(eventId);
  }

  /** Writes the watch time counted so far (the hub also does it every few seconds). */
  async flushWatchTime() {
    try {
      await this.watchTime.flush();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'watch time flush failed');
    }
  }

  /**
   * Adds this minute's point of every live event's concurrency curve: the viewers on every
   * process, written by the one process that claims the event's minute.
   */
  async sampleViewers() {
    const { presence } = this.deps;
    const events = new Set([...this.rooms.keys(), ...this.sampledEvents]);
    await Promise.all([...events].map((eventId) => presence.refresh(eventId)));
    const counts = new Map([...events].map((eventId) => [eventId, presence.viewers(eventId)]));
    this.sampledEvents = new Set([...counts].filter(([, viewers]) => viewers > 0).map(([eventId]) => eventId));
    for (const room of this.rooms.values()) this.scheduleActiveSessions(room);
    const at = this.deps.now();
    const claimed = await Promise.all([...counts].map(async ([eventId]) => (await presence.claimSample(eventId, sampleMinute(at))) && eventId));
    for (const eventId of counts.keys()) if (!claimed.includes(eventId)) counts.delete(eventId);
    try {
      await this.viewerSamples.record(counts, at);
    } catch (error) {
      this.deps.logger.warn({ err: (error as Error).message }, 'viewer samples not written; kept for the next write');
    }
  }

  /**
   * Stops for a restart, by `deadline` (Date.now()): new sockets and commands are refused,
   * the commands already received finish and are answered, queued broadcasts go out, every
   * socket closes with 1012, and the watch time and viewer samples are written. True when
   * everything was answered and written in time.
   */
  async close(deadline = Date.now() + 10_000): Promise<boolean> {
    if (this.closing) return true;
    this.closing = true;
    for (const timer of this.intervals) clearInterval(timer);
    const connections = [...this.rooms.values()].flatMap((room) => [...room.connections]);
    // Commands keep the last seconds for writing what the sockets leave behind.
    await settleBy(Promise.all(connections.map((connection) => connection.commands)), deadline - 3_000);
    this.unsubscribe();
    this.stopReplays();
    let unanswered = 0;
    for (const room of this.rooms.values()) {
      room.flush();
      for (const connection of [...room.connections]) {
        // 1012 promises the client that whatever went unanswered was not done, so it sends it
        // again; a command still running past the deadline has an unknown outcome (1011).
        const answeredAll = connection.queuedCommands === 0;
        if (!answeredAll) unanswered += 1;
        connection.close(answeredAll ? CloseCode.serverRestarting : CloseCode.serverError);
      }
      room.dispose();
    }
    this.rooms.clear();
    for (const socket of this.sockets) socket.close(CloseCode.serverRestarting);
    const written = await this.writeAnalytics(deadline);
    const socketsGone = Date.now() + 2_000;
    while (this.sockets.size > 0 && Date.now() < Math.min(socketsGone, deadline)) await sleep(20);
    for (const socket of this.sockets) socket.terminate();
    if (unanswered > 0) this.deps.logger.error({ sockets: unanswered }, 'closed sockets with commands still running');
    return written && unanswered === 0;
  }

  /** Writes the watch time and viewer samples, retrying until `deadline` while the database is away. */
  private async writeAnalytics(deadline: number): Promise<boolean> {
    for (;;) {
      await this.flushWatchTime();
      await this.viewerSamples.flush().catch(() => undefined);
      const pending = { watchTime: this.watchTime.pending, viewerSamples: this.viewerSamples.pending };
      if (pending.watchTime === 0 && pending.viewerSamples === 0) return true;
      if (Date.now() + 500 > deadline) {
        this.deps.logger.error(pending, 'analytics not written before the shutdown deadline');
        return false;
      }
      await sleep(500);
    }
  }

  /* ------------------------------------------------------------------ admission */

  private accept(ctx: WebSocketContext) {
    const socket = ctx.websocket;
    if (this.closing || ctx.path !== '/ws') {
      socket.close(this.closing ? CloseCode.serverRestarting : CloseCode.eventNotFound);
      return;
    }
    const lang = pickLang(first(ctx.query.lang), ctx.get('Accept-Language'));
    const ip = ctx.ip;
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
    // Listeners go on before anything is awaited: a client may send `auth` at once.
    socket.on('message', (data: RawData) => {
      if (overBudget) return;
      traffic.framesIn += 1;
      if (!admitted.budget.take()) {
        overBudget = true;
        traffic.overBudgetDropped += 1;
        const reason = errorText(ErrorCode.rateLimited, lang);
        if (admitted.connection) admitted.connection.drop(CloseCode.policyViolation, reason);
        else dropSocket(socket, CloseCode.policyViolation, reason);
        return;
      }
      if (admitted.connection) this.receive(admitted.connection, data);
      else if (!inbox.put(data)) this.replyUnadmitted(socket, lang, errorMessage(ErrorCode.rateLimited, lang, { retry_after: 1 }));
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      const left = (this.openSocketsByIp.get(ip) ?? 1) - 1;
      if (left > 0) this.openSocketsByIp.set(ip, left);
      else this.openSocketsByIp.delete(ip);
      inbox.close();
      admitted.connection?.closedByPeer();
    });
    socket.on('pong', () => {
      if (admitted.connection) admitted.connection.alive = true;
    });
    this.admit(ctx, socket, lang, inbox, admitted).then(
      (connection) => {
        // Frames that came while the welcome was being prepared run now, in order.
        if (connection) for (const frame of inbox.drain()) this.receive(connection, frame);
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

  /** Runs the checks of DESIGN.md "Realtime" in order; the welcomed connection, or null if the socket went away. */
  private async admit(
    ctx: WebSocketContext,
    socket: WebSocket,
    lang: Lang,
    inbox: Inbox,
    admitted: Admitting,
  ): Promise<Connection | null> {
    const deadline = performance.now() + this.settings.authTimeoutMs;
    try {
      await this.socketsPerIp.consume(ctx.ip);
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
    const { user, sessionEndsAt } = await admitToken(this.deps.tokens, this.users, auth.token, event);
    const room = this.roomFor(event.id);
    try {
      const connection = await this.enter(room, socket, lang, user, event, { eventReadAt, userReadAt }, auth.ref, admitted);
      if (connection) connection.sessionEndsAt = sessionEndsAt;
      return connection;
    } finally {
      // An admission that came this far and still failed must not leave an empty room behind.
      if (room.isEmpty) this.scheduleIdleDrop(room);
    }
  }

  /** Loads what the welcome needs and joins the room, unless a ban or a close overtook the admission. */
  private async enter(
    room: Room,
    socket: WebSocket,
    lang: Lang,
    user: UserRow,
    event: EventRow,
    readAt: { eventReadAt: number; userReadAt: number },
    authRef: string | number | undefined,
    admitted: Admitting,
  ): Promise<Connection | null> {
    const [state] = await Promise.all([room.ready(), this.deps.presence.ready(event.id)]);
    const questionIds = user.role === Role.viewer ? state.publicQuestionIds() : [];
    const voted = questionIds.length > 0 ? await this.votes.add({ userId: user.id, questionIds }) : [];
    if (socket.readyState !== socket.OPEN || this.closing) return null;
    const revoked = this.revokedUsers.get(user.id);
    if (revoked && revoked.at >= readAt.userReadAt) throw revoked.refusal;
    const closedAt = this.closedEvents.get(event.id);
    if (closedAt !== undefined && closedAt >= readAt.eventReadAt && user.role === Role.viewer) throw refusals.eventClosed();

    const connection = new Connection(
      socket,
      memberOf(user),
      event.id,
      lang,
      this.deps.now(),
      this.settings.maxBufferedBytes,
      (closed) => this.detach(room, closed),
    );
    connection.keepAliveSlice = this.connectionsMade++ % keepAliveSlices;
    admitted.connection = connection;
    admitted.budget.admitted(user.id);
    this.join(room, connection, state, user, event, voted);
    if (authRef !== undefined) connection.send({ type: 'ack', ref: authRef });
    return connection;
  }

  /** Waits for the first `auth` frame; anything else meanwhile is answered with not_authenticated. */
  private async awaitAuth(socket: WebSocket, lang: Lang, inbox: Inbox, deadline: number) {
    for (;;) {
      const frame = await inbox.take(deadline);
      if (frame === null) throw refusals.notAuthenticated();
      const parsed = parseClientFrame(frame, lang);
      if (!parsed.ok) {
        this.replyUnadmitted(socket, lang, parsed.error);
        continue;
      }
      if (parsed.message.type === 'auth') return { token: parsed.message.token, ref: parsed.message.ref };
      this.replyUnadmitted(socket, lang, errorMessage(ErrorCode.notAuthenticated, lang, { ref: parsed.message.ref }));
    }
  }

  private roomFor(eventId: number): Room {
    let room = this.rooms.get(eventId);
    if (!room) this.rooms.set(eventId, (room = new Room(eventId, this.settings.coalesceMs)));
    if (room.timers.idle) clearTimeout(room.timers.idle);
    room.timers.idle = null;
    return room;
  }

  /** Welcomes the socket and adds it to the room in one step, before any further frame leaves. */
  private join(room: Room, connection: Connection, state: RoomState, user: UserRow, event: EventRow, voted: number[]) {
    const { member } = connection;
    if (connection.isAttendee) {
      const session = { userId: member.id, name: member.name, role: member.role, since: connection.connectedAt, secondsWatched: 0 };
      if (this.deps.presence.join(room.eventId, session)) this.scheduleViewers(room);
      this.watchTime.connect(room.eventId, member.id);
    }
    room.join(connection);
    const welcome: Omit<WelcomeMessage, 'chat' | 'questions'> = {
      type: 'welcome',
      user: toSessionUser(user),
      event: toPublicEvent(event),
      voted,
      highlighted: state.highlighted,
      viewers: this.deps.presence.viewers(room.eventId),
      heartbeat_ms: this.settings.heartbeatMs,
    };
    // The chat and question lists are serialized once per change of the room, not per newcomer.
    const head = JSON.stringify(welcome).slice(0, -1);
    const questions = state.questionsForWelcome(member, connection.audienceClass);
    connection.sendSerialized(`${head},"chat":${state.chatForWelcome()},"questions":${questions}}`);
    if (connection.audienceClass === 'moderator' || connection.isAttendee) this.scheduleActiveSessions(room);
  }

  private detach(room: Room, connection: Connection) {
    room.leave(connection);
    const { member } = connection;
    if (connection.isAttendee) {
      this.watchTime.disconnect(room.eventId, member.id);
      if (this.deps.presence.leave(room.eventId, member.id)) this.scheduleViewers(room);
      this.scheduleActiveSessions(room);
    }
    if (room.isEmpty) this.scheduleIdleDrop(room);
  }

  /** A room without sockets keeps its state a while (people reconnect), then goes. */
  private scheduleIdleDrop(room: Room) {
    if (this.closing || room.timers.idle) return;
    room.timers.idle = setTimeout(() => {
      room.timers.idle = null;
      if (!room.isEmpty || this.rooms.get(room.eventId) !== room) return;
      room.dispose();
      this.rooms.delete(room.eventId);
    }, this.settings.idleRoomMs);
    room.timers.idle.unref();
  }

  /* ------------------------------------------------------------------ client messages */

  private receive(connection: Connection, data: RawData) {
    if (!connection.isOpen) return;
    traffic.messagesIn += 1;
    const parsed = parseClientFrame(data, connection.lang);
    if (!parsed.ok) return connection.send(parsed.error);
    const message = parsed.message;
    if (message.type === 'ping') {
      if (connection.isAttendee) {
        const now = this.deps.now();
        this.watchTime.heartbeat(connection.eventId, connection.member.id, message.visible_ms ?? 0, now - connection.lastHeartbeatAt);
        connection.lastHeartbeatAt = now;
      }
      return connection.send({ type: 'pong', ref: message.ref, server_time: new Date(this.deps.now()).toISOString() });
    }
    if (message.type === 'auth') {
      if (message.ref !== undefined) connection.send({ type: 'ack', ref: message.ref });
      return;
    }
    if (this.closing) {
      // Not carried out: the client sends it again, on this process's successor.
      return connection.send(errorMessage(ErrorCode.serviceUnavailable, connection.lang, { ref: message.ref, retry_after: 1 }));
    }
    if (connection.queuedCommands >= maxQueuedCommands) {
      return connection.send(errorMessage(ErrorCode.rateLimited, connection.lang, { ref: message.ref, retry_after: 1 }));
    }
    connection.queuedCommands += 1;
    connection.commands = connection.commands
      .then(() => this.run(connection, message))
      .finally(() => {
        connection.queuedCommands -= 1;
      });
  }

  private async run(connection: Connection, command: Command) {
    if (!connection.isOpen) return;
    try {
      const result = await runCommand(command, connection, this.services);
      if (command.ref !== undefined) connection.send({ type: 'ack', ref: command.ref, ...result });
    } catch (error) {
      const { status, code, extra } = describeError(error);
      if (isDatabaseUnreachable(error)) logUnavailable(this.deps.logger, error);
      else if (status >= 500) this.deps.logger.error({ err: error, type: command.type }, 'socket command failed');
      connection.send(errorMessage(code, connection.lang, { ref: command.ref, retry_after: extra.retry_after }));
    }
  }

  /* ------------------------------------------------------------------ bus */

  private deliver(envelope: BusEnvelope) {
    switch (envelope.kind) {
      case 'broadcast':
        this.rooms.get(envelope.eventId)?.enqueue(envelope.audience, envelope.message, envelope.question);
        return;
      case 'close_event':
        return this.closeEvent(envelope.eventId);
      case 'presence_changed':
        return void this.updatePresence(envelope.eventId);
      case 'disconnect_user': {
        const refusal = envelope.code === CloseCode.forbidden ? refusals.forbidden() : refusals.notAuthenticated();
        this.revokedUsers.set(envelope.userId, { at: performance.now(), refusal });
        const rooms = envelope.eventId === null ? [...this.rooms.values()] : [this.rooms.get(envelope.eventId)];
        for (const room of rooms) {
          for (const connection of [...(room?.connectionsOf(envelope.userId) ?? [])]) {
            connection.close(envelope.code, errorText(refusal.errorCode, connection.lang));
          }
        }
        return;
      }
      case 'user_flags': {
        if (envelope.banned) this.revokedUsers.set(envelope.userId, { at: performance.now(), refusal: refusals.banned() });
        for (const connection of [...(this.rooms.get(envelope.eventId)?.connectionsOf(envelope.userId) ?? [])]) {
          connection.member.chat_blocked = envelope.chat_blocked;
          connection.member.qa_blocked = envelope.qa_blocked;
          connection.member.banned = envelope.banned;
          if (envelope.banned) connection.close(CloseCode.forbidden, errorText(ErrorCode.banned, connection.lang));
        }
        return;
      }
    }
  }

  /**
   * While the bus was cut off, chat written on other processes reached only their own
   * sockets. Once it is back, each room here gets from the database the messages of the
   * outage it has not delivered; clients drop the ones they already have.
   */
  private async replayMissedChat(lostSince: number) {
    for (const room of [...this.rooms.values()]) {
      const state = room.loadedState;
      if (!state) continue;
      try {
        const rows = await ChatMessageRow.findAll({
          where: { event_id: room.eventId, deleted_at: null, created_at: { [Op.gte]: storedTime(lostSince - replayMarginMs) } },
          order: [['id', 'ASC']],
          limit: maxReplayedChat,
        });
        const missed = rows.filter((row) => !state.hasChat(row.id));
        for (const row of missed) room.enqueue({ kind: 'everyone' }, { type: 'chat', ...toChatMessage(row) });
        if (missed.length > 0) this.deps.logger.warn({ eventId: room.eventId, messages: missed.length }, 'replayed chat missed during a bus outage');
      } catch (error) {
        this.deps.logger.error({ err: (error as Error).message, eventId: room.eventId }, 'chat missed during a bus outage not replayed');
      }
    }
  }

  /** Everything already queued goes out first, then `event_closed`, then the close (4010). */
  private closeEvent(eventId: number) {
    this.closedEvents.set(eventId, performance.now());
    const room = this.rooms.get(eventId);
    if (!room) return;
    room.flush();
    for (const connection of [...room.connections]) {
      const message = errorText(ErrorCode.eventClosed, connection.lang);
      connection.send({ type: 'event_closed', message });
      connection.close(CloseCode.eventClosed, message);
    }
  }

  /* ------------------------------------------------------------------ presence */

  /** Attendees came or went here: at most once per interval, every process is told to count again. */
  private scheduleViewers(room: Room) {
    if (room.timers.viewers || this.closing) return;
    room.timers.viewers = setTimeout(() => {
      room.timers.viewers = null;
      void this.publish({ kind: 'presence_changed', eventId: room.eventId });
    }, this.settings.viewersThrottleMs);
  }

  /**
   * Reads the shared presence of an event and tells this process's sockets the viewers
   * (only when the count changed) and its moderators the audience list. Each process
   * tells its own sockets, so one change anywhere makes one `viewers` frame per socket.
   */
  private async updatePresence(eventId: number) {
    if (!this.rooms.has(eventId)) return;
    await this.deps.presence.refresh(eventId);
    const room = this.rooms.get(eventId);
    if (!room || this.closing) return;
    const count = this.deps.presence.viewers(eventId);
    if (count !== room.lastViewersSent) {
      room.lastViewersSent = count;
      room.enqueue({ kind: 'everyone' }, { type: 'viewers', count });
    }
    this.scheduleActiveSessions(room);
  }

  /** Renews this process's part of the shared presence, then counts again what the others hold. */
  private async presenceHeartbeat() {
    await this.deps.presence.heartbeat((eventId, userId) => this.watchTime.secondsWatched(eventId, userId));
    for (const eventId of this.rooms.keys()) void this.updatePresence(eventId);
  }

  private scheduleActiveSessions(room: Room) {
    if (room.timers.sessions || this.closing || !room.hasModerators()) return;
    room.timers.sessions = setTimeout(() => {
      room.timers.sessions = null;
      if (!room.hasModerators()) return;
      // Every process lists the whole audience to its own moderators.
      const sessions = this.activeSessions(room);
      room.enqueue({ kind: 'moderators' }, { type: 'active_sessions', count: this.deps.presence.viewers(room.eventId), sessions });
    }, this.settings.activeSessionsThrottleMs);
  }

  /** The attendees connected now to any process, each once, earliest first. */
  private activeSessions(room: Room): ActiveSession[] {
    const byUser = new Map<number, ActiveSession>();
    for (const connection of room.connections) {
      if (!connection.isAttendee) continue;
      const known = byUser.get(connection.member.id);
      const since = new Date(connection.connectedAt).toISOString();
      if (known) {
        if (since < known.connected_since) known.connected_since = since;
        continue;
      }
      if (byUser.size >= maxActiveSessionsListed) continue;
      byUser.set(connection.member.id, {
        user_id: connection.member.id,
        name: connection.member.name,
        role: connection.member.role,
        connected_since: since,
        minutes_watched: Math.floor(this.watchTime.secondsWatched(room.eventId, connection.member.id) / 60),
      });
    }
    for (const session of this.deps.presence.remoteSessions(room.eventId)) {
      if (byUser.size >= maxActiveSessionsListed) break;
      byUser.set(session.userId, {
        user_id: session.userId,
        name: session.name,
        role: session.role,
        connected_since: new Date(session.since).toISOString(),
        minutes_watched: Math.floor(session.secondsWatched / 60),
      });
    }
    return [...byUser.values()].sort((a, b) => a.connected_since.localeCompare(b.connected_since));
  }

  private async publish(envelope: BusEnvelope) {
    try {
      await this.deps.bus.publish(envelope);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'bus publish failed');
    }
  }

  /**
   * Pings this slice's sockets (each socket once per keep-alive interval), drops those that
   * did not answer the previous ping and those whose session expired (4001: sign in again),
   * and forgets closes and bans old enough that no admission still in progress predates them.
   */
  private keepAlive() {
    this.frameBudgets.sweep();
    const forgetBefore = performance.now() - revocationMemoryMs;
    for (const [userId, revoked] of this.revokedUsers) if (revoked.at < forgetBefore) this.revokedUsers.delete(userId);
    for (const [eventId, at] of this.closedEvents) if (at < forgetBefore) this.closedEvents.delete(eventId);
    const slice = this.keepAliveTicks++ % keepAliveSlices;
    // Token expiry is wall-clock time, whatever clock the hub's analytics run on.
    const now = Date.now();
    for (const room of this.rooms.values()) {
      for (const connection of [...room.connections]) {
        if (connection.keepAliveSlice !== slice) continue;
        if (connection.sessionEndsAt <= now) {
          connection.close(CloseCode.notAuthenticated, errorText(ErrorCode.notAuthenticated, connection.lang));
          continue;
        }
        if (!connection.alive) {
          connection.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }
  }
}
