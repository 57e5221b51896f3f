import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from './db/database.js';
import type { Logger } from './log.js';
import type { RedisBus } from './bus/redis-bus.js';
import { traffic } from './realtime/traffic.js';

/** What the socket hub shows of itself. */
export interface HubGauges {
  readonly openSockets: number;
  readonly liveEvents: number;
  readonly bufferedBytes: { total: number; largest: number };
}

export interface MetricsSources {
  db: Database;
  /** The Redis bus when the process runs with REDIS_URL. */
  redisBus: RedisBus | null;
  logger: Logger;
}

/** The database and Redis are timed this often, whether or not anyone scrapes. */
const probeIntervalMs = 10_000;
/** A probe that takes longer counts as failed. */
const probeTimeoutMs = 5_000;
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A Prometheus counter that reports a running total kept elsewhere. */
function totalOf(registry: Registry, name: string, help: string, read: () => number) {
  let reported = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const total = read();
      this.inc(total - reported);
      reported = total;
    },
  });
}

/**
 * This process's metrics in Prometheus' text format (GET /metrics): sockets, live events,
 * socket traffic, slow readers dropped, bus publish failures, database and Redis latency,
 * and Node's own (memory, event loop, GC). Each process has its own registry, so several
 * servers in one test process do not mix.
 */
export class Metrics {
  readonly registry = new Registry();
  private hub: HubGauges | null = null;
  private readonly dbLatency: Histogram;
  private readonly redisLatency: Histogram;
  private readonly probeFailures: Counter<'target'>;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sources: MetricsSources) {
    const { registry } = this;
    collectDefaultMetrics({ register: registry });
    const trackedHub = () => this.hub;
    const hubGauge = (name: string, help: string, read: (hub: HubGauges) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const hub = trackedHub();
          this.set(hub ? read(hub) : 0);
        },
      });
    hubGauge('palco_socket_connections', 'WebSocket connections open on this process, admitted or not.', (hub) => hub.openSockets);
    hubGauge('palco_events_live', 'Events with at least one socket on this process.', (hub) => hub.liveEvents);
    hubGauge('palco_socket_buffered_bytes', 'Bytes written to sockets and not yet sent, on all of them.', (hub) => hub.bufferedBytes.total);
    hubGauge('palco_socket_buffered_bytes_largest', 'Bytes not yet sent on the fullest socket; a slow reader is dropped past the cap.', (hub) => hub.bufferedBytes.largest);
    totalOf(registry, 'palco_socket_messages_received_total', 'Client messages received by admitted sockets.', () => traffic.messagesIn);
    totalOf(registry, 'palco_socket_frames_sent_total', 'Frames written to sockets.', () => traffic.framesOut);
    totalOf(registry, 'palco_socket_messages_sent_total', 'Messages written to sockets; a coalesced frame holds several.', () => traffic.messagesOut);
    totalOf(registry, 'palco_socket_frames_received_total', 'Client frames read and handled, admitted or not.', () => traffic.framesIn);
    totalOf(registry, 'palco_socket_over_budget_dropped_total', 'Sockets closed with 1008 because they spent their frame budget.', () => traffic.overBudgetDropped);
    totalOf(registry, 'palco_slow_readers_dropped_total', 'Sockets closed with 1013 because they stopped reading.', () => traffic.slowReadersDropped);
    const busStats = () => sources.redisBus?.stats ?? { published: 0, dropped: 0, connected: false };
    totalOf(registry, 'palco_bus_published_total', 'Envelopes published to the other processes through Redis.', () => busStats().published);
    totalOf(registry, 'palco_bus_publish_failures_total', 'Envelopes delivered on this process only because Redis could not take them.', () => busStats().dropped);
    new Gauge({
      name: 'palco_redis_connected',
      help: '1 while the Redis bus is connected, 0 while it is away, absent without REDIS_URL.',
      registers: sources.redisBus ? [registry] : [],
      collect() {
        this.set(busStats().connected ? 1 : 0);
      },
    });
    this.dbLatency = new Histogram({
      name: 'palco_db_ping_seconds',
      help: 'Time of a SELECT 1 on the database, every 10 s.',
      buckets: latencyBuckets,
      registers: [registry],
    });
    this.redisLatency = new Histogram({
      name: 'palco_redis_ping_seconds',
      help: 'Time of a Redis PING, every 10 s.',
      buckets: latencyBuckets,
      registers: sources.redisBus ? [registry] : [],
    });
    this.probeFailures = new Counter({
      name: 'palco_probe_failures_total',
      help: 'Database or Redis probes that failed or took over 5 s.',
      labelNames: ['target'],
      registers: [registry],
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The socket hub reports its gauges from now on. */
  trackHub(hub: HubGauges) {
    this.hub = hub;
  }

  /** Starts timing the database and Redis, at once and then every 10 s. */
  start() {
    if (this.timer) return;
    void this.probe();
    this.timer = setInterval(() => void this.probe(), probeIntervalMs);
    this.timer.unref();
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async probe() {
    const { db, redisBus } = this.sources;
    await Promise.all([
      this.time('database', this.dbLatency, () => db.sequelize.query('SELECT 1')),
      redisBus ? this.time('redis', this.redisLatency, () => redisBus.client.ping()) : null,
    ]);
  }

  private async time(target: string, histogram: Histogram, run: () => Promise<unknown>) {
    const started = performance.now();
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        run(),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`${target} probe timed out`)), probeTimeoutMs);
        }),
      ]);
      histogram.observe((performance.now() - started) / 1000);
    } catch (error) {
      this.probeFailures.inc({ target });
      this.sources.logger.warn({ err: (error as Error).message, target }, 'metrics probe failed');
    } finally {
      clearTimeout(timeout);
    }
  }
}
