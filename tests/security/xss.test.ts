import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '@palco/sdk/protocol';
import { exampleProducerPage, hasChromium, startBrowser, startProducerSite, type PageOptions, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type Member, useRealtimeServer } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** Runs script three ways if it is ever parsed as HTML: an event handler, an SVG onload and a script element. */
const payload = `"'><img src=x onerror="window.__xss=1;alert(1)"><svg onload=alert(2)><script>alert(3)</script>`;
const slug = 'xss';

type Who = 'visitor' | 'attendee' | 'moderator' | 'speaker' | 'admin';

interface HostedPage {
  name: string;
  path: (context: { slug: string; eventId: number; producer: string }) => string;
  who: Who;
  /** Text the page shows once it has rendered what people typed. */
  shows: string;
  /** Steps after loading, before looking (a visitor registering through a widget). */
  prepare?: (page: Page) => Promise<void>;
}

/** Every server page and widget shell a user field can reach; a new page is one more line. */
const pages: HostedPage[] = [
  { name: 'landing page', path: () => '/', who: 'visitor', shows: 'Palco' },
  { name: 'registration page', path: ({ slug }) => `/e/${slug}`, who: 'visitor', shows: `Evento ${payload}` },
  { name: 'sign-in page with a typed email', path: ({ slug }) => `/e/${slug}/login?email=${encodeURIComponent(payload)}`, who: 'visitor', shows: `Evento ${payload}` },
  { name: 'message page', path: () => `/e/${encodeURIComponent(payload)}`, who: 'visitor', shows: 'Palco' },
  { name: 'watch shell', path: ({ slug }) => `/e/${slug}/watch`, who: 'attendee', shows: `chat ${payload}` },
  { name: 'moderation shell', path: ({ slug }) => `/e/${slug}/mod`, who: 'moderator', shows: `pendiente ${payload}` },
  { name: 'speaker shell', path: ({ slug }) => `/e/${slug}/speaker`, who: 'speaker', shows: `aprobada ${payload}` },
  { name: 'reports page', path: ({ slug }) => `/e/${slug}/reports`, who: 'moderator', shows: `${payload} asistente` },
  { name: 'admin events list', path: () => '/admin/events', who: 'admin', shows: `Evento ${payload}` },
  { name: 'admin staff page', path: ({ eventId }) => `/admin/events/${eventId}/staff`, who: 'admin', shows: `Moderadora ${payload}` },
  { name: 'admin moderation log', path: ({ eventId }) => `/admin/events/${eventId}/log`, who: 'admin', shows: `Moderadora ${payload}` },
  {
    name: 'widgets on a producer site',
    path: ({ producer }) => producer,
    who: 'visitor',
    shows: `chat ${payload}`,
    prepare: async (page) => {
      const register = page.locator('palco-register');
      await register.getByLabel('Nombre completo').fill(`${payload} visitante`);
      await register.getByLabel('Correo electrónico').fill('visitante@xss.test');
      await register.getByLabel('Teléfono').fill('+34 600 000 000');
      await register.getByRole('button', { name: 'Entrar al evento' }).click();
    },
  },
];

/** Elements with event-handler attributes, in the document and every open shadow root: markup that came from data. */
function injectedHandlers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        for (const name of element.getAttributeNames()) if (name.startsWith('on')) found.push(`${element.tagName} ${name}`);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}

describe.skipIf(!hasChromium)('XSS payloads in every user field, rendered in Chromium', () => {
  let eventId: number;
  let browser: TestBrowser;
  let producer: ProducerSite;
  const sessions = {} as Record<Exclude<Who, 'visitor'>, PageOptions['cookie']>;

  // The widget bundles exist before the server that serves them starts.
  beforeAll(() => ensureWidgetsBuilt());
  const server = useRealtimeServer(databaseTargets[0]!);
  beforeAll(async () => {
    producer = await startProducerSite();
    producer.setHtml(exampleProducerPage(server.url, slug));
    const event = await createEvent(server, slug, {
      title: `Evento ${payload}`,
      logo_url: `https://cdn.invalid/logo.png?${payload}`,
      video_url: `https://cdn.invalid/live.m3u8?${payload}`,
      allowed_origins: [producer.origin],
    });
    eventId = event.id;
    const staffName = await api(server.url, `/api/admin/events/${event.id}/staff/${event.moderator.user.id}`, {
      method: 'PATCH',
      token: event.admin,
      body: { name: `Moderadora ${payload}` },
    });
    expect(staffName.status).toBe(200);
    const attendee: Member = await attendeeOf(server, slug, `${payload} asistente`);
    const { socket } = await connect(server, { event: slug, token: attendee.token });
    await socket.ok({ type: 'chat', message: `chat ${payload}` });
    await socket.ok({ type: 'ask', question: `pendiente ${payload}` });
    const approved = (await socket.ok({ type: 'ask', question: `aprobada ${payload}` })).data as Question;
    const moderator = (await connect(server, { event: slug, token: event.moderator.token })).socket;
    await moderator.ok({ type: 'approve', id: approved.id });
    await moderator.close();
    await socket.close();

    const cookie = `palco_e${event.id}`;
    sessions.attendee = { name: cookie, value: attendee.token, url: server.url };
    sessions.moderator = { name: cookie, value: event.moderator.token, url: server.url };
    sessions.speaker = { name: cookie, value: event.speaker.token, url: server.url };
    sessions.admin = { name: 'palco_admin', value: event.admin, url: server.url };
    browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    producer?.close();
  });

  it('XSS in URLs: javascript: and data: logo and video URLs are refused when an event is saved', async () => {
    const event = await createEvent(server, 'xss-urls');
    for (const field of ['logo_url', 'video_url']) {
      for (const url of ['javascript:window.__xss=1', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)']) {
        const response = await api(server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: event.admin, body: { [field]: url } });
        expect([field, url, response.status]).toEqual([field, url, 422]);
      }
    }
  });

  it.each(pages)('XSS payloads on the $name: shown as text, no script runs', async (hosted) => {
    const page = await browser.newPage({ cookie: hosted.who === 'visitor' ? undefined : sessions[hosted.who] });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const path = hosted.path({ slug, eventId, producer: producer.origin });
    await page.goto(path.startsWith('http') ? path : server.url + path);
    await hosted.prepare?.(page);
    await page.getByText(hosted.shows, { exact: false }).first().waitFor({ timeout: 10_000 });
    // Give anything that would run (an image error, a late render) the chance to.
    await page.waitForTimeout(300);

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await injectedHandlers(page)).toEqual([]);
  });
});
