import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`${chromiumPath} not found: the browser tests are skipped (apt-get install -y chromium).`);

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const screenshotsDir = join(repositoryRoot, 'docs/screenshots');
export const viewports = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

/** Debian's Chromium, headless; Playwright gives each launch a fresh, temporary user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
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
  /** The page served at `/` from now on. */
  setHtml(html: string): void;
  close(): void;
}

/** A producer's web site on its own origin, serving one page. */
export async function startProducerSite(html = ''): Promise<ProducerSite> {
  let page = html;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/' && request.url !== '/index.html') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    setHtml: (next) => void (page = next),
    close: () => void server.close(),
  };
}

/** examples/producer-site/index.html, pointed at a test backend and event. */
export function exampleProducerPage(backendUrl: string, slug: string): string {
  return readFileSync(join(repositoryRoot, 'examples/producer-site/index.html'), 'utf8')
    .replaceAll('http://localhost:3000', backendUrl)
    .replaceAll('demo-fast', slug);
}
