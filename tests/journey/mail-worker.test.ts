import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MailKind } from '@palco/sdk/protocol';
import { defaultMailSettings } from '../../packages/backend/src/config.js';
import { createLogger } from '../../packages/backend/src/log.js';
import type { MailContext } from '../../packages/backend/src/mail/compose.js';
import { WorkerMailer } from '../../packages/backend/src/mail/mailer.js';
import { eventually, sleep } from '../support/poll.js';

const event = {
  id: 7,
  slug: 'lanzamiento',
  title: 'Lanzamiento',
  description: 'La presentación del producto',
  starts_at: new Date('2026-12-03T18:00:00Z'),
  ends_at: null,
  updated_at: new Date('2026-11-30T10:00:00Z'),
  time_zone: 'America/Mexico_City',
  logo_url: null,
};

const context = (name: string): MailContext => ({
  kind: MailKind.confirmation,
  event,
  recipient: { name, email: 'ana@example.com', lang: 'es' },
  publicUrl: 'http://palco.test',
  actionUrl: 'http://palco.test/e/lanzamiento/auth?token=t',
  unsubscribeUrl: null,
});

describe('the mail worker', () => {
  const dirs: string[] = [];
  const mailers: WorkerMailer[] = [];
  const start = (idleMs: number) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'palco-mailer-'));
    dirs.push(dataDir);
    const mailer = new WorkerMailer({ settings: { ...defaultMailSettings, enabled: true, smtpUrl: null, from: 'Palco <eventos@palco.test>' }, dataDir }, createLogger('silent'), idleMs);
    mailers.push(mailer);
    return mailer;
  };
  afterEach(async () => {
    await Promise.all(mailers.splice(0).map((mailer) => mailer.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('renders and writes each message in a thread of its own, which exits once mail stops and starts again for the next', async () => {
    const mailer = start(100);
    expect(mailer.running).toBe(false);
    const sent = await Promise.all(['Ana', 'Bea', 'Carla'].map((name, i) => mailer.send(context(name), `${i}-confirmation`)));
    expect(mailer.running).toBe(true);
    const [, second] = sent;
    const written = readFileSync(second!.response, 'utf8');
    expect(written).toContain('To: Bea <ana@example.com>');
    expect(written).toContain('lanzamiento.ics');
    expect(written).toMatch(/Message-ID: <.+>/i);
    expect(second!.messageId).toMatch(/^<.+>$/);
    // The worker outlives a short pause and exits after a longer one.
    await sleep(30);
    expect(mailer.running).toBe(true);
    await eventually(() => !mailer.running, undefined, 5_000, 'the idle worker to exit');
    const again = await mailer.send(context('Dora'), '3-confirmation');
    expect(readFileSync(again.response, 'utf8')).toContain('To: Dora <ana@example.com>');
  });

  it('rejects a message the transport refuses with its error, and keeps sending the next', async () => {
    const mailer = start(1_000);
    // A name the file system refuses: the write fails in the worker, and its error comes back.
    await expect(mailer.send(context('Eva'), 'no/such/dir/x')).rejects.toMatchObject({ code: 'ENOENT', message: expect.stringContaining('ENOENT') });
    const sent = await mailer.send(context('Eva'), '4-confirmation');
    expect(readFileSync(sent.response, 'utf8')).toContain('To: Eva <ana@example.com>');
  });

  it('fails the messages of a worker that dies, and starts a new one for the next', async () => {
    const mailer = start(60_000);
    const posts = vi.spyOn(Worker.prototype, 'postMessage');
    await mailer.send(context('Hugo'), '7-confirmation');
    const dying = mailer.send(context('Inés'), '8-confirmation');
    // The thread is stopped from outside while it holds Inés's message, as a crash would stop it.
    const thread = posts.mock.contexts.at(-1) as Worker;
    posts.mockRestore();
    await thread.terminate();
    await expect(dying).rejects.toThrow('the mail worker stopped before answering');
    expect(mailer.running).toBe(false);
    const sent = await mailer.send(context('Juan'), '9-confirmation');
    expect(readFileSync(sent.response, 'utf8')).toContain('To: Juan <ana@example.com>');
  });

  it('lets its worker go on close, and answers a message sent after with a new one', async () => {
    const mailer = start(60_000);
    await mailer.send(context('Flor'), '5-confirmation');
    expect(mailer.running).toBe(true);
    const closing = performance.now();
    await mailer.close();
    expect(mailer.running).toBe(false);
    expect(performance.now() - closing).toBeLessThan(2_000);
    const sent = await mailer.send(context('Gema'), '6-confirmation');
    expect(readFileSync(sent.response, 'utf8')).toContain('To: Gema <ana@example.com>');
  });
});
