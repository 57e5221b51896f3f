import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff } from '../support/accounts.js';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { api, loginAs } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'estilos-hostiles';
/** A second event nobody is signed in to, so <palco-register> shows its form and labels. */
const openSlug = 'registro-abierto';

/** Inherited properties a producer's CSS sets on everything; none may reach the widgets' text. */
const inheritedProperties = [
  'text-align', 'text-transform', 'letter-spacing', 'word-spacing', 'line-height',
  'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant-caps',
  'color', 'direction', 'white-space', 'text-indent', 'visibility', 'text-shadow',
  'cursor', 'font-stretch', 'text-decoration-color', 'list-style-type',
] as const;

const hostileDeclarations = `
  text-align: center; text-transform: uppercase; letter-spacing: 4px; word-spacing: 14px;
  line-height: 3; font-family: "Courier New", monospace; font-style: italic; font-weight: 900;
  font-size: 23px; font-variant: small-caps; color: rgb(255, 0, 255); direction: rtl;
  white-space: nowrap; text-indent: 40px; visibility: hidden; text-shadow: 2px 2px red;
  cursor: wait; font-stretch: condensed; list-style-type: upper-roman;
`;
const widgetTags = ['palco-register', 'palco-player', 'palco-chat', 'palco-qa', 'palco-mod-queue', 'palco-speaker-board', 'palco-report'];
const hostileSheet = `
  * { ${hostileDeclarations} }
  html, body { ${hostileDeclarations} }
  ${widgetTags.join(', ')} { ${hostileDeclarations} }
  palco-chat { ${hostileDeclarations} }
`;

function producerPage(backend: string, hostile: boolean): string {
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme en vivo</title>
    <script src="${backend}/embed.js" async></script>
    <script src="${backend}/reports.js" async></script>
    <script src="${backend}/moderation.js" async></script>
    <style>palco-chat { --palco-accent: #0f766e; }</style>
    ${hostile ? `<style>${hostileSheet}</style>` : ''}
  </head><body>
    <palco-register event="${openSlug}"></palco-register>
    <palco-player event="${slug}"></palco-player>
    <palco-chat event="${slug}"></palco-chat>
    <palco-qa event="${slug}"></palco-qa>
    <palco-mod-queue event="${slug}"></palco-mod-queue>
    <palco-speaker-board event="${slug}"></palco-speaker-board>
    <palco-report event="${slug}"></palco-report>
  </body></html>`;
}

/** What each widget shows once it has loaded everything: its text is compared only then. */
const readyWhen: Record<string, [selector: string, count: number]> = {
  'palco-register': ['input[name="name"]', 1],
  'palco-player': ['.stage', 1],
  'palco-chat': ['textarea', 1],
  'palco-qa': ['textarea', 1],
  'palco-mod-queue': ['.audience', 1],
  'palco-speaker-board': ['.board .hint', 1],
  // Both tables (questions, participants) have answered: each says it has no rows.
  'palco-report': ['.table-card > p.hint', 2],
};

type TextStyles = Record<string, Array<{ path: string; styles: Record<string, string> }>>;

/** The computed style of every element inside each widget's shadow root that shows text of its own. */
async function textStyles(page: Page): Promise<TextStyles> {
  for (const [tag, [selector, count]] of Object.entries(readyWhen)) {
    await expect.poll(() => page.locator(tag).locator(selector).count(), { timeout: 15_000 }).toBe(count);
  }
  return page.evaluate(
    ({ tags, properties }) => {
      const result: Record<string, Array<{ path: string; styles: Record<string, string> }>> = {};
      for (const tag of tags) {
        const root = document.querySelector(tag)!.shadowRoot!;
        result[tag] = [...root.querySelectorAll('*')]
          .filter((element) => [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim()))
          .map((element, index) => {
            const computed = getComputedStyle(element);
            const styles: Record<string, string> = {};
            for (const property of properties) styles[property] = computed.getPropertyValue(property);
            return { path: `${index}:${element.localName}.${element.className}`, styles };
          });
      }
      return result;
    },
    { tags: widgetTags, properties: [...inheritedProperties] },
  );
}

describe.skipIf(!hasChromium)('widgets on a producer page with hostile CSS', () => {
  let server: TestServer;
  let producer: ProducerSite;
  let browser: TestBrowser;
  let moderatorToken: string;

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    const admin = await adminToken(server.url);
    producer = await startProducerSite();
    for (const [eventSlug, title] of [[slug, 'Estilos hostiles'], [openSlug, 'Registro abierto']] as const) {
      const created = await api(server.url, '/api/admin/events', {
        token: admin,
        body: { slug: eventSlug, title, access_code: 'codigo-2050', allowed_origins: [producer.origin] },
      });
      expect(created.status).toBe(201);
    }
    await createStaff(server.url, admin, slug, { name: 'Marta', email: 'marta@acme.com', role: 'moderador', password: 'moderadora-2050' });
    moderatorToken = (await loginAs(server.url, slug, 'marta@acme.com', 'moderadora-2050')).token;
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  /** The producer's page, with the moderator signed in to the event in this browser (as the widgets keep it). */
  async function openProducerPage(hostile: boolean): Promise<Page> {
    producer.setHtml(producerPage(server.url, hostile));
    const page = await browser.newPage();
    const key = `palco:${new URL(server.url).origin}:${slug}:token`;
    await page.addInitScript(([storageKey, token]) => localStorage.setItem(storageKey!, token!), [key, moderatorToken]);
    await page.goto(producer.origin);
    return page;
  }

  it('every widget label keeps its own alignment, case, spacing, font and colour under the page’s *, body and element rules', async () => {
    const plain = await textStyles(await openProducerPage(false));
    const hostile = await textStyles(await openProducerPage(true));
    for (const tag of widgetTags) expect(plain[tag]!.length, `${tag} shows text`).toBeGreaterThan(0);
    expect(hostile).toEqual(plain);
  });

  it('all seven widgets on a producer’s page pass axe’s WCAG 2.2 AA rules', async () => {
    const page = await openProducerPage(false);
    await textStyles(page);
    const report = await checkAccessibility(page);
    expect(report.violations).toEqual([]);
    expect(report.contrastChecked).toBeGreaterThan(20);
  });

  it('the producer’s custom properties still theme the widgets under the hostile sheet', async () => {
    const page = await openProducerPage(true);
    const send = page.locator('palco-chat').locator('button[type="submit"]');
    await send.waitFor({ state: 'attached' });
    expect(await send.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(15, 118, 110)');
    expect(await send.evaluate((button) => getComputedStyle(button).textTransform)).toBe('none');
  });
});
