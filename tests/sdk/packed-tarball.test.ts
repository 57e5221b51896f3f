import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@palco/sdk';
import { api, loginAs, registerAttendee } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { eventually } from '../support/poll.js';
import { useServer } from '../support/fixture.js';

const root = new URL('../../', import.meta.url).pathname;
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const node = (args: string[], cwd: string) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8' });

describe('the packed @palco/sdk tarball', () => {
  let app: string;
  let bot: ChildProcess | undefined;

  const server = useServer(databaseTargets[0]!);
  beforeAll(async () => {
    if (!existsSync(join(root, 'packages/sdk/dist/index.js'))) npm(['run', 'build', '-w', '@palco/sdk'], root);
    const work = mkdtempSync(join(tmpdir(), 'palco-pack-'));
    npm(['pack', '--pack-destination', work], join(root, 'packages/sdk'));
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'))!;
    app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty-app', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball), 'ws@8'], app);
    copyFileSync(join(root, 'examples/node-bot/bot.mjs'), join(app, 'bot.mjs'));
  }, 180_000);

  afterAll(async () => {
    bot?.kill('SIGKILL');
    rmSync(join(app, '..'), { recursive: true, force: true });
  });

  it('installs into an empty folder and imports from ESM', () => {
    const output = node(
      ['--input-type=module', '-e', "import { createClient, ErrorCode, backoffDelay } from '@palco/sdk'; console.log(typeof createClient, ErrorCode.rateLimited, typeof backoffDelay)"],
      app,
    );
    expect(output.trim()).toBe('function rate_limited function');
  });

  it('imports from CommonJS, protocol entry included', () => {
    const output = node(
      ['-e', "const sdk = require('@palco/sdk'); const protocol = require('@palco/sdk/protocol'); console.log(typeof sdk.createClient, protocol.CloseCode.eventClosed)"],
      app,
    );
    expect(output.trim()).toBe('function 4010');
  });

  it('ships type declarations and the browser global build', () => {
    expect(existsSync(join(app, 'node_modules/@palco/sdk/dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/@palco/sdk/dist/palco-sdk.iife.js'))).toBe(true);
  });

  it('runs the node-bot example against a running server: it approves the questions with its keyword', async () => {
    const admin = await api(server.url, '/api/auth/login', { body: { email: server.adminEmail, password: server.adminPassword } });
    const event = await api(server.url, '/api/events/demo-fast');
    const created = await api(server.url, `/api/admin/events/${event.body.id}/staff`, {
      token: admin.body.token,
      body: { name: 'Bot', email: 'bot@produccionesfast.com', role: 'moderador', password: 'bot-password-1' },
    });
    expect(created.status).toBe(201);

    let output = '';
    bot = spawn(process.execPath, ['bot.mjs', server.url, 'demo-fast', 'precio'], {
      cwd: app,
      env: { ...process.env, PALCO_EMAIL: 'bot@produccionesfast.com', PALCO_PASSWORD: 'bot-password-1' },
    });
    bot.stdout!.on('data', (chunk) => (output += chunk));
    bot.stderr!.on('data', (chunk) => (output += chunk));
    await eventually(() => output.includes('connection: connected'), Boolean, 20_000, () => `bot output:\n${output}`);

    const attendee = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never });
    attendee.setToken((await registerAttendee(server.url)).token);
    const approved: number[] = [];
    attendee.on('approved_question', (question) => approved.push(question.id));
    await attendee.connect();
    const wanted = await attendee.ask('¿Cuál es el precio de la entrada?');
    const other = await attendee.ask('¿Habrá grabación?');
    await eventually(() => approved.includes(wanted.id), Boolean, 20_000, () => `bot output:\n${output}`);
    expect(output).toContain(`approved #${wanted.id}`);
    expect(approved).not.toContain(other.id);
    attendee.disconnect();
    await loginAs(server.url, 'demo-fast', 'bot@produccionesfast.com', 'bot-password-1');
  }, 60_000);
});
