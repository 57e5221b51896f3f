import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`${chromiumPath} not found: the browser tests are skipped (apt-get install -y chromium).`);

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Debian's Chromium, headless; Playwright gives each launch a fresh, temporary user-data-dir of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Serves examples/producer-site on its own origin, pointed at the test backend and event. */
export async function startProducerSite(backendUrl: string, slug: string): Promise<{ origin: string; server: Server }> {
  const html = readFileSync(join(repositoryRoot, 'examples/producer-site/index.html'), 'utf8')
    .replaceAll('http://localhost:3000', backendUrl)
    .replaceAll('demo-fast', slug);
  const server = createServer((request, response) => {
    if (request.url !== '/' && request.url !== '/index.html') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" and "127.0.0.1" are different sites: the widgets really work across sites.
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}
