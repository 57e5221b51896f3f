import { WebhookHeader } from '@palco/sdk/protocol';
import { signBody } from './signature.js';

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

/** One POST to a receiver; only a 2xx answer within the timeout counts as delivered. */
export async function postDelivery(
  delivery: OutgoingDelivery,
  timeoutMs: number,
  shutdown: AbortSignal,
): Promise<AttemptOutcome> {
  if (shutdown.aborted) return { kind: 'interrupted' };
  // A plain timer and controller rather than AbortSignal.timeout/any: on Node 20 those
  // signals can be garbage-collected mid-request, and then a hanging receiver is never cut.
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  const stop = () => abort.abort();
  shutdown.addEventListener('abort', stop, { once: true });
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Palco-Webhooks/1',
        [WebhookHeader.topic]: delivery.topic,
        [WebhookHeader.delivery]: String(delivery.id),
        [WebhookHeader.signature]: signBody(delivery.secret, delivery.body),
      },
      body: delivery.body,
      // A redirect is an answer we do not follow: the producer should register the final URL.
      redirect: 'manual',
      signal: abort.signal,
    });
    // The receiver's body tells us nothing we keep; not reading it frees the connection.
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status };
    return { kind: 'failed', status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    if (shutdown.aborted) return { kind: 'interrupted' };
    if (timedOut) return { kind: 'failed', status: null, error: `timeout after ${timeoutMs} ms` };
    return { kind: 'failed', status: null, error: describeNetworkError(error) };
  } finally {
    clearTimeout(timer);
    shutdown.removeEventListener('abort', stop);
  }
}

function describeNetworkError(error: unknown): string {
  const named = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = named.cause?.code ?? named.cause?.message;
  return `network error: ${cause ?? named.message ?? String(error)}`.slice(0, 500);
}
