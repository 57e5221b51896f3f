/*
 * The part of a WebSocket the client uses, met by the browser's WebSocket and by the `ws`
 * package. Handlers are declared through a method signature so that both implementations'
 * richer event types are accepted.
 */
type Handler<Event> = { bivarianceHack(event: Event): void }['bivarianceHack'];

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket.OPEN, which not every implementation exposes on its instances. */
export const socketOpen = 1;
/** The standard code for a connection that ended without a close frame. */
export const abnormalClosure = 1006;
