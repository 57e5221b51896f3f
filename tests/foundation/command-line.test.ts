import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from '../support/processes.js';

/* The README's command line, run the way it says: `npx palco <command>` from the repository. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const shim = join(root, 'packages/backend/bin/palco.js');
const scratch = mkdtempSync(join(tmpdir(), 'palco-cli-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function npxPalco(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync('npx', ['palco', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe.skipIf(!existsSync(cliPath))('npx palco after the build (skipped: run `npm run build` first)', () => {
  it('lists the commands on --help and exits 0', () => {
    const run = npxPalco(['--help']);
    expect(run.stderr).not.toContain('could not determine executable');
    expect(run.status, run.stderr).toBe(0);
    for (const command of ['serve', 'migrate', 'create-admin', 'create-event', 'set-access-code']) {
      expect(run.stdout).toContain(command);
    }
  });

  it('migrates the database DATABASE_URL names', () => {
    const run = npxPalco(['migrate'], { DATABASE_URL: `sqlite:${join(scratch, 'palco.sqlite')}`, PALCO_DATA_DIR: scratch });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Applied: 001-schema, /m);
  });

  it('says in English, with the glossary’s words, how an event it creates signs attendees in and where its moderators and speakers are added', () => {
    // A Spanish locale changes nothing: the command line speaks English, as its help does.
    const env = { DATABASE_URL: `sqlite:${join(scratch, 'events.sqlite')}`, PALCO_DATA_DIR: scratch, PALCO_PUBLIC_URL: 'https://live.example.com', LANG: 'es_ES.UTF-8' };
    const withCode = npxPalco(['create-event', '--slug', 'con-codigo', '--title', 'Con código', '--access-code', 'codigo-2050'], env);
    expect(withCode.status, withCode.stderr).toBe(0);
    expect(withCode.stdout).toMatch(
      /^Event con-codigo created \(id (\d+)\): attendees register at https:\/\/live\.example\.com\/e\/con-codigo and sign in with its access code\. Add its moderators and speakers at https:\/\/live\.example\.com\/admin\/events\/\1\/staff\.$/m,
    );
    const byLink = npxPalco(['create-event', '--slug', 'con-enlace', '--title', 'Con enlace'], env);
    expect(byLink.status, byLink.stderr).toBe(0);
    expect(byLink.stdout).toContain('attendees register at https://live.example.com/e/con-enlace and sign in with a link mailed to them.');
    for (const run of [withCode, byLink]) expect(run.stdout).not.toMatch(/visor|moderador|ponente|speaker,/);
  });

  it('refuses an event it could not serve, a slug already taken or a short access code, saying which option to change', () => {
    const env = { DATABASE_URL: `sqlite:${join(scratch, 'refused.sqlite')}`, PALCO_DATA_DIR: scratch };
    const bad = npxPalco(['create-event', '--slug', 'Mi Evento!', '--title', ' ', '--domains', 'acme', '--access-code', 'abc'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'palco: create-event was not run:',
      '  --slug: Use 2 to 63 lowercase letters, digits or hyphens.',
      '  --title: This field is required.',
      '  --domains: Enter a valid domain (e.g. company.com).',
      '  --access-code: It is too short.',
    ]);
    expect(npxPalco(['create-event', '--slug', 'una-vez', '--title', 'Una vez'], env).status).toBe(0);
    const again = npxPalco(['create-event', '--slug', 'una-vez', '--title', 'Otra vez'], env);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe('palco: there is already an event una-vez');
    const code = npxPalco(['set-access-code', '--slug', 'una-vez', '--code', 'abc'], env);
    expect(code.status).toBe(1);
    expect(code.stderr.trim().split('\n')).toEqual(['palco: set-access-code was not run:', '  --code: It is too short.']);
  });

  it('refuses an unknown command with the list of commands and exit code 1', () => {
    const run = npxPalco(['serv']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('palco: there is no command serv');
    expect(run.stderr).toContain('create-admin');
  });
});

describe('the palco command before the build', () => {
  it('says the backend is not built yet and how to build it', () => {
    // The installed command, copied where no dist/ sits beside it, as on a fresh clone.
    const bin = join(scratch, 'unbuilt', 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(shim, join(bin, 'palco.js'));
    const run = spawnSync(process.execPath, [join(bin, 'palco.js'), '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('run `npm run build` first');
  });
});
