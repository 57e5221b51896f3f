import type { ParsedClientMessage } from '@palco/sdk/protocol';
import type { Command } from './commands.js';
import type { Connection } from './connection.js';

/** The client frames that ask for no change: they are answered at once, outside the command queue. */
export type ControlFrame = Exclude<ParsedClientMessage, Command>;

/** What answering a control frame needs from the hub. */
export interface ControlFrameDeps {
  /** ms since the epoch. */
  now(): number;
  /** Counts an attendee's visible milliseconds towards watch time (analytics-recorder.ts). */
  heartbeat(connection: Connection, visibleMs: number): void;
}

/**
 * Answers `ping` (a `pong` with the server's clock, and a watch-time heartbeat from an
 * attendee) and `auth` (an `ack` when it carries a ref; the session was read at admission).
 * Returns false, untouched, for any other message: a command for the socket's queue.
 */
export function answerControlFrame(message: ParsedClientMessage, connection: Connection, deps: ControlFrameDeps): message is ControlFrame {
  if (message.type === 'ping') {
    if (connection.isAttendee) deps.heartbeat(connection, message.visible_ms ?? 0);
    connection.send({ type: 'pong', ref: message.ref, server_time: new Date(deps.now()).toISOString() });
    return true;
  }
  if (message.type === 'auth') {
    if (message.ref !== undefined) connection.send({ type: 'ack', ref: message.ref });
    return true;
  }
  return false;
}
