import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`${chromiumPath} not found: the browser tests are skipped (apt-get install -y chromium).`);

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Where the browser tests leave their screenshots: .tmp/screenshots, so a test run leaves the
 * checkout clean; `npm run screenshots` points them at docs/screenshots to refresh the docs.
 */
export const screenshotsDir = process.env.PALCO_SCREENSHOTS_DIR
  ? resolve(repositoryRoot, process.env.PALCO_SCREENSHOTS_DIR)
  : join(repositoryRoot, '.tmp/screenshots');
export const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
/** A phone held by someone who reads English: touch, and the browser asking for English pages. */
export const englishPhone = {
  viewport: viewports.phone,
  hasTouch: true,
  isMobile: true,
  locale: 'en-US',
  extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' },
} satisfies BrowserContextOptions;

/** Debian's Chromium, headless; Playwright gives each launch a fresh, temporary user-data-dir. */
function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export interface PageOptions extends BrowserContextOptions {
  /** A session cookie set before the first request, HttpOnly as the server sets it. */
  cookie?: { name: string; value: string; url: string };
}

/** One Chromium for a suite; each page gets a context of its own, and `close` ends them all. */
export interface TestBrowser {
  /** A page in a fresh context: desktop size, in Spanish, unless `options` say otherwise. */
  newPage(options?: PageOptions): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowser(): Promise<TestBrowser> {
  const browser = await launchChromium();
  return {
    async newPage({ cookie, ...options } = {}) {
      const context = await browser.newContext({ viewport: viewports.desktop, locale: 'es-ES', ...options });
      if (cookie) await context.addCookies([{ ...cookie, httpOnly: true, sameSite: 'Lax' }]);
      return context.newPage();
    },
    async close() {
      for (const context of browser.contexts()) await context.close().catch(() => {});
      await browser.close();
    },
  };
}

/**
 * A page for a journey: fresh context, a default wait shorter than a test's own timeout (so a
 * failure names the element it waited for), and any error thrown in the page fails the test.
 */
export async function journeyPage(browser: TestBrowser, options?: PageOptions): Promise<Page> {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** The elements inside `host`'s shadow root whose right edge passes the host's own, by how much. */
export async function overflowingParts(host: Locator): Promise<string[]> {
  return host.evaluate((element) => {
    const right = element.getBoundingClientRect().right;
    const found: string[] = [];
    for (const inner of element.shadowRoot!.querySelectorAll('*')) {
      const box = inner.getBoundingClientRect();
      if (box.width > 0 && box.right > right + 0.5) found.push(`${inner.tagName.toLowerCase()}.${inner.className}: ${Math.round(box.right - right)} px`);
    }
    return found;
  });
}

/** Full-page screenshots docs/screenshots/{name}-desktop.png and -phone.png; leaves the page at desktop width. */
export async function shoot(page: Page, name: string) {
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(screenshotsDir, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

export interface ProducerSite {
  /** http://localhost:PORT: "localhost" and "127.0.0.1" are different sites, so the widgets really work across sites. */
  origin: string;
  /** The page served at `/` from now on, with these extra response headers (a Content-Security-Policy, say). */
  setHtml(html: string, headers?: Record<string, string>): void;
  close(): void;
}

/**
 * Signs `page` in to event `slug` for widgets on any site, as they keep it: the session token
 * in localStorage under the backend's origin and the slug, set before each page load.
 */
export async function keepWidgetToken(page: Page, backendUrl: string, slug: string, token: string): Promise<void> {
  await page.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [`palco:${new URL(backendUrl).origin}:${slug}:token`, token]);
}

/** A producer's web site on its own origin, serving one page. */
export async function startProducerSite(html = ''): Promise<ProducerSite> {
  let page = html;
  let pageHeaders: Record<string, string> = {};
  const server: Server = createServer((request, response) => {
    if (request.url !== '/' && request.url !== '/index.html') return void response.writeHead(404).end();
    response.writeHead(200, { ...pageHeaders, 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    setHtml: (next, headers = {}) => {
      page = next;
      pageHeaders = headers;
    },
    close: () => void server.close(),
  };
}

/** examples/producer-site/index.html, pointed at a test backend and event as serve.mjs does. */
export function exampleProducerPage(backendUrl: string, slug: string): string {
  return readFileSync(join(repositoryRoot, 'examples/producer-site/index.html'), 'utf8')
    .replaceAll('%PALCO_URL%', backendUrl)
    .replaceAll('demo-fast', slug);
}
