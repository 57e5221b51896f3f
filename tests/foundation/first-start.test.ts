import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { startBackend, type BackendProcess } from '../support/processes.js';

describe('the first start of palco serve', () => {
  let backend: BackendProcess;

  beforeAll(async () => {
    // No ADMIN_EMAIL or ADMIN_PASSWORD: the start creates the default administrator with a generated password.
    backend = await startBackend({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '', HOST: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('listens on the HOST it was given', () => {
    expect(backend.url).toBe(`http://127.0.0.1:${backend.port}`);
  });

  it('ends its output with the administrator’s password in a box, after the listening line, and that password signs in', async () => {
    await expect.poll(() => backend.output().trimEnd().endsWith('┘'), { timeout: 10_000 }).toBe(true);
    const lines = backend.output().trimEnd().split('\n');
    const listening = lines.findIndex((line) => line.startsWith('Palco is listening on'));
    const boxTop = lines.findIndex((line) => line.startsWith('┌'));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(boxTop).toBeGreaterThan(listening);
    const box = lines.slice(boxTop);
    expect(box.at(-1)).toMatch(/^└─+┘$/);
    // Every line of the box is as wide as the others, so its right edge is straight.
    expect(new Set(box.map((line) => line.length)).size).toBe(1);
    expect(box.join('\n')).toContain(`${backend.url}/admin/events`);
    expect(box.join('\n')).toContain('admin@produccionesfast.com');
    const password = /^│ +password +(\S+) +│$/m.exec(box.join('\n'))?.[1];
    expect(password).toBeDefined();
    const signIn = await api(backend.url, '/api/auth/login', { body: { email: 'admin@produccionesfast.com', password } });
    expect(signIn.status).toBe(200);
  });
});
