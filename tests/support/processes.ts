import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The worktree root and the built CLI that `npm start` runs. */
const root = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../packages/backend/dist/cli.js', import.meta.url));

/** The line `palco serve` prints once it listens (see cli.ts); it carries the URL. */
const readyLine = /Palco is listening on (http:\/\/\S+)/;

export interface BackendProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr, for failure messages. */
  output(): string;
  /** Resolves with the exit code and signal once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (a clean shutdown: sockets closed with 1012) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, as in a crash, leaving its Redis keys behind. */
  kill(): Promise<void>;
}

/**
 * Starts `node packages/backend/dist/cli.js serve` as a real process with `env` on top of
 * this one's, on a free port unless PORT is given, and resolves once it listens.
 */
export async function startBackend(env: Record<string, string>, { timeoutMs = 30_000 } = {}): Promise<BackendProcess> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first`);
  const child = spawn(process.execPath, [cliPath, 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
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
    await exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => printed,
    exited,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
  };
}
