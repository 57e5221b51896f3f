import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MailSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { MailContext } from './compose.js';
import type { SentMail } from './transport.js';

/** What the worker is started with: the transport's settings. */
export interface MailerSetup {
  settings: MailSettings;
  dataDir: string;
}

/** Main thread to worker: render and send one message, or close the transport and exit. */
export type MailerRequest = { type: 'send'; id: number; context: MailContext; name: string } | { type: 'close' };

/** Worker to main thread: what became of request `id`; `error` keeps the SMTP answer's fields. */
export type MailerReply =
  | { id: number; sent: SentMail }
  | { id: number; error: { message: string; code?: string; response?: string; responseCode?: number } };

/** Renders and sends messages; `send` rejects with the transport's error (SMTP fields kept). */
export interface Mailer {
  send(context: MailContext, name: string): Promise<SentMail>;
  /** Closes the transport (SMTP connections) and lets the worker go; resolves when it has. */
  close(): Promise<void>;
}

/**
 * After this long without a message in flight, the worker closes and exits, and its heap goes
 * with it. Mail comes in bursts (a registration storm's confirmations, a "we are live" to every
 * attendee, the reminders of a start); between the batches of one burst the outbox keeps the
 * worker busy, and starting one again costs about 60 ms of CPU.
 */
export const mailerIdleMs = 1_000;

/** How long a closing worker may take to say goodbye to SMTP before it is stopped. */
const exitGraceMs = 2_000;

/**
 * The bundled worker: beside this code in dist/, or in the package's dist/ when this runs from
 * src/ (the test suite, which builds first).
 */
function workerUrl(): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/mail-worker.js', here) : new URL('./mail-worker.js', here);
  if (!existsSync(fileURLToPath(url))) throw new Error(`the mail worker ${fileURLToPath(url)} is missing: run npm run build`);
  return url;
}

interface Pending {
  resolve(sent: SentMail): void;
  reject(error: Error): void;
}

/** One worker thread and the requests it has not answered. */
class MailWorker {
  readonly pending = new Map<number, Pending>();
  private readonly thread: Worker;
  private readonly exited: Promise<void>;

  constructor(setup: MailerSetup, logger: Logger, onExit: () => void) {
    this.thread = new Worker(workerUrl(), { workerData: setup, name: 'palco-mail' });
    this.thread.on('message', (reply: MailerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if ('sent' in reply) pending.resolve(reply.sent);
      else pending.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    this.thread.on('error', (error) => {
      logger.error({ err: error }, 'the mail worker failed');
      this.failAll(error);
    });
    this.exited = new Promise((resolve) =>
      this.thread.once('exit', () => {
        this.failAll(new Error('the mail worker stopped before answering'));
        onExit();
        resolve();
      }),
    );
  }

  send(request: Extract<MailerRequest, { type: 'send' }>): Promise<SentMail> {
    return new Promise((resolve, reject) => {
      try {
        // Throws when the request cannot be copied to the thread (DataCloneError).
        this.thread.postMessage(request);
      } catch (error) {
        reject(error as Error);
        return;
      }
      this.pending.set(request.id, { resolve, reject });
    });
  }

  /** Asks the worker to close its transport and exit; stops it if it has not within the grace. */
  async close(): Promise<void> {
    this.thread.postMessage({ type: 'close' } satisfies MailerRequest);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), exitGraceMs)));
    if ((await Promise.race([this.exited, late])) === 'late') await this.thread.terminate();
    clearTimeout(timer);
    await this.exited;
  }

  private failAll(error: Error) {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * Renders (composeMail) and sends (createMailTransport) each message in a worker thread. A
 * message costs about a millisecond of CPU and 60 KB of short-lived objects (MIME streams,
 * quoted-printable, the HTML); in the thread that serves sockets, 10 000 confirmations after a
 * registration storm left about 150 MiB of that garbage promoted and uncollected in its heap,
 * and its collections paused the chat (docs/performance.md "Confirmation emails under a join
 * storm"). Here they go with the worker, which exits after `idleMs` without mail.
 */
export class WorkerMailer implements Mailer {
  private worker: MailWorker | null = null;
  private readonly closing = new Set<Promise<void>>();
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;

  constructor(
    private readonly setup: MailerSetup,
    private readonly logger: Logger,
    private readonly idleMs = mailerIdleMs,
  ) {}

  /** Whether a worker thread is alive now (one that is closing does not count). */
  get running(): boolean {
    return this.worker !== null;
  }

  async send(context: MailContext, name: string): Promise<SentMail> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = (this.worker ??= this.startWorker());
    try {
      return await worker.send({ type: 'send', id: this.nextId++, context, name });
    } finally {
      if (worker === this.worker && worker.pending.size === 0) this.scheduleRetire();
    }
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.retire();
    await Promise.all(this.closing);
  }

  /** A new worker; one that exits on its own (a crash) is forgotten, so the next message starts another. */
  private startWorker(): MailWorker {
    const worker: MailWorker = new MailWorker(this.setup, this.logger, () => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  private scheduleRetire() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker?.pending.size === 0) this.retire();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** The current worker closes; the next message starts a new one. */
  private retire() {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const closed = worker.close().finally(() => this.closing.delete(closed));
    this.closing.add(closed);
  }
}
