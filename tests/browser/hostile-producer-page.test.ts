import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken } from '../support/accounts.js';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'pagina-hostil';
/** An event whose allowed origins do not include the producer's site. */
const foreignSlug = 'evento-ajeno';

describe.skipIf(!hasChromium)('widgets on a producer page that gets embedding wrong or in odd ways', () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let page: Page;
  let consoleMessages: ConsoleMessage[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    const admin = await adminToken(server.url);
    producer = await startProducerSite();
    for (const [eventSlug, origin] of [[slug, producer.origin], [foreignSlug, 'https://www.acme.com']] as const) {
      const created = await api(server.url, '/api/admin/events', {
        token: admin,
        body: { slug: eventSlug, title: 'Página hostil', allowed_origins: [origin] },
      });
      expect(created.status).toBe(201);
    }
    browser = await startBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // Every page starts signed out: the widgets keep their session token in localStorage.
    await page.addInitScript(() => localStorage.clear());
    page.on('console', (message) => consoleMessages.push(message));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  /** Serves `body` (with `%API%` for the backend) as the producer's page and opens it, signed out. */
  async function open(body: string): Promise<void> {
    producer.setHtml(`<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body>${body.replaceAll('%API%', server.url)}</body></html>`);
    consoleMessages = [];
    pageErrors = [];
    await page.goto(producer.origin);
  }

  const palcoConsole = (type: string) => consoleMessages.filter((m) => m.type() === type && m.text().startsWith('Palco:')).map((m) => m.text());

  it('embed.js loaded as a module script still finds its backend', async () => {
    await open(`<script type="module" src="%API%/embed.js"></script><palco-register event="${slug}"></palco-register>`);
    await page.locator('palco-register').getByLabel('Nombre completo').waitFor();
  });

  it('a property the page sets before embed.js defines the element is kept', async () => {
    await open(`
      <palco-chat></palco-chat>
      <script>document.querySelector('palco-chat').event = '${slug}';</script>
      <script src="%API%/embed.js"></script>`);
    await page.locator('palco-chat').getByText('Regístrate o inicia sesión para participar.').waitFor();
    expect(await page.locator('palco-chat').getAttribute('event')).toBe(slug);
  });

  it('a 240 px column shows the player’s whole placeholder', async () => {
    await open(`<div style="width: 240px"><palco-player event="${slug}"></palco-player></div><script src="%API%/embed.js"></script>`);
    const stage = page.locator('palco-player').locator('.stage');
    await stage.getByText('La transmisión comenzará pronto').waitFor();
    const { scrollHeight, clientHeight } = await stage.evaluate((element) => ({ scrollHeight: element.scrollHeight, clientHeight: element.clientHeight }));
    expect(scrollHeight).toBeLessThanOrEqual(clientHeight);
  });

  it('a page that took <palco-chat> for its own element keeps it and is told why Palco’s is missing', async () => {
    await open(`
      <script>customElements.define('palco-chat', class extends HTMLElement { connectedCallback() { this.textContent = 'chat propio'; } });</script>
      <script src="%API%/embed.js"></script>
      <palco-chat event="${slug}"></palco-chat>
      <palco-qa event="${slug}"></palco-qa>`);
    await page.locator('palco-qa').getByText('Regístrate o inicia sesión para participar.').waitFor();
    expect(await page.locator('palco-chat').textContent()).toBe('chat propio');
    await expect.poll(() => palcoConsole('warning')).toEqual([
      "Palco: this page already defines <palco-chat> as an element of its own, so Palco's <palco-chat> is not shown.",
    ]);
    expect(pageErrors).toEqual([]);
  });

  /** Registers through the page's <palco-register>, as a visitor does. */
  async function registerAs(name: string, email: string) {
    const form = page.locator('palco-register');
    await form.getByLabel('Nombre completo').fill(name);
    await form.getByLabel('Correo electrónico').fill(email);
    await form.getByLabel('Teléfono').fill('+34 600 000 000');
    await form.getByRole('button', { name: 'Entrar al evento' }).click();
  }

  it('a page that changed Object.prototype (values and throwing getters) still registers and chats', async () => {
    await open(`
      <script>
        Object.prototype.type = 'x';
        Object.prototype.length = 3;
        // Fields a frame may leave out: read from the page's prototype, they would throw.
        for (const name of ['held', 'pinned', 'restricted', 'retry_after', 'privacy_notice']) {
          Object.defineProperty(Object.prototype, name, { get() { throw new Error('page bug: ' + name); }, configurable: true });
        }
      </script>
      <script src="%API%/embed.js"></script>
      <palco-register event="${slug}"></palco-register>
      <palco-chat event="${slug}"></palco-chat>`);
    await registerAs('Polo Prototipo', 'polo@acme.example');
    const chat = page.locator('palco-chat');
    await chat.getByText('Aún no hay mensajes. ¡Saluda!').waitFor();
    await chat.getByLabel('Mensaje para el chat').fill('Hola desde una página rara');
    await chat.getByRole('button', { name: 'Enviar' }).click();
    await chat.getByRole('log').getByText('Hola desde una página rara').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('a page without WebSocket gets a clear error in each widget and one console message, not “Cargando…” for ever', async () => {
    await open(`
      <script>window.WebSocket = undefined;</script>
      <script src="%API%/embed.js"></script>
      <palco-register event="${slug}"></palco-register>
      <palco-chat event="${slug}"></palco-chat>
      <palco-qa event="${slug}"></palco-qa>`);
    await registerAs('Wenceslao Sinsocket', 'wences@acme.example');
    const refused = 'Esta página no permite conexiones en directo (WebSocket): el chat, las preguntas y las encuestas no pueden funcionar aquí.';
    await page.locator('palco-chat').getByRole('alert').getByText(refused).waitFor();
    await page.locator('palco-qa').getByRole('alert').getByText(refused).waitFor();
    await expect.poll(() => palcoConsole('error')).toEqual([
      'Palco: this page has no usable window.WebSocket (a script removed or replaced it), so the widgets cannot go live.',
    ]);
  });
});

