import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived, for checking the signature. */
  body: string;
  at: number;
}

/** How the receiver answers a request: a status, or `hang` to never answer. */
export type Answer = number | 'hang';

/** A producer's webhook endpoint: a real HTTP server on a random port that records what it gets. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Requests it is holding without an answer right now. */
  hanging(): number;
  /** Answers to give, one per request in order; after the last, `then` for every request. */
  answer(answers: Answer[], then?: Answer): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const held = new Set<ServerResponse>();
  let queue: Answer[] = [];
  let fallback: Answer = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const answer = queue.shift() ?? fallback;
      if (answer === 'hang') {
        held.add(response);
        response.on('close', () => held.delete(response));
        return;
      }
      response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    hanging: () => held.size,
    answer(answers, then = 200) {
      queue = [...answers];
      fallback = then;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a producer's receiver does: HMAC-SHA256 of the raw body under the secret, compared in constant time. */
export function signatureVerifies(secret: string, body: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
