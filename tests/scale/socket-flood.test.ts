import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { eventually } from '../support/poll.js';
import { startBackend, type BackendProcess } from '../support/processes.js';
import { clientFrames, stalledSocket } from '../support/raw-socket.js';
import { attendeeOf, connect, createEvent, type TestSocket } from '../realtime/support.js';

const { frameBudget, maxBufferedBytes } = defaultRealtimeSettings;
/** Frames the flooders send in all: the attack this guards against sent about 2 million in 8 s. */
const floodFrames = 2_000_000;
/** Pings, malformed JSON and a command: the mix of the attack. */
const floodPayloads = ['{"type":"ping"}', '{"type":', 'x', '{"type":"chat","message":"a"}'];

/** The value of one series of GET /metrics (open without a token outside production). */
async function metric(server: BackendProcess, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function pingRoundTrip(socket: TestSocket, ref: string): Promise<number> {
  return timed(async () => {
    socket.send({ type: 'ping', ref, visible_ms: 0 });
    await socket.waitFor('pong', (pong) => pong.ref === ref, { timeoutMs: 20_000 });
  });
}

describe('a frame flood against one process', () => {
  let server: BackendProcess;
  beforeAll(async () => {
    server = await startBackend({});
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("closes an attendee's four flooding sockets and an unauthenticated one after a bounded number of frames, with memory and everyone else's pings kept in bounds", async () => {
    const event = await createEvent(server, 'inundacion-tramas');
    const flooder = await attendeeOf(server, event.slug, 'Inundador');
    const { socket: other } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug, 'Otra')).token });
    const quietRoundTrip = await pingRoundTrip(other, 'before');

    const framesBefore = await metric(server, 'palco_socket_frames_received_total');
    const droppedBefore = await metric(server, 'palco_socket_over_budget_dropped_total');
    const rssBefore = await metric(server, 'process_resident_memory_bytes');
    const paths = [
      ...[0, 1, 2, 3].map(() => `/ws?event=${event.slug}&token=${encodeURIComponent(flooder.token)}`),
      `/ws?event=${event.slug}`,
    ];
    const flooders: Socket[] = await Promise.all(paths.map((path) => stalledSocket(server.url, path)));
    const started = performance.now();
    const frames = clientFrames(floodPayloads, floodFrames / flooders.length);
    for (const socket of flooders) socket.write(frames);

    const roundTrips: number[] = [];
    const health: number[] = [];
    let largestUnread = 0;
    let largestRss = rssBefore;
    await eventually(
      async () => {
        roundTrips.push(await pingRoundTrip(other, `during-${roundTrips.length}`));
        health.push(await timed(() => fetch(`${server.url}/healthz`).then((response) => response.text())));
        largestUnread = Math.max(largestUnread, await metric(server, 'palco_socket_buffered_bytes_largest'));
        largestRss = Math.max(largestRss, await metric(server, 'process_resident_memory_bytes'));
        return metric(server, 'palco_socket_over_budget_dropped_total');
      },
      (dropped) => dropped - droppedBefore === flooders.length,
      30_000,
      'every flooding socket closed for its budget',
    );
    const seconds = (performance.now() - started) / 1000;
    // Only the well-behaved attendee's socket is left.
    await eventually(() => metric(server, 'palco_socket_connections'), (open) => open === 1, 10_000);
    const handled = (await metric(server, 'palco_socket_frames_received_total')) - framesBefore;

    // The attendee's four sockets draw from one budget; the unauthenticated one from its own.
    const budget = frameBudget.perUser.burst + frameBudget.perSocket.burst + (frameBudget.perUser.perSecond + frameBudget.perSocket.perSecond) * seconds;
    expect(handled).toBeLessThanOrEqual(budget + roundTrips.length);
    expect(handled).toBeLessThan(floodFrames / 100);
    expect(largestUnread).toBeLessThanOrEqual(maxBufferedBytes);
    expect(largestRss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    // The attack took another attendee's ping from 11 ms to 8.9 s and /healthz to 21.7 s.
    expect(Math.max(...roundTrips)).toBeLessThan(Math.max(1_000, quietRoundTrip * 20));
    expect(Math.max(...health)).toBeLessThan(1_000);
    expect(other.isOpen).toBe(true);
    for (const socket of flooders) socket.destroy();
    await other.close();
  }, 90_000);
});
