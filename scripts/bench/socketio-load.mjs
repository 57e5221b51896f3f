// One load process for the Socket.IO comparison: same viewers, same senders, same counting.
import { io } from 'socket.io-client';
import { isLatencySample, pool, sentAtOf, sleep, stampedText, summarize } from './stats.mjs';

const viewers = [];
/** Wall-clock time of the last chat delivered to any viewer of this process: where the fan-out really ended. */
let lastDeliveryAt = 0;

function connect(url, sample) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = io(url, { transports: ['websocket'], query: { event: 'bench' }, reconnection: false, forceNew: true });
    const viewer = { socket, delivered: 0, latencies: sample ? [] : null };
    socket.on('connect', () => resolve({ viewer, connectMs: performance.now() - started }));
    socket.on('connect_error', reject);
    socket.on('chat', (message) => {
      viewer.delivered += 1;
      lastDeliveryAt = Date.now();
      if (viewer.latencies) {
        const sentAt = sentAtOf(message.message);
        if (sentAt) viewer.latencies.push(Date.now() - sentAt);
      }
    });
  });
}

let acked = 0;

process.on('message', async (command) => {
  try {
    if (command.cmd === 'join') {
      const failures = [];
      const times = [];
      await pool(Array.from({ length: command.count }), 200, async (_, i) => {
        try {
          const { viewer, connectMs } = await connect(command.url, isLatencySample(i, command.count, command.samples));
          viewers.push(viewer);
          times.push(connectMs);
        } catch (error) {
          failures.push(String(error.message));
        }
      });
      process.send({ ok: true, result: { connected: viewers.length, connectMs: times, failureCount: failures.length } });
    } else if (command.cmd === 'send') {
      const chosen = viewers.slice(0, command.senders);
      const deadline = Date.now() + command.seconds * 1000;
      await Promise.all(
        chosen.map(async (viewer, i) => {
          viewer.latencies ??= [];
          await sleep((command.intervalMs * i) / chosen.length);
          while (Date.now() < deadline) {
            const tick = Date.now();
            viewer.socket.emit('chat', { message: stampedText('mensaje') }, () => {
              acked += 1;
            });
            await sleep(Math.max(0, command.intervalMs - (Date.now() - tick)));
          }
        }),
      );
      await sleep(1000);
      process.send({ ok: true, result: { acked, errors: 0 } });
    } else if (command.cmd === 'report') {
      const latencies = viewers.flatMap((viewer) => viewer.latencies ?? []);
      process.send({
        ok: true,
        result: {
          delivered: viewers.reduce((sum, viewer) => sum + viewer.delivered, 0),
          lastDeliveryAt,
          viewers: viewers.length,
          acked,
          latency: summarize(latencies),
        },
      });
    } else if (command.cmd === 'exit') {
      for (const viewer of viewers) viewer.socket.disconnect();
      process.exit(0);
    }
  } catch (error) {
    process.send({ ok: false, error: String(error.stack ?? error) });
  }
});
