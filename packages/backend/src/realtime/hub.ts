import type { WebSocketMiddleware } from 'koa-websocket';
import type { RawData } from 'ws';
import { CloseCode, ErrorCode } from '@palco/sdk/protocol';
import type { BusEnvelope } from '../bus/bus.js';
import type { RealtimeSettings } from '../config.js';
import type { AppDeps } from '../context.js';
import { PollService } from '../polls/poll-service.js';
import { ReactionService } from '../polls/reactions.js';
import { ChatService } from '../services/chat.js';
import { QuestionService } from '../services/questions.js';
import { Admission, type AdmissionHost } from './admission.js';
import { AnalyticsRecorder } from './analytics-recorder.js';
import { Attendance } from './attendance.js';
import { ChatReplay } from './chat-replay.js';
import { runAndAnswer, type CommandServices } from './commands.js';
import type { Connection } from './connection.js';
import { errorMessage, parseClientFrame } from './frames.js';
import { KeepAlive } from './keep-alive.js';
import { PresenceBroadcast } from './presence-broadcast.js';
import { Revocations } from './revocations.js';
import { ReplayExpiry } from './replay-expiry.js';
import { Room } from './room.js';
import { traffic } from './traffic.js';
import { WriteGate } from './write-gate.js';

/** Commands of one socket waiting their turn; past this a client is sending faster than it is served. */
const maxQueuedCommands = 32;

/** Waits for `work`, or until `deadline` (Date.now()), whichever comes first. */
async function settleBy(work: Promise<unknown>, deadline: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  await Promise.race([work.catch(() => undefined), late]);
  clearTimeout(timer);
}

/**
 * The socket hub (docs/architecture.md "The hub"): the rooms of this process, each socket's
 * command queue, the delivery of what arrives over the bus, and shutdown. It is the only
 * writer to sockets; everything that changes state publishes on the bus, so several
 * processes sharing Redis deliver exactly like one. Admission, presence broadcasting,
 * keep-alive, the chat replay and the analytics writes each live in their own module.
 */
export class SocketHub implements AdmissionHost {
  private stopping = false;
  private readonly rooms = new Map<number, Room>();
  /** Timers that drop a room a while after its last socket left. */
  private readonly idleTimers = new Map<number, NodeJS.Timeout>();
  private readonly services: CommandServices;
  private readonly attendance: Attendance;
  private readonly admission: Admission;
  private readonly revocations: Revocations;
  private readonly presence: PresenceBroadcast;
  private readonly analytics: AnalyticsRecorder;
  private readonly keepAlive: KeepAlive;
  private readonly replay: ChatReplay;
  /** Closes attendees' sockets once a replay window passes; tests call its sweep. */
  readonly replayExpiry: ReplayExpiry;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: AppDeps,
    private readonly settings: RealtimeSettings,
  ) {
    const chat = new ChatService(deps);
    this.services = {
      bus: deps.bus,
      now: () => deps.now(),
      chat,
      questions: new QuestionService(deps),
      polls: new PollService(deps),
      reactions: new ReactionService(deps),
      gate: new WriteGate(deps),
    };
    const eventIds = () => this.rooms.keys();
    this.analytics = new AnalyticsRecorder(deps, settings, eventIds);
    const { watchTime } = this.analytics;
    this.presence = new PresenceBroadcast({
      ...deps,
      settings,
      room: (eventId) => this.rooms.get(eventId),
      eventIds,
      attendees: (eventId) => this.attendance.attendees(eventId),
      secondsWatched: (eventId, userId) => watchTime.secondsWatched(eventId, userId),
    });
    // Presence first: the viewers it counts are what the others then broadcast.
    this.attendance = new Attendance([deps.presence, this.analytics.attendance, this.presence]);
    this.revocations = new Revocations({ socketsOf: (eventId, userId) => this.attendance.socketsOf(eventId, userId), room: (eventId) => this.rooms.get(eventId), eventIds });
    this.admission = new Admission(deps, settings, this, this.revocations);
    this.keepAlive = new KeepAlive(settings.keepAliveMs, () => this.connections());
    this.replay = new ChatReplay(deps.bus, chat, () => this.rooms.values(), deps.logger);
    this.replayExpiry = new ReplayExpiry(deps, () => this.rooms.values(), settings.keepAliveMs);
    this.unsubscribe = deps.bus.subscribe((envelope) => this.deliver(envelope));
    deps.metrics.trackHub(this);
  }

  /** The koa-websocket middleware of `GET /ws`. */
  middleware(): WebSocketMiddleware {
    return (ctx) => this.admission.accept(ctx);
  }

  /** Events with a room on this process (sockets open, or closed less than idleRoomMs ago). */
  get roomCount(): number {
    return this.rooms.size;
  }

  /** Sockets open on this process, admitted or not. */
  get openSockets(): number {
    return this.admission.sockets.size;
  }

  /** Bytes written to sockets and not yet taken by the network: in all, and on the fullest socket. */
  get bufferedBytes(): { total: number; largest: number } {
    return this.admission.bufferedBytes();
  }

  /** Events with at least one welcomed socket on this process. */
  get liveEvents(): number {
    return [...this.rooms.values()].filter((room) => !room.isEmpty).length;
  }

  viewersNow(eventId: number): number {
    return this.deps.presence.viewers(eventId);
  }

  /** Writes the watch time counted so far (also done every few seconds). */
  flushWatchTime(): Promise<void> {
    return this.analytics.flushWatchTime();
  }

  /** Adds this minute's point of every live event's concurrency curve (also done every minute). */
  sampleViewers(): Promise<void> {
    return this.analytics.sampleViewers();
  }

  /**
   * Stops for a restart, by `deadline` (Date.now()): new sockets and commands are refused,
   * the commands already received finish and are answered, queued broadcasts go out, every
   * socket closes with 1012, and the watch time and viewer samples are written. True when
   * everything was answered and written in time.
   */
  async close(deadline = Date.now() + 10_000): Promise<boolean> {
    if (this.stopping) return true;
    this.stopping = true;
    for (const part of [this.keepAlive, this.presence, this.admission, this.replay, this.replayExpiry]) part.stop();
    this.analytics.stopTimers();
    const connections = [...this.connections()];
    // Commands keep the last seconds for writing what the sockets leave behind.
    await settleBy(Promise.all(connections.map((connection) => connection.commands)), deadline - 3_000);
    this.services.polls.stop();
    await this.services.reactions.stop();
    this.unsubscribe();
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
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    const [written] = await Promise.all([this.analytics.writeAll(deadline), this.admission.closeAll(deadline)]);
    if (unanswered > 0) this.deps.logger.error({ sockets: unanswered }, 'closed sockets with commands still running');
    return written && unanswered === 0;
  }

  /* ------------------------------------------------------------------ rooms */

  /** Once close() began: no new sockets, no new commands. */
  get closing(): boolean {
    return this.stopping;
  }

  roomFor(eventId: number): Room {
    let room = this.rooms.get(eventId);
    if (!room) this.rooms.set(eventId, (room = new Room(eventId, this.settings.coalesceMs)));
    clearTimeout(this.idleTimers.get(eventId));
    this.idleTimers.delete(eventId);
    return room;
  }

  join(room: Room, connection: Connection) {
    this.attendance.add(connection);
    room.join(connection);
    this.keepAlive.track(connection);
    if (connection.audienceClass === 'moderator') this.presence.moderatorJoined(room.eventId);
  }

  leave(room: Room, connection: Connection) {
    room.leave(connection);
    this.attendance.remove(connection);
    this.releaseIfEmpty(room);
  }

  /** A room without sockets keeps its state a while (people reconnect), then goes. */
  releaseIfEmpty(room: Room) {
    if (this.closing || !room.isEmpty || this.idleTimers.has(room.eventId)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.eventId);
      if (!room.isEmpty || this.rooms.get(room.eventId) !== room) return;
      room.dispose();
      this.presence.forget(room.eventId);
      this.rooms.delete(room.eventId);
    }, this.settings.idleRoomMs);
    timer.unref();
    this.idleTimers.set(room.eventId, timer);
  }

  private *connections(): Generator<Connection> {
    for (const room of this.rooms.values()) yield* room.connections;
  }

  /* ------------------------------------------------------------------ client messages */

  receive(connection: Connection, data: RawData) {
    if (!connection.isOpen) return;
    traffic.messagesIn += 1;
    const parsed = parseClientFrame(data, connection.lang);
    if (!parsed.ok) return connection.send(parsed.error);
    const message = parsed.message;
    if (message.type === 'ping') {
      if (connection.isAttendee) this.analytics.heartbeat(connection, message.visible_ms ?? 0);
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
      .then(() => runAndAnswer(message, connection, this.services, this.deps.logger))
      .finally(() => {
        connection.queuedCommands -= 1;
      });
  }

  /* ------------------------------------------------------------------ bus */

  private deliver(envelope: BusEnvelope) {
    switch (envelope.kind) {
      case 'broadcast':
        return this.rooms.get(envelope.eventId)?.enqueue(envelope.audience, envelope.message, envelope.question);
      case 'close_event':
        return this.revocations.closeEvent(envelope.eventId);
      case 'presence_changed':
        return void this.presence.update(envelope.eventId);
      case 'disconnect_user':
        return this.revocations.disconnectUser(envelope);
      case 'user_flags':
        return this.revocations.userFlags(envelope);
    }
  }
}
