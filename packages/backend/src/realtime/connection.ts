import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode, Role, errorText, isModeratorRole, type Lang, type ServerMessage, type UserFlags } from '@palco/sdk/protocol';
import type { UserRow } from '../db/models.js';
import { traffic } from './traffic.js';

/** Who a broadcast reaches is decided per class: every socket of one class gets the same frame. */
export type AudienceClass = 'attendee' | 'speaker' | 'moderator';

export function audienceClassOf(role: Role): AudienceClass {
  if (role === Role.viewer) return 'attendee';
  return isModeratorRole(role) ? 'moderator' : 'speaker';
}

/** The signed-in user behind a socket, with the flags moderation may change while it is open. */
export interface Member extends UserFlags {
  id: number;
  name: string;
  role: Role;
  /** null for global administrators. */
  eventId: number | null;
}

export function memberOf(user: UserRow): Member {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    eventId: user.event_id,
    chat_blocked: Boolean(user.chat_blocked),
    qa_blocked: Boolean(user.qa_blocked),
    banned: Boolean(user.banned),
  };
}

const textFrame = { binary: false } as const;
/**
 * A dropped slow reader's unsent bytes sit in front of the close frame, which it may never
 * read: after this grace the socket is destroyed and they are freed.
 */
const slowReaderGraceMs = 2_000;
/** A close reason may hold 123 bytes. */
const maxReasonBytes = 123;

function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > maxReasonBytes) reason = reason.slice(0, -1);
  return reason;
}

/** One open socket of one member in one event. */
export class Connection {
  readonly audienceClass: AudienceClass;
  /** Set by a pong, cleared by each keep-alive round: a socket that stays cleared is dead. */
  alive = true;
  /** Which slice of the hub's keep-alive interval pings this socket. */
  keepAliveSlice = 0;
  /** The member's commands run one after another, in the order sent. */
  commands: Promise<void> = Promise.resolve();
  queuedCommands = 0;
  /** When the session behind this socket expires (ms since the epoch); the hub closes it then. */
  sessionEndsAt = Number.POSITIVE_INFINITY;
  private closed = false;

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
  ) {
    this.audienceClass = audienceClassOf(member.role);
  }

  get isAttendee(): boolean {
    return this.audienceClass === 'attendee';
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  /** A reply meant for this socket alone (ack, error, pong…). */
  send(message: ServerMessage) {
    this.sendSerialized(JSON.stringify(message));
  }

  sendSerialized(json: string) {
    if (!this.isOpen) return;
    this.socket.send(json);
    traffic.framesOut += 1;
    traffic.messagesOut += 1;
  }

  /**
   * Writes a frame serialized once for many sockets. A reader that lets more than the cap
   * pile up is dropped rather than allowed to grow the server's memory; false then.
   */
  writeShared(frame: Buffer): boolean {
    if (!this.isOpen) return false;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      traffic.slowReadersDropped += 1;
      this.close(CloseCode.slowReader, errorText(ErrorCode.serviceUnavailable, this.lang));
      setTimeout(() => this.socket.terminate(), slowReaderGraceMs).unref();
      return false;
    }
    this.socket.send(frame, textFrame);
    traffic.framesOut += 1;
    return true;
  }

  /** Closes the socket; the room forgets it at once, without waiting for the peer's answer. */
  close(code: number, reason = '') {
    if (this.closed) return;
    this.closed = true;
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
    if (this.closed) return;
    this.closed = true;
    this.onClosed(this);
  }
}
