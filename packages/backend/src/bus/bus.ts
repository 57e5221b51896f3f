import { EventEmitter } from 'node:events';
import type { Question, ServerMessage, TimedUserFlags } from '@palco/sdk/protocol';

/** Who in an event receives a broadcast. */
export type Audience =
  | { kind: 'everyone' }
  /** moderador and administrador. */
  | { kind: 'moderators' }
  /** Everyone but attendees. */
  | { kind: 'staff' }
  /** Attendees only (what staff see in another version, such as a quiz without its answers). */
  | { kind: 'attendees' }
  /** Staff, and one user (the author of a question). */
  | { kind: 'staff_and_user'; userId: number }
  /** Moderators, and one user (the sender of a held message, the person a moderator acted on). */
  | { kind: 'moderators_and_user'; userId: number }
  | { kind: 'user'; userId: number };

export type BusEnvelope =
  | {
      kind: 'broadcast';
      eventId: number;
      audience: Audience;
      message: ServerMessage;
      /** The question as stored after the change, so every process's room state stays exact. */
      question?: Question;
    }
  /** The event was closed: every socket of it gets `event_closed` and is closed. */
  | { kind: 'close_event'; eventId: number; message: string }
  /** A user's sessions were revoked (ban, logout, password change): close their sockets. */
  | { kind: 'disconnect_user'; eventId: number | null; userId: number; code: number }
  /** Attendees came or went on some process: every process reads the shared presence again. */
  | { kind: 'presence_changed'; eventId: number }
  /** An event's settings or webhooks changed: every process forgets what it cached of them. */
  | { kind: 'event_changed'; eventId: number }
  /** A user's flags changed: sockets refresh what they may do. */
  | ({ kind: 'user_flags'; eventId: number; userId: number } & TimedUserFlags);

/**
 * Every broadcast goes through the bus, so that one process or many deliver the same
 * way: in-process by default, Redis pub/sub when REDIS_URL is set.
 */
export interface EventBus {
  /** False while a shared bus cannot reach the other processes (it still delivers locally). */
  readonly connected: boolean;
  publish(envelope: BusEnvelope): Promise<void>;
  subscribe(handler: (envelope: BusEnvelope) => void): () => void;
  /**
   * Calls `handler` when the bus reaches the other processes again after an outage, with
   * when (Date.now()) it lost them: broadcasts published meanwhile stayed on their process.
   */
  onReconnected(handler: (lostSince: number) => void): () => void;
  close(): Promise<void>;
}

export class InProcessBus implements EventBus {
  readonly connected = true;
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(envelope: BusEnvelope) {
    this.emitter.emit('envelope', envelope);
  }

  subscribe(handler: (envelope: BusEnvelope) => void) {
    this.emitter.on('envelope', handler);
    return () => {
      this.emitter.off('envelope', handler);
    };
  }

  /** One process is never cut off from itself. */
  onReconnected() {
    return () => {};
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}
