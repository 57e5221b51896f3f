import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode, Role, errorText, isModeratorRole, type ErrorMessage, type EventState, type Lang, type ServerMessage } from '@palco/sdk/protocol';
import type { Member } from '../services/member.js';
import { countRefused, type RefusedTally } from './frames.js';
import { traffic } from './traffic.js';
import { textFrame as wholeTextFrame, type SharedFrame } from './wire-frame.js';

/** Who a broadcast reaches is decided per class: every socket of one class gets the same frame. */
export type AudienceClass = 'attendee' | 'speaker' | 'moderator';

/** Attendees are the audience; the role stored for them is `visor`. */
export const isAttendeeRole = (role: Role) => role === Role.attendee;

export function audienceClassOf(role: Role): AudienceClass {
  if (isAttendeeRole(role)) return 'attendee';
  return isModeratorRole(role) ? 'moderator' : 'speaker';
}

const textFrame = { binary: false } as const;
/**
 * A dropped client's unsent bytes sit in front of the close frame, which it may never read:
 * after this grace the socket is destroyed and they are freed.
 */
const dropGraceMs = 2_000;
/** A close reason may hold 123 bytes. */
const maxReasonBytes = 123;

function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > maxReasonBytes) reason = reason.slice(0, -1);
  return reason;
}

/**
 * Closes a socket the server gives up on (a flooder, a slow reader): it reads nothing more
 * from it, and destroys it after a short grace in case it never reads the close frame.
 */
export function dropSocket(socket: WebSocket, code: number, reason: string) {
  if (socket.readyState === socket.OPEN) socket.close(code, closeReason(reason));
  socket.pause();
  setTimeout(() => socket.terminate(), dropGraceMs).unref();
}

/** One open socket of one member in one event. */
export class Connection implements RefusedTally {
  readonly audienceClass: AudienceClass;
  /** Set by a pong, cleared by each keep-alive round: a socket that stays cleared is dead. */
  alive = true;
  /** The member's commands run one after another, in the order sent. */
  commands: Promise<void> = Promise.resolve();
  queuedCommands = 0;
  /** When the session behind this socket expires (ms since the epoch); the hub closes it then. */
  sessionEndsAt = Number.POSITIVE_INFINITY;
  /** When this socket's last heartbeat (or its welcome) came, in the hub's clock: a ping claims no more than the time since. */
  lastHeartbeatAt: number;
  /**
   * Whether the member's registration is known to be confirmed (`users.confirmed_at` set):
   * taken from the row read at admission, then set by the write gate once it finds it so.
   */
  confirmed = false;
  /** The event's state this socket was last told (in its welcome, then by `event_state`): each change reaches it once. */
  eventState: EventState | null = null;
  refusedFrames = 0;
  refusedSince = 0;
  /** Who closed it: the server stops carrying out its frames, the client does not (see closedByServer). */
  private closedBy: 'server' | 'client' | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly member: Member,
    readonly eventId: number,
    readonly lang: Lang,
    /** When this socket joined, in the hub's clock. */
    readonly connectedAt: number,
    private readonly maxBufferedBytes: number,
    /** Called once, when the server closes the socket or the peer goes away. */
    private readonly onClosed: (connection: Connection) => void,
    /**
     * The TCP socket under `socket` (the upgrade request's), when frames may be written to it
     * already framed (wire-frame.ts); without it, ws frames each write.
     */
    private readonly wire: Writable | null = null,
  ) {
    this.audienceClass = audienceClassOf(member.role);
    this.lastHeartbeatAt = connectedAt;
  }

  get isAttendee(): boolean {
    return this.audienceClass === 'attendee';
  }

  /** Whether frames may still be written to it. */
  get isOpen(): boolean {
    return this.closedBy === null && this.socket.readyState === this.socket.OPEN;
  }

  /**
   * Whether the server gave up on it (a ban, a revocation, the event's close, a flood, a slow
   * reader): nothing more of it is carried out. A socket the client closed, or half-closed,
   * still has what it sent before carried out, though no answer can reach it.
   */
  get closedByServer(): boolean {
    return this.closedBy === 'server';
  }

  /** A reply meant for this socket alone (ack, error, pong…). */
  send(message: ServerMessage) {
    this.sendSerialized(JSON.stringify(message));
  }

  /** Answers a frame that could not be read; past maxRefusedFramesPerSecond the socket is closed (1008) instead. */
  refuseFrame(error: ErrorMessage) {
    if (countRefused(this, performance.now())) return this.send(error);
    traffic.overBudgetDropped += 1;
    this.drop(CloseCode.policyViolation, errorText(ErrorCode.rateLimited, this.lang));
  }

  sendSerialized(json: string) {
    if (!this.isOpen || this.droppedAsSlow()) return;
    if (this.wire) this.wire.write(wholeTextFrame(Buffer.from(json)));
    else this.socket.send(json);
    traffic.framesOut += 1;
    traffic.messagesOut += 1;
  }

  /**
   * Writes a frame serialized once for many sockets. A reader that lets more than the cap
   * pile up is dropped rather than allowed to grow the server's memory; false then.
   */
  writeShared(frame: SharedFrame): boolean {
    if (!this.isOpen || this.droppedAsSlow()) return false;
    // ws writes straight to the TCP socket too (no compression, no queue), so the order of
    // these frames and ws's own (pings, the close frame) is the order of the calls.
    if (this.wire) this.wire.write(frame.framed);
    else this.socket.send(frame.payload, textFrame);
    traffic.framesOut += 1;
    return true;
  }

  /** Past the cap of unsent bytes, whether replies or broadcasts, the reader is dropped (1013). */
  private droppedAsSlow(): boolean {
    if (this.socket.bufferedAmount <= this.maxBufferedBytes) return false;
    traffic.slowReadersDropped += 1;
    this.drop(CloseCode.tryAgainLater, errorText(ErrorCode.serviceUnavailable, this.lang));
    return true;
  }

  /** Closes the socket and stops reading it: see dropSocket. */
  drop(code: number, reason: string) {
    if (this.closedBy) return;
    this.closedBy = 'server';
    dropSocket(this.socket, code, reason);
    this.onClosed(this);
  }

  /** Closes the socket; the room forgets it at once, without waiting for the peer's answer. */
  close(code: number, reason = '') {
    if (this.closedBy) return;
    this.closedBy = 'server';
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, closeReason(reason));
    }
    this.onClosed(this);
  }

  /** Drops a connection that stopped answering pings, without a closing handshake. */
  terminate() {
    this.socket.terminate();
    this.closedByPeer();
  }

  closedByPeer() {
    if (this.closedBy) return;
    this.closedBy = 'client';
    this.onClosed(this);
  }
}
