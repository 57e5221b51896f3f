import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { MailSettings } from '../config.js';

/** What became of a message that left: its Message-ID, and the server's answer or the file written. */
export interface SentMail {
  messageId: string;
  /** "250 2.0.0 Ok: queued as …" from SMTP, or the path of the .eml file. */
  response: string;
}

/** Sends one composed message; rejects with the server's answer when it is refused. */
export interface MailTransport {
  send(message: Mail.Options, name: string): Promise<SentMail>;
  close(): void;
}

/**
 * SMTP when SMTP_URL is set; otherwise every message is written as `<name>.eml` under
 * `<dataDir>/mail/` (RFC 5322 with CRLF line ends, what a mail client opens), so a fresh
 * install needs no mail server.
 */
export function createMailTransport(settings: MailSettings, dataDir: string): MailTransport {
  if (settings.smtpUrl) {
    const timeoutMs = settings.timeoutMs;
    // A pool keeps up to `connections` connections open: a "we are live" to thousands of
    // attendees would otherwise pay a TCP and TLS handshake per message.
    const transporter = nodemailer.createTransport({
      url: settings.smtpUrl,
      pool: true,
      maxConnections: settings.connections,
      maxMessages: settings.messagesPerConnection,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    // Renders each message whole (headers, List-*, parts) into one buffer.
    const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    return {
      async send(message) {
        // Built into one buffer first, the message leaves in one write: piped as nodemailer
        // generates it, every header and body line would be a system call of its own.
        const built = await builder.sendMail({ from: settings.from, ...message });
        const info = await transporter.sendMail({ raw: built.message as Buffer, envelope: built.envelope });
        return { messageId: built.messageId, response: String(info.response) };
      },
      close: () => {
        transporter.close();
        builder.close();
      },
    };
  }
  const directory = join(dataDir, 'mail');
  const writer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(message, name) {
      const info = await writer.sendMail({ from: settings.from, ...message });
      const file = join(directory, `${name}.eml`);
      await mkdir(directory, { recursive: true });
      await writeFile(file, info.message as Buffer);
      return { messageId: info.messageId, response: file };
    },
    close: () => writer.close(),
  };
}
