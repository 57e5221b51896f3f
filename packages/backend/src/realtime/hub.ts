import type { WebSocketMiddleware } from 'koa-websocket';
import type { RawData } from 'ws';
import { ErrorCode } from '@palco/sdk/protocol';
import type { BusEnvelope } from '../bus/bus.js';
import type { RealtimeSettings } from '../config.js';
import type { AppDeps } from '../context.js';
import { Admission, type AdmissionHost } from './admission.js';
import { AnalyticsRecorder } from './analytics-recorder.js';
import { Attendance } from './attendance.js';
import { ChatReplay } from './chat-replay.js';
import { CoalescingWindow } from './coalescing.js';
import { createCommandServices, runAndAnswer, type CommandServices } from './commands.js';
import type { Connection } from './connection.js';
import { answerControlFrame, type ControlFrameDeps } from './control-frames.js';
import { errorMessage, parseClientFrame } from './frames.js';
import { KeepAlive } from './keep-alive.js';
import { PresenceBroadcast } from './presence-broadcast.js';
import { Revocations } from './revocations.js';
import { ReplayExpiry } from './replay-expiry.js';
import { Room } from './room.js';
import { settleBy } from './settle-by.js';
import { traffic } from './traffic.js';

/** Commands of one socket waiting their turn; past this a client is sending faster than it is served. */
const maxQueuedCommands = 32;

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
  /** Sockets with commands queued, in a room or already closed by the client: shutdown waits for them. */
  private readonly busy = new Set<Connection>();
  private readonly services: CommandServices;
  private readonly attendance: Attendance;
  private readonly admission: Admission;
  private readonly revocations: Revocations;
  private readonly presence: PresenceBroadcast;
  /** Watch time and viewer samples; tests and shutdown call its flushWatchTime() and sampleViewers(). */
  readonly analytics: AnalyticsRecorder;
  private readonly keepAlive: KeepAlive;
  private readonly replay: ChatReplay;
  /** Closes attendees' sockets once a replay window passes; tests call its sweep. */
  readonly replayExpiry: ReplayExpiry;
  private readonly control: ControlFrameDeps;
  private readonly window: CoalescingWindow;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: AppDeps,
    private readonly settings: RealtimeSettings,
  ) {
    this.services = createCommandServices(deps);
    this.window = new CoalescingWindow({ minMs: settings.coalesceMs, maxMs: settings.coalesceMaxMs });
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
    this.replay = new ChatReplay(deps.bus, this.services.chat, () => this.rooms.values(), deps.logger);
    this.control = { now: () => deps.now(), heartbeat: (connection, visibleMs) => this.analytics.heartbeat(connection, visibleMs) };
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
    // Commands keep the last seconds for writing what the sockets leave behind.
    await settleBy(Promise.all([...this.busy].map((connection) => connection.commands)), deadline - 3_000);
    this.services.polls.stop();
    await this.services.reactions.stop();
    this.unsubscribe();
    let unanswered = 0;
    for (const room of this.rooms.values()) unanswered += room.closeForRestart();
    this.rooms.clear();
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
    if (!room) this.rooms.set(eventId, (room = new Room(eventId, this.window)));
    room.keep();
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

  /** A room without sockets keeps its state idleRoomMs (people reconnect), then goes. */
  releaseIfEmpty(room: Room) {
    if (this.closing) return;
    room.releaseWhenIdle(this.settings.idleRoomMs, () => {
      if (this.rooms.get(room.eventId) !== room) return;
      room.dispose();
      this.presence.forget(room.eventId);
      this.rooms.delete(room.eventId);
    });
  }

  private *connections(): Generator<Connection> {
    for (const room of this.rooms.values()) yield* room.connections;
  }

  /* ------------------------------------------------------------------ client messages */

  /** A frame of a socket; one the client sent before closing its side is still carried out. */
  receive(connection: Connection, data: RawData) {
    if (connection.closedByServer) return;
    traffic.messagesIn += 1;
    const parsed = parseClientFrame(data, connection.lang);
    if (!parsed.ok) return connection.refuseFrame(parsed.error);
    const message = parsed.message;
    if (answerControlFrame(message, connection, this.control)) return;
    if (this.closing) {
      // Not carried out: the client sends it again, on this process's successor.
      return connection.send(errorMessage(ErrorCode.serviceUnavailable, connection.lang, { ref: message.ref, retry_after: 1 }));
    }
    if (connection.queuedCommands >= maxQueuedCommands) {
      return connection.send(errorMessage(ErrorCode.rateLimited, connection.lang, { ref: message.ref, retry_after: 1 }));
    }
    connection.queuedCommands += 1;
    this.busy.add(connection);
    connection.commands = connection.commands
      .then(() => runAndAnswer(message, connection, this.services, this.deps.logger))
      .finally(() => {
        connection.queuedCommands -= 1;
        if (connection.queuedCommands === 0) this.busy.delete(connection);
      });
  }

  /* ------------------------------------------------------------------ bus */

  private deliver(envelope: BusEnvelope) {
    switch (envelope.kind) {
      case 'broadcast':
        if (envelope.message.type === 'event_state') this.revocations.stateChanged(envelope.eventId, envelope.message.state);
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
