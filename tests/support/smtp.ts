import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { defaultMailSettings, type Config, type MailSettings } from '../../packages/backend/src/config.js';
import { eventually } from './poll.js';
import type { DatabaseTarget } from './server.js';
import { serverSuite, type ServerSuite } from './suite.js';

/** What an inbox holds: each message parsed, with the raw source for header checks. */
export interface ReceivedMail {
  parsed: ParsedMail;
  raw: string;
  to: string;
}

/**
 * A real SMTP server on a free port that keeps what it is sent. `refuse(true)` answers every
 * message with a temporary failure (451); `stop()` closes the port and `restart()` opens it
 * again, so a test can take the mail server away mid-batch.
 */
export interface SmtpReceiver {
  url: string;
  port: number;
  mails: ReceivedMail[];
  refuse(refusing: boolean): void;
  /** Holds each message this long before answering it, as a slow mail server does. */
  answerAfter(ms: number): void;
  /** The most messages that were being received at once (from their first byte to the answer) since the last `resetMostAtOnce`. */
  readonly mostAtOnce: number;
  resetMostAtOnce(): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Waits until `count` messages reached `address` and returns them, oldest first. */
  inbox(address: string, count?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  let refusing = false;
  let answerDelayMs = 0;
  let receiving = 0;
  let mostAtOnce = 0;
  let port = 0;
  let server: SMTPServer;
  const open = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        receiving += 1;
        mostAtOnce = Math.max(mostAtOnce, receiving);
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => setTimeout(answer, answerDelayMs));
        const answer = () => {
          receiving -= 1;
          if (refusing) {
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const to = session.envelope.rcptTo.map((recipient) => recipient.address).join(',');
          simpleParser(raw).then(
            (parsed) => {
              mails.push({ parsed, raw, to });
              callback();
            },
            (error: Error) => callback(error),
          );
        };
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  };
  await open();
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    mails,
    refuse: (value) => {
      refusing = value;
    },
    answerAfter: (ms) => {
      answerDelayMs = ms;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    resetMostAtOnce: () => {
      mostAtOnce = receiving;
    },
    stop,
    restart: open,
    async inbox(address, count = 1) {
      const arrived = () => mails.filter((mail) => mail.to === address);
      const subjects = () => arrived().map((mail) => mail.parsed.subject);
      await eventually(() => arrived().length, (length) => length >= count, 10_000, () => `${count} message(s) to ${address}; got ${JSON.stringify(subjects())}`);
      return arrived();
    },
    close: stop,
  };
}

/** A header of a raw message, unfolded (RFC 5322 §2.2.3), or undefined. */
export function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The embedded default's mail (an .eml file per message under the data directory), looked for every 100 ms. */
export const emlMail: MailSettings = { ...defaultMailSettings, enabled: true, smtpUrl: null, from: 'Palco <no-reply@localhost>', pollIntervalMs: 100 };

/** Mail settings for a test server sending to `receiver`, retrying within milliseconds. */
export function mailTo(receiver: SmtpReceiver, overrides: Partial<MailSettings> = {}): MailSettings {
  return {
    ...defaultMailSettings,
    enabled: true,
    smtpUrl: receiver.url,
    from: 'Palco <eventos@palco.test>',
    retryDelaysMs: [50, 100, 200, 400, 800],
    timeoutMs: 2_000,
    pollIntervalMs: 50,
    ...overrides,
  };
}

/** What a suite with mail gets: a test server sending to its own receiver, and an admin token. */
export interface MailSuite extends ServerSuite {
  receiver: SmtpReceiver;
}

/**
 * A server suite (tests/support/suite.ts) whose mail goes to a receiver of its own, started
 * first and stopped last; `mail` changes the mail settings `mailTo` gives.
 */
export function mailSuite(target: DatabaseTarget, overrides: Partial<Config> = {}, mail: Partial<MailSettings> = {}): MailSuite {
  let receiver: SmtpReceiver;
  beforeAll(async () => {
    receiver = await startSmtpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const suite = serverSuite(target, () => ({ mail: mailTo(receiver, mail), ...overrides })) as MailSuite;
  beforeAll(() => {
    suite.receiver = receiver;
  });
  return suite;
}
