import type { ClientMessage } from '../protocol/socket.js';
import type { PalcoError } from './errors.js';
import type { Timers } from './environment.js';

export type Ref = string | number;

interface PendingRequest {
  frame: ClientMessage;
  sent: boolean;
  /** Carries a client id (`cid`): the server does it once however often it arrives. */
  resendable: boolean;
  /** Refused for now by a server that asked to be tried again later: not sent until released. */
  held: boolean;
  /** How many times the server refused it for now; the next wait grows with it. */
  refusals: number;
  /** When its caller is told it timed out (ms since the epoch). */
  deadline: number;
  resolve(value: unknown): void;
  reject(error: PalcoError): void;
  timer: unknown;
  releaseTimer: unknown;
}

/** Where a request the server refused for now stands, as `refusal` reports it. */
export interface Refusal {
  /** Earlier refusals of the same request: 0 the first time. */
  attempt: number;
  /** Time left before the request's own timeout, in ms. */
  remainingMs: number;
  /** The refused message's type. */
  type: ClientMessage['type'];
}

/**
 * Requests waiting for their ack, in the order they were made. Those not yet sent form the
 * outbox that is flushed when the socket opens; a request that times out leaves the outbox,
 * so it is never sent after its caller was told it failed. A request with a client id (`cid`)
 * that was on a socket that died goes back to the outbox, with the same `cid`.
 */
export class PendingRequests {
  private readonly requests = new Map<Ref, PendingRequest>();

  constructor(
    private readonly timers: Timers,
    private readonly timeoutMs: number,
    private readonly timeoutError: () => PalcoError,
    private readonly now: () => number = Date.now,
  ) {}

  add(ref: Ref, frame: ClientMessage): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => this.reject(ref, this.timeoutError()), this.timeoutMs);
      const resendable = 'cid' in frame && frame.cid !== undefined;
      const deadline = this.now() + this.timeoutMs;
      this.requests.set(ref, { frame, sent: false, resendable, held: false, refusals: 0, deadline, resolve, reject, timer, releaseTimer: null });
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

  markSent(ref: Ref): void {
    const request = this.requests.get(ref);
    if (request) request.sent = true;
  }

  /** How often the server has refused this request for now, and how long its caller still waits; null when none waits. */
  refusal(ref: Ref): Refusal | null {
    const request = this.requests.get(ref);
    if (!request) return null;
    return { attempt: request.refusals, remainingMs: request.deadline - this.now(), type: request.frame.type };
  }

  /**
   * Takes a request the server refused for now back into the outbox, held for `waitMs`;
   * `released` runs when it may go again.
   */
  hold(ref: Ref, waitMs: number, released: () => void): void {
    const request = this.requests.get(ref);
    if (!request) return;
    request.sent = false;
    request.held = true;
    request.refusals += 1;
    request.releaseTimer = this.timers.setTimeout(() => {
      request.held = false;
      request.releaseTimer = null;
      released();
    }, waitMs);
  }

  /** Takes the requests of a socket that closed without carrying them out back into the outbox. */
  unsendSent(): void {
    for (const request of this.requests.values()) request.sent = false;
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
   * those safe to send again go back to the outbox (until their own timeout), the rest fail,
   * as they may or may not have been carried out.
   */
  settleLost(error: PalcoError): void {
    for (const [ref, request] of [...this.requests]) {
      if (!request.sent) continue;
      if (request.resendable) request.sent = false;
      else this.reject(ref, error);
    }
  }

  rejectAll(error: PalcoError): void {
    for (const ref of [...this.requests.keys()]) this.reject(ref, error);
  }

  private take(ref: Ref): PendingRequest | undefined {
    const request = this.requests.get(ref);
    if (!request) return undefined;
    this.requests.delete(ref);
    this.timers.clearTimeout(request.timer);
    if (request.releaseTimer !== null) this.timers.clearTimeout(request.releaseTimer);
    return request;
  }
}
