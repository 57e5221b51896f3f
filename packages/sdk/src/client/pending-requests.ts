import type { ClientMessage } from '../protocol/socket.js';
import type { PalcoError } from './errors.js';
import type { Timers } from './environment.js';

export type Ref = string | number;

interface PendingRequest {
  frame: ClientMessage;
  sent: boolean;
  /** The server does it once however often it arrives (see `add`): safe to send again after a socket died with it. */
  resendable: boolean;
  /** Means something only at the moment it is made: it expires if not answered within the timeout of being made. */
  momentary: boolean;
  /** Refused for now by a server that asked to be tried again later: not sent until released. */
  held: boolean;
  /** How many times the server refused it for now; the next wait grows with it. */
  refusals: number;
  /**
   * Until when a refusal for now may still be tried again (ms since the epoch): the timeout
   * after its first send on the current socket; null until then.
   */
  retryUntil: number | null;
  resolve(value: unknown): void;
  reject(error: PalcoError): void;
  /** The ack's timeout while the request is on a socket; a momentary request's from its making. */
  timer: unknown;
  releaseTimer: unknown;
}

/** Where a request the server refused for now stands, as `refusal` reports it. */
export interface Refusal {
  /** Earlier refusals of the same request: 0 the first time. */
  attempt: number;
  /** Time left for trying it again, in ms. */
  remainingMs: number;
  /** The refused message's type. */
  type: ClientMessage['type'];
}

export interface PendingRequestsOptions {
  timers: Timers;
  /** How long a request on a socket waits for its ack. */
  timeoutMs: number;
  timeoutError: () => PalcoError;
  /**
   * A request's ack is overdue: the socket that carries it does not answer, whatever its
   * state says (a network gone without a close). The connection drops it and opens another.
   */
  onOverdue: () => void;
  now?: () => number;
}

/**
 * Requests waiting for their ack, in the order they were made. Those not yet sent form the
 * outbox that is flushed when the socket opens. A request waits in the outbox for as long as
 * the connection is away, its promise pending; its timeout runs only once it is on a socket.
 * A resendable request (a client id, `cid`, or done once per person) that was on a socket
 * that died goes back to the outbox, the same frame, and so its caller never hears a failure
 * while it may still be stored.
 */
export class PendingRequests {
  private readonly requests = new Map<Ref, PendingRequest>();
  private readonly now: () => number;

  constructor(private readonly options: PendingRequestsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Adds a request to the outbox; a `momentary` one is dropped, unsent or unanswered, at its
   * timeout. It is `resendable` when it carries a client id (`cid`), or when the caller knows
   * the server carries it out once per person (a second one is refused, not done again).
   */
  add(ref: Ref, frame: ClientMessage, { momentary = false, oncePerPerson = false } = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const resendable = oncePerPerson || ('cid' in frame && frame.cid !== undefined);
      const timer = momentary ? this.options.timers.setTimeout(() => this.reject(ref, this.options.timeoutError()), this.options.timeoutMs) : null;
      this.requests.set(ref, {
        frame, sent: false, resendable, momentary, held: false, refusals: 0, retryUntil: null, resolve, reject, timer, releaseTimer: null,
      });
    });
  }

  unsent(): Array<[Ref, ClientMessage]> {
    return [...this.requests].filter(([, request]) => !request.sent && !request.held).map(([ref, request]) => [ref, request.frame]);
  }

  /** Requests on the socket whose answer has not come yet. */
  get inFlight(): number {
    let count = 0;
    for (const request of this.requests.values()) if (request.sent) count += 1;
    return count;
  }

  /** The request is on the socket: its ack's timeout starts. */
  markSent(ref: Ref): void {
    const request = this.requests.get(ref);
    if (!request) return;
    request.sent = true;
    request.retryUntil ??= this.now() + this.options.timeoutMs;
    if (request.momentary) return;
    request.timer = this.options.timers.setTimeout(() => this.overdue(ref), this.options.timeoutMs);
  }

  /** How often the server has refused this request for now, and how long it may still be tried; null when none waits. */
  refusal(ref: Ref): Refusal | null {
    const request = this.requests.get(ref);
    if (!request) return null;
    return { attempt: request.refusals, remainingMs: (request.retryUntil ?? Infinity) - this.now(), type: request.frame.type };
  }

  /**
   * Takes a request the server refused for now back into the outbox, held for `waitMs`;
   * `released` runs when it may go again.
   */
  hold(ref: Ref, waitMs: number, released: () => void): void {
    const request = this.requests.get(ref);
    if (!request) return;
    this.unsend(request);
    request.held = true;
    request.refusals += 1;
    request.releaseTimer = this.options.timers.setTimeout(() => {
      request.held = false;
      request.releaseTimer = null;
      released();
    }, waitMs);
  }

  /** Takes the requests of a socket that closed without carrying them out back into the outbox. */
  unsendSent(): void {
    for (const request of this.requests.values()) this.unsend(request, true);
  }

  /** Settles the request with this ref; false when none waits (already timed out, or not ours). */
  resolve(ref: Ref, value: unknown): boolean {
    const request = this.take(ref);
    request?.resolve(value);
    return request !== undefined;
  }

  reject(ref: Ref, error: PalcoError): boolean {
    const request = this.take(ref);
    request?.reject(error);
    return request !== undefined;
  }

  /**
   * Settles the requests already on a socket that is gone, whose acks can no longer arrive:
   * those safe to send again go back to the outbox, the rest fail, as they may or may not
   * have been carried out.
   */
  settleLost(error: PalcoError): void {
    for (const [ref, request] of [...this.requests]) {
      if (request.sent && !request.resendable) this.reject(ref, error);
      else this.unsend(request, true);
    }
  }

  rejectAll(error: PalcoError): void {
    for (const ref of [...this.requests.keys()]) this.reject(ref, error);
  }

  /**
   * No ack within the timeout. A resendable request stays pending, to go again on the next
   * socket; any other fails, as it may or may not have been carried out.
   */
  private overdue(ref: Ref): void {
    const request = this.requests.get(ref);
    if (!request?.sent) return;
    request.timer = null;
    if (!request.resendable) this.reject(ref, this.options.timeoutError());
    this.options.onOverdue();
  }

  /** Back in the outbox; after a lost socket (`socketLost`) its refusals may be tried for a full timeout again. */
  private unsend(request: PendingRequest, socketLost = false): void {
    if (request.sent && !request.momentary) {
      this.options.timers.clearTimeout(request.timer);
      request.timer = null;
    }
    request.sent = false;
    if (socketLost) request.retryUntil = null;
  }

  private take(ref: Ref): PendingRequest | undefined {
    const request = this.requests.get(ref);
    if (!request) return undefined;
    this.requests.delete(ref);
    if (request.timer !== null) this.options.timers.clearTimeout(request.timer);
    if (request.releaseTimer !== null) this.options.timers.clearTimeout(request.releaseTimer);
    return request;
  }
}
