import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { WebhookHeader } from '@palco/sdk/protocol';
import { signBody } from './signature.js';
import { TargetNotAllowed, type WebhookTargets } from './targets.js';

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'failed'; status: number | null; error: string }
  /** The process is stopping: not the receiver's fault, so not counted as an attempt. */
  | { kind: 'interrupted' };

export interface OutgoingDelivery {
  id: number;
  topic: string;
  url: string;
  secret: string;
  /** The stored JSON body, sent and signed byte for byte. */
  body: string;
}

/**
 * One POST to a receiver; only a 2xx answer within the timeout counts as delivered. The
 * connection goes only where `targets` allows (checked on the address actually dialled). A
 * network failure is stored as `network error` alone: which of refused, reset or unreachable
 * it was would tell a producer what listens on ports of a host they cannot otherwise see.
 */
export async function postDelivery(
  delivery: OutgoingDelivery,
  targets: WebhookTargets,
  timeoutMs: number,
  shutdown: AbortSignal,
): Promise<AttemptOutcome> {
  if (shutdown.aborted) return { kind: 'interrupted' };
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  const stop = () => abort.abort();
  shutdown.addEventListener('abort', stop, { once: true });
  try {
    const url = new URL(delivery.url);
    const status = await post(url, delivery, { ...targets.forSend(url), signal: abort.signal });
    if (status >= 200 && status < 300) return { kind: 'delivered', status };
    return { kind: 'failed', status, error: `HTTP ${status}` };
  } catch (error) {
    if (shutdown.aborted) return { kind: 'interrupted' };
    if (timedOut) return { kind: 'failed', status: null, error: `timeout after ${timeoutMs} ms` };
    if (error instanceof TargetNotAllowed) return { kind: 'failed', status: null, error: error.message };
    return { kind: 'failed', status: null, error: 'network error' };
  } finally {
    clearTimeout(timer);
    shutdown.removeEventListener('abort', stop);
  }
}

/** The receiver's status code. node:http rather than fetch: its `lookup` option decides where the socket connects. */
function post(url: URL, delivery: OutgoingDelivery, options: { lookup?: LookupFunction; signal: AbortSignal }): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(delivery.body),
          'User-Agent': 'Palco-Webhooks/1',
          [WebhookHeader.topic]: delivery.topic,
          [WebhookHeader.delivery]: String(delivery.id),
          [WebhookHeader.signature]: signBody(delivery.secret, delivery.body),
        },
        // A redirect is an answer, not followed (node:http never follows): the producer registers the final URL.
        ...options,
      },
      (response) => {
        // The receiver's body tells us nothing we keep; not reading it frees the connection.
        response.destroy();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(delivery.body);
  });
}
