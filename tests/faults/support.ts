import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import WebSocket from 'ws';
import { createClient, type PalcoClient, type PalcoError, type StateChange } from '@palco/sdk';
import { cliPath, hasBinary, startBackend, type ProcessExit } from '../support/processes.js';
import { createMariadbDatabase, testAdmin } from '../support/server.js';
import { eventually, sleep } from '../support/poll.js';

/**
 * A round-robin TCP balancer standing in for the load balancer in front of the backend
 * processes: each new connection goes to the next backend that accepts it, so a client
 * whose process went away reconnects to another one.
 */
export class Balancer {
  private next = 0;
  private readonly server: Server;
  private readonly open = new Set<Socket>();

  private constructor(private readonly ports: number[]) {
    this.server = createServer((client) => this.route(client, 0));
  }

  static async start(ports: number[]): Promise<Balancer> {
    const balancer = new Balancer(ports);
    await new Promise<void>((resolve) => balancer.server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private route(client: Socket, tried: number) {
    if (tried >= this.ports.length) return client.destroy();
    const port = this.ports[this.next++ % this.ports.length]!;
    const backend = connect(port, '127.0.0.1');
    client.pause();
    backend.once('error', () => {
      backend.destroy();
      this.route(client, tried + 1);
    });
    backend.once('connect', () => {
      backend.removeAllListeners('error');
      this.open.add(client).add(backend);
      client.pipe(backend).pipe(client);
      client.resume();
      const end = () => {
        client.destroy();
        backend.destroy();
        this.open.delete(client);
        this.open.delete(backend);
      };
      client.on('error', end).on('close', end);
      backend.on('error', end).on('close', end);
    });
  }

  async close() {
    for (const socket of this.open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A throwaway mariadbd on its own port and data directory, stopped and restarted at will. */
export class ThrowawayMariadb {
  private readonly dir = mkdtempSync(join(tmpdir(), 'palco-mariadb-'));
  private child: ChildProcess | null = null;
  readonly output: string[] = [];

  constructor(readonly port: number) {}

  static available(): boolean {
    return hasBinary('mariadbd') || hasBinary('/usr/sbin/mariadbd');
  }

  get serverUrl() {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  /** Initializes the data directory and starts the server with a database `palco`. */
  async install(): Promise<string> {
    const installed = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${this.dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`mariadb-install-db failed: ${installed.stderr}`);
    await this.start();
    return (await createMariadbDatabase(this.serverUrl, 'palco')).url;
  }

  async start() {
    const binary = hasBinary('mariadbd') ? 'mariadbd' : '/usr/sbin/mariadbd';
    this.child = spawn(binary, [
      '--no-defaults',
      `--datadir=${this.dir}/data`,
      `--port=${this.port}`,
      `--socket=${this.dir}/sock`,
      `--pid-file=${this.dir}/pid`,
      '--bind-address=127.0.0.1',
      // mariadbd refuses to run as root unless told to.
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      // Anyone who reaches this throwaway server is root: no passwords to set up.
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    await eventually(async () => {
      const probe = new Sequelize(this.serverUrl, { logging: false, dialect: 'mysql', dialectOptions: { connectTimeout: 1_000 } });
      try {
        await probe.authenticate();
        return true;
      } catch {
        return false;
      } finally {
        await probe.close();
      }
    }, Boolean, 30_000, () => `mariadbd listening on ${this.port}\n${this.output.join('')}`);
  }

  /** Kills the server at once, as a crash or a pulled cable would. */
  async kill() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  async remove() {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One attendee (or staff member) on the SDK, with every chat id it was given and how often. */
export interface Viewer {
  name: string;
  client: PalcoClient;
  received: Map<number, number>;
  /** Close codes of the connections it lost. */
  closeCodes: number[];
  errors: PalcoError[];
  /** How often each chat message (by cid) went out on a socket: twice or more means it was sent again. */
  chatSends: Map<string, number>;
}

export const demoSlug = 'demo-fast';
const accessCode = 'produccionesfast2050';

function watch(name: string, client: PalcoClient, chatSends: Map<string, number>): Viewer {
  const viewer: Viewer = { name, client, received: new Map(), closeCodes: [], errors: [], chatSends };
  const count = (id: number) => viewer.received.set(id, (viewer.received.get(id) ?? 0) + 1);
  let welcomed = false;
  client.on('welcome', (welcome) => {
    // The first welcome is the starting snapshot; after a reconnect the client hands what was
    // missed over as chat events, and the welcome is not counted again.
    if (!welcomed) for (const message of welcome.chat) count(message.id);
    welcomed = true;
  });
  client.on('chat', (message) => count(message.id));
  client.on('state', (change: StateChange) => {
    if (change.reason === 'connection_lost' && change.previous === 'connected' && change.closeCode) viewer.closeCodes.push(change.closeCode);
  });
  client.on('error', (error) => viewer.errors.push(error));
  return viewer;
}

/** The `ws` WebSocket, counting the chat frames it sends by their cid. */
function countingWebSocket(chatSends: Map<string, number>) {
  return class extends WebSocket {
    override send(data: unknown, ...rest: unknown[]) {
      const frame = typeof data === 'string' ? (JSON.parse(data) as { type?: string; cid?: string }) : {};
      if (frame.type === 'chat' && frame.cid) chatSends.set(frame.cid, (chatSends.get(frame.cid) ?? 0) + 1);
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

function sdkClient(baseUrl: string, chatSends = new Map<string, number>()): PalcoClient {
  return createClient({
    baseUrl,
    event: demoSlug,
    WebSocket: countingWebSocket(chatSends) as never,
    reconnect: { baseMs: 200, maxMs: 2_000 },
    // Long enough to outlast a database outage: the SDK keeps resending until acked.
    requestTimeoutMs: 60_000,
  });
}

/** Registers attendee `name` in the demo event and connects it. */
export async function attendee(baseUrl: string, name: string): Promise<Viewer> {
  const chatSends = new Map<string, number>();
  const client = sdkClient(baseUrl, chatSends);
  await client.register({ name, email: `${name}@produccionesfast.com`, phone: '+34600000000' });
  const viewer = watch(name, client, chatSends);
  await client.connect();
  return viewer;
}

/** A moderator of the demo event (staff are exempt from the chat rate limit: the load senders). */
export async function moderator(baseUrl: string, name: string): Promise<Viewer> {
  const admin = sdkClient(baseUrl);
  await admin.admin.login(testAdmin);
  const event = (await admin.admin.listEvents()).find((listed) => listed.slug === demoSlug)!;
  const password = `clave-${name}-123`;
  await admin.admin.createStaff(event.id, { name, email: `${name}@produccionesfast.com`, role: 'moderador', password });
  const chatSends = new Map<string, number>();
  const client = sdkClient(baseUrl, chatSends);
  await client.login({ email: `${name}@produccionesfast.com`, password });
  const viewer = watch(name, client, chatSends);
  await client.connect();
  return viewer;
}

/** Chat sent through the SDK, sorted by what the sender learned about each message. */
export class ChatLedger {
  /** Acked: text → id. */
  readonly acked = new Map<string, number>();
  /** Rejected with `disconnected`: the socket dropped first, so it may or may not be stored (the SDK sends chat again instead). */
  readonly unknown = new Set<string>();
  /** Any other rejection. */
  readonly failed = new Map<string, string>();
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;

  constructor(readonly tag = randomBytes(3).toString('hex')) {}

  send(sender: Viewer): Promise<void> {
    const text = `${this.tag} ${sender.name} ${(this.sequence += 1)}`;
    const settled = sender.client.chat(text).then(
      (message) => void this.acked.set(text, message.id),
      (error: PalcoError) => {
        if (error.code === 'disconnected') this.unknown.add(text);
        else this.failed.set(text, `${error.code}: ${error.message}`);
      },
    );
    const tracked = settled.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }

  /** Sends from every sender every `everyMs` until `stop` is called; resolves when all settled. */
  run(senders: Viewer[], everyMs: number): { stop(): Promise<void> } {
    let running = true;
    const loops = senders.map(async (sender, index) => {
      await sleep((everyMs / senders.length) * index);
      while (running) {
        void this.send(sender);
        await sleep(everyMs);
      }
    });
    return {
      stop: async () => {
        running = false;
        await Promise.all(loops);
        await this.settled();
      },
    };
  }

  async settled() {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  get ackedIds(): number[] {
    return [...this.acked.values()].sort((a, b) => a - b);
  }
}

/** Every chat row of this ledger's messages in the database, repeats included. */
export async function storedChatRows(databaseUrl: string, ledger: ChatLedger): Promise<Array<{ id: number; message: string }>> {
  const sequelize = new Sequelize(databaseUrl, { logging: false, dialect: 'mysql' });
  try {
    const [rows] = await sequelize.query('SELECT id, message FROM chat_messages WHERE message LIKE ?', {
      replacements: [`${ledger.tag} %`],
    });
    return rows as Array<{ id: number; message: string }>;
  } finally {
    await sequelize.close();
  }
}

/** The chat rows of this ledger's messages in the database: text → id. */
export async function storedChat(databaseUrl: string, ledger: ChatLedger): Promise<Map<string, number>> {
  return new Map((await storedChatRows(databaseUrl, ledger)).map((row) => [row.message, row.id]));
}

/** Acked ids a viewer never got, and ids it got more than once. */
export function deliveryGaps(viewer: Viewer, ackedIds: number[]) {
  return {
    missing: ackedIds.filter((id) => !viewer.received.has(id)),
    repeated: [...viewer.received].filter(([, times]) => times > 1).map(([id]) => id),
  };
}

/** What a process-loss run measured, for the assertions and the log. */
export interface ProcessLossOutcome {
  exit: ProcessExit;
  /** From the signal to the exit. */
  exitMs: number;
  viewers: Viewer[];
  ledger: ChatLedger;
  stored: Map<string, number>;
  /** How many rows hold the ledger's messages: more than `stored` has texts means one was stored twice. */
  storedRows: number;
  /** Per viewer: acked ids it never got and ids it got twice. */
  gaps: Array<{ viewer: string; missing: number[]; repeated: number[]; errors: string[] }>;
}

/**
 * Two `palco serve` processes on one MariaDB database and one Redis, behind a round-robin
 * balancer; attendees and moderators chat under load; one process gets `signal`; the load
 * goes on against the other; then every viewer's deliveries and the stored rows are read.
 */
export async function processLoss(signal: 'SIGTERM' | 'SIGKILL', services: { databaseUrl: string; redisUrl: string; redisPrefix: string }): Promise<ProcessLossOutcome> {
  const env = { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl, PALCO_REDIS_PREFIX: services.redisPrefix };
  // One after the other: the first start migrates and creates the demo event.
  const doomed = await startBackend(env);
  const survivor = await startBackend(env);
  const balancer = await Balancer.start([doomed.port, survivor.port]);
  const viewers: Viewer[] = [];
  try {
    for (let index = 0; index < 8; index += 1) viewers.push(await attendee(balancer.url, `asistente${index}`));
    for (let index = 0; index < 2; index += 1) viewers.push(await moderator(balancer.url, `moderadora${index}`));
    const ledger = new ChatLedger();
    // Attendees stay under their 5 messages per 10 s; the moderators carry the load.
    const attendeeLoad = ledger.run(viewers.slice(0, 8), 2_500);
    const staffLoad = ledger.run(viewers.slice(8), 60);
    await sleep(2_000);
    const signalledAt = Date.now();
    const exit = await (signal === 'SIGKILL' ? doomed.kill() : doomed.stop());
    const exitMs = Date.now() - signalledAt;
    await sleep(3_000);
    await Promise.all([attendeeLoad.stop(), staffLoad.stop()]);
    const acked = ledger.ackedIds;
    await eventually(() => viewers.every((viewer) => deliveryGaps(viewer, acked).missing.length === 0), Boolean, 20_000, 'every viewer has every acked message').catch(() => undefined);
    const rows = await storedChatRows(services.databaseUrl, ledger);
    const stored = new Map(rows.map((row) => [row.message, row.id]));
    const gaps = viewers
      .map((viewer) => ({ viewer: viewer.name, ...deliveryGaps(viewer, acked), errors: viewer.errors.map((error) => `${error.code}: ${error.message}`) }))
      .filter((gap) => gap.missing.length > 0 || gap.repeated.length > 0);
    return { exit, exitMs, viewers, ledger, stored, storedRows: rows.length, gaps };
  } finally {
    for (const viewer of viewers) viewer.client.disconnect();
    await balancer.close();
    await Promise.all([doomed.kill(), survivor.stop()]);
  }
}

/** Why a fault suite cannot run here, or null when it can. */
export function missingForFaults(needs: { mysql?: boolean; redis?: boolean; binaries?: string[]; build?: boolean }): string | null {
  const missing: string[] = [];
  if (needs.build && !existsSync(cliPath)) missing.push('packages/backend/dist/cli.js (npm run build)');
  if (needs.mysql && !process.env.TEST_MYSQL_URL) missing.push('TEST_MYSQL_URL');
  if (needs.redis && !process.env.TEST_REDIS_URL) missing.push('TEST_REDIS_URL');
  for (const binary of needs.binaries ?? []) if (!hasBinary(binary) && !hasBinary(`/usr/sbin/${binary}`)) missing.push(binary);
  if (missing.length === 0) return null;
  return `fault suite skipped: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not available`;
}
