import type { ServerMessageOf, ServerMessageType } from '../protocol/socket.js';
import type { PalcoError } from './errors.js';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected';

/** Why the connection state changed. */
export const StateReason = {
  connectCalled: 'connect_called',
  /** The first welcome of this client. */
  connected: 'connected',
  /** A welcome after a lost connection; missed chat follows as `chat` events. */
  reconnected: 'reconnected',
  /** The socket closed or never answered; a retry is scheduled. */
  connectionLost: 'connection_lost',
  disconnectCalled: 'disconnect_called',
  /** The server closed with a code that forbids retrying (bad token, banned, event closed, …). */
  fatalClose: 'fatal_close',
} as const;
export type StateReason = (typeof StateReason)[keyof typeof StateReason];

export interface StateChange {
  previous: ConnectionState;
  current: ConnectionState;
  reason: StateReason;
  /** The socket's close code, when a close caused the change. */
  closeCode?: number;
  /** connection_lost: which retry this is (1 for the first) and when it will start. */
  attempt?: number;
  retryInMs?: number;
  /** fatal_close: what the close code means. */
  error?: PalcoError;
}

/** Server messages the client hands to listeners; acks and errors settle the request promises instead. */
export type ForwardedMessageType = Exclude<ServerMessageType, 'ack' | 'error'>;

/** Every event a client emits and the one payload its listeners receive. */
export type ClientEvents = { [T in ForwardedMessageType]: ServerMessageOf<T> } & {
  state: StateChange;
  /** An error that no request is waiting for: an unsolicited server error, a fatal close, a failed catch-up. */
  error: PalcoError;
};
export type ClientEventName = keyof ClientEvents;
export type ClientEventListener<E extends ClientEventName> = (payload: ClientEvents[E]) => void;
