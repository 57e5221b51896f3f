import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const slug = 'csrf-navegador';
const accessCode = 'codigo-csrf-2050';

/** How Chromium itself labels the posts: the server sees exactly what a visitor's browser sends. */
describe.skipIf(!hasChromium)('login CSRF in a real browser', () => {
  let browser: TestBrowser;
  let attacker: ProducerSite;
  let producer: ProducerSite;

  const server = useServer(databaseTargets[0]!);
  beforeAll(async () => {
    attacker = await startProducerSite();
    producer = await startProducerSite();
    const admin = await adminToken(server.url);
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: { slug, title: 'CSRF en el navegador', access_code: accessCode, allowed_origins: [producer.origin] },
    });
    expect(created.status).toBe(201);
    browser = await startBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    attacker?.close();
    producer?.close();
  });

  const sessionCookies = async (page: Awaited<ReturnType<TestBrowser['newPage']>>) =>
    (await page.context().cookies(server.url)).filter((cookie) => cookie.name.startsWith('palco_'));

  it("a foreign page that auto-submits the sign-in form with the attacker's account leaves the visitor signed out", async () => {
    await api(server.url, `/api/events/${slug}/register`, { body: { name: 'Atacante', email: 'atacante@evil.example', phone: '+34 600 000 000' } });
    attacker.setHtml(`<!doctype html><form id="f" method="post" action="${server.url}/e/${slug}/login">
      <input name="email" value="atacante@evil.example"><input name="password" value="${accessCode}"></form>
      <script>document.getElementById('f').submit()</script>`);
    const page = await browser.newPage();
    const answered = page.waitForResponse((response) => response.url().endsWith(`/e/${slug}/login`) && response.request().method() === 'POST');
    await page.goto(attacker.origin);
    expect((await answered).status()).toBe(403);
    await page.getByText('Abre la página del evento para registrarte o iniciar sesión.').waitFor();
    expect(await sessionCookies(page)).toEqual([]);
  });

  it("the registration form inside a frame on an allowed origin is Palco's own page: its post is accepted, the cookie is the browser's call", async () => {
    producer.setHtml(`<!doctype html><iframe src="${server.url}/e/${slug}" style="width:600px;height:700px"></iframe>`);
    const page = await browser.newPage();
    const posted = page.waitForResponse((response) => response.url().includes(`/e/${slug}`) && response.request().method() === 'POST');
    await page.goto(producer.origin);
    const frame = page.frameLocator('iframe');
    await frame.getByLabel('Nombre completo').fill('Enmarcada');
    await frame.getByLabel('Correo electrónico').fill('enmarcada@empresa.com');
    await frame.getByLabel('Teléfono').fill('+34 600 000 000');
    await frame.getByRole('button').first().click();
    const response = await posted;
    expect(response.status()).toBe(303);
    expect(await response.request().headerValue('sec-fetch-site')).toBe('same-origin');
    expect(await response.headerValue('set-cookie')).toMatch(/^palco_e\d+=/);
    // Chromium keeps no SameSite=Lax cookie set inside a frame under another site (docs/security.md).
    expect(await sessionCookies(page)).toEqual([]);
  });
});
