import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testAdmin } from './server.js';

/** The worktree root and the built CLI that `npm start` runs. */
const root = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../packages/backend/dist/cli.js', import.meta.url));
const clockShiftPath = fileURLToPath(new URL('./clock-shift.mjs', import.meta.url));

/** The line `palco serve` prints once it listens (see cli.ts); it carries the URL. */
const readyLine = /Palco is listening on (http:\/\/\S+)/;

export const hasBinary = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

/** A port nothing listens on right now, for a server that must be told its port up front. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Shared by every process a test file starts, so a token signed by one is valid on the others. */
const processSecret = randomBytes(32).toString('hex');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BackendProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr, for assertions and failure messages. */
  output(): string;
  /** Settles once it has exited. */
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM (a clean shutdown: sockets closed with 1012) and wait for the exit. */
  stop(): Promise<ProcessExit>;
  /** SIGKILL: the process dies at once, as in a crash, leaving its Redis keys behind. */
  kill(): Promise<ProcessExit>;
  /**
   * Moves the process's clock forward by 61 s (started with `movableClock` only; see
   * clock-shift.mjs) and resolves once it has.
   */
  moveClockForward(): Promise<void>;
}

/**
 * Starts `node packages/backend/dist/cli.js serve` as a real process on a free port, with the
 * test admin, the demo event, a data directory of its own (removed when it exits) and `env` on
 * top, and resolves once it listens.
 */
export async function startBackend(
  env: Record<string, string>,
  { timeoutMs = 30_000, movableClock = false } = {},
): Promise<BackendProcess> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'palco-process-'));
  const clockFlags = movableClock ? ['--import', clockShiftPath] : [];
  const child = spawn(process.execPath, [...clockFlags, cliPath, 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PALCO_SECRET: processSecret,
      PALCO_DATA_DIR: dataDir,
      PALCO_DEMO: '1',
      ADMIN_EMAIL: testAdmin.email,
      ADMIN_PASSWORD: testAdmin.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}; it printed:\n${printed}`));
    };
    const read = (chunk: Buffer) => {
      printed += chunk.toString();
      const found = readyLine.exec(printed);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(({ code, signal }) => fail(new Error(`it exited (${code ?? signal}) before listening`)));
  });
  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => printed,
    exited,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    async moveClockForward() {
      if (!movableClock) throw new Error('moveClockForward needs a process started with movableClock');
      const moves = () => printed.match(/clock moved forward/g)?.length ?? 0;
      const before = moves();
      child.kill('SIGUSR2');
      const deadline = Date.now() + 5_000;
      while (moves() === before) {
        if (Date.now() > deadline) throw new Error(`the clock did not move; it printed:\n${printed}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
