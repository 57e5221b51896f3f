import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createStaff, eventId as eventIdOf, setEventActive } from '../support/accounts.js';
import { checkAccessibility } from '../support/axe.js';
import { hasChromium, startBrowser, startProducerSite, viewports, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, type TestServer } from '../support/server.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'accesible';
const title = 'Evento accesible 2050';
const moderator = { name: 'Marta', email: 'mod@acme.com', password: 'moderadora-2050' };
const speaker = { name: 'Sergio', email: 'speaker@acme.com', password: 'ponente-2050' };

/*
 * The states a person meets, each checked with axe-core (WCAG 2.2 AA) in one browser, the
 * pages reused from one state to the next:
 *
 * | surface                          | states                                                        |
 * |----------------------------------|---------------------------------------------------------------|
 * | landing, unknown event (404)     | as opened                                                     |
 * | registration form                | empty, with errors, phone width                               |
 * | sign-in form, sign-out question  | empty; signed in                                              |
 * | producer page (4 widgets)        | loading, signed out, live empty, live with chat and questions, |
 * |                                  | player failed, phone width, closed, site not allowed          |
 * | /watch                           | live, phone width, closed                                     |
 * | /mod                             | live with a pending question                                  |
 * | /speaker                         | control view with a highlighted question                      |
 * | /speaker?mode=present            | join address and QR code, highlighted question                |
 * | /reports                         | live                                                          |
 * | /admin                           | events list, new event form with errors, event created        |
 * | journey (/watch, both widths)    | waiting room with countdown, asked to confirm the email,      |
 * |                                  | replay read-only                                              |
 */

/** The focused element, through open shadow roots: what it is called and whether its focus shows. */
function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement as HTMLElement | null;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement as HTMLElement;
    if (!element) return null;
    const style = getComputedStyle(element);
    const labels = (element as HTMLInputElement).labels;
    const name = (element.getAttribute('aria-label') ?? labels?.[0]?.innerText ?? element.innerText ?? '').trim();
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
    return { tag: element.tagName.toLowerCase(), name, ring };
  });
}

/** Presses Tab until the element named `name` has the focus (and shows it), as a keyboard user would. */
async function tabTo(page: Page, name: string, limit = 60) {
  const seen: string[] = [];
  for (let press = 0; press < limit; press += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    seen.push(`${now?.tag} "${now?.name}"`);
    if (now?.name === name) {
      expect(now.ring, `the focus on "${name}" is visible`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached "${name}"; it went through: ${seen.join(', ')}`);
}

describe.skipIf(!hasChromium)('accessibility to WCAG 2.2 AA, in every state a person meets', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let producer: ProducerSite;
  let producerHtml = '';
  let admin: string;
  let id: number;
  const cookieOf = (token: string) => ({ name: `palco_e${id}`, value: token, url: server.url });

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    admin = await adminToken(server.url);
    const widgets = ['palco-player', 'palco-register', 'palco-chat', 'palco-qa']
      .map((tag) => `<${tag} event="${slug}" api="${server.url}"></${tag}>`)
      .join('\n');
    producerHtml =
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Acme</title>` +
      `<script src="${server.url}/embed.js" async></script></head><body><main><h1>Acme</h1>${widgets}</main></body></html>`;
    producer = await startProducerSite(producerHtml);
    const created = await api(server.url, '/api/admin/events', {
      token: admin,
      body: {
        slug,
        title,
        access_code: 'acme-codigo-2050',
        allowed_origins: [producer.origin],
        // Nobody answers there: the player's failed state.
        video_url: 'https://127.0.0.1:9/directo.mp4',
      },
    });
    expect(created.status).toBe(201);
    id = await eventIdOf(server.url, slug);
    await createStaff(server.url, admin, slug, { ...moderator, role: 'moderador' });
    await createStaff(server.url, admin, slug, { ...speaker, role: 'speaker' });
    browser = await startBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    producer?.close();
    await server?.stop();
  });

  const checked: string[] = [];
  async function expectAccessible(page: Page, state: string) {
    const report = await checkAccessibility(page);
    expect(report.violations, state).toEqual([]);
    checked.push(state);
  }

  let attendee: Page;
  let moderatorPage: Page;

  it('an attendee registers, watches, chats and asks with the keyboard alone', async () => {
    attendee = await browser.newPage();
    await attendee.goto(`${server.url}/e/${slug}`);
    await expectAccessible(attendee, 'registration form, empty');
    await tabTo(attendee, 'Nombre completo');
    await attendee.keyboard.type('Lola Teclado');
    await tabTo(attendee, 'Correo electrónico');
    await attendee.keyboard.type('lola@acme.com');
    await tabTo(attendee, 'Teléfono');
    await attendee.keyboard.type('sin número');
    await attendee.keyboard.press('Enter');
    await attendee.locator('.error-summary').waitFor();
    await expectAccessible(attendee, 'registration form, with errors');
    await tabTo(attendee, 'Teléfono');
    await attendee.keyboard.press('Control+A');
    await attendee.keyboard.type('+34 600 000 000');
    await attendee.keyboard.press('Enter');
    await attendee.waitForURL((url) => url.pathname === `/e/${slug}/watch`);

    const chat = attendee.locator('palco-chat');
    await chat.getByText('Aún no hay mensajes. ¡Saluda!').waitFor();
    await attendee.locator('palco-player').getByText('No pudimos cargar la transmisión.').waitFor({ timeout: 20_000 });
    await expectAccessible(attendee, '/watch live, chat empty, player failed');
    await tabTo(attendee, 'Mensaje para el chat');
    await attendee.keyboard.type('Hola a todos');
    await attendee.keyboard.press('Enter');
    await chat.getByRole('log').getByText('Hola a todos').waitFor();
    await tabTo(attendee, 'Tu pregunta');
    await attendee.keyboard.type('¿Habrá grabación?');
    await tabTo(attendee, 'Preguntar');
    await attendee.keyboard.press('Enter');
    await attendee.locator('palco-qa').getByText('Pendiente de aprobación').waitFor();
    await expectAccessible(attendee, '/watch live, with chat and a question of mine');
  });

  it('a moderator approves the question with the keyboard alone, and the attendee hears of it once', async () => {
    const { body } = await api(server.url, `/api/events/${slug}/login`, { body: { email: moderator.email, password: moderator.password } });
    moderatorPage = await browser.newPage({ cookie: cookieOf(body.token) });
    await moderatorPage.goto(`${server.url}/e/${slug}/mod`);
    await moderatorPage.locator('palco-mod-queue').getByText('¿Habrá grabación?').waitFor();
    await expectAccessible(moderatorPage, '/mod with a pending question');
    await tabTo(moderatorPage, 'Aprobar');
    await moderatorPage.keyboard.press('Enter');
    const announcer = attendee.locator('palco-qa').locator('[role="status"][aria-live="polite"]');
    await expect.poll(() => announcer.textContent()).toBe('Nueva pregunta aprobada: ¿Habrá grabación?');
    expect(await attendee.locator('palco-qa ul.questions').getAttribute('aria-live')).toBeNull();
    expect(await attendee.locator('palco-chat [role="log"]').getAttribute('aria-live')).toBe('off');
  });

  it('an administrator creates an event with the keyboard alone', async () => {
    const page = await browser.newPage({ cookie: { name: 'palco_admin', value: admin, url: server.url } });
    await page.goto(`${server.url}/admin/events`);
    await page.locator('palco-admin').getByText(title).waitFor();
    await expectAccessible(page, '/admin events list');
    await tabTo(page, 'Nuevo evento');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Crear evento');
    await page.keyboard.press('Enter');
    await page.locator('palco-admin').locator('.field-error').first().waitFor();
    await expectAccessible(page, '/admin new event form, with errors');
    await tabTo(page, 'Título');
    await page.keyboard.type('Hecho con teclado');
    await tabTo(page, 'Crear evento');
    await page.keyboard.press('Enter');
    await page.locator('palco-admin').getByText('Evento «Hecho con teclado» creado.', { exact: false }).waitFor();
    await expectAccessible(page, '/admin event created');
    await page.context().close();
  });

  it('every hosted page and widget passes axe in the states of the matrix', async () => {
    const visitor = await browser.newPage();
    for (const [path, state] of [['/', 'landing'], ['/e/no-existe', 'unknown event'], [`/e/${slug}/login`, 'sign-in form']] as const) {
      await visitor.goto(server.url + path);
      await expectAccessible(visitor, state);
    }
    await visitor.setViewportSize(viewports.phone);
    await visitor.goto(`${server.url}/e/${slug}`);
    await expectAccessible(visitor, 'registration form, phone width');
    await visitor.setViewportSize(viewports.desktop);

    // The producer's page while the event is still being read.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.route(`${server.url}/api/events/${slug}`, async (route) => {
      await held;
      await route.continue();
    });
    await visitor.goto(producer.origin);
    await visitor.locator('palco-chat').getByText('Cargando…').waitFor();
    await expectAccessible(visitor, 'producer page, loading');
    release();
    await visitor.locator('palco-chat').getByText('Regístrate o inicia sesión para participar.').waitFor();
    await expectAccessible(visitor, 'producer page, signed out');
    const register = visitor.locator('palco-register');
    await register.getByLabel('Nombre completo').fill('Pepe');
    await register.getByLabel('Correo electrónico').fill('pepe@acme.com');
    await register.getByLabel('Teléfono').fill('+34 600 000 002');
    await register.getByRole('button', { name: 'Entrar al evento' }).click();
    await visitor.locator('palco-chat').getByRole('log').getByText('Hola a todos').waitFor();
    await visitor.locator('palco-player').getByText('No pudimos cargar la transmisión.').waitFor({ timeout: 20_000 });
    await expectAccessible(visitor, 'producer page, live with chat and questions, player failed');
    await visitor.setViewportSize(viewports.phone);
    await expectAccessible(visitor, 'producer page, phone width');
    await visitor.setViewportSize(viewports.desktop);

    await attendee.setViewportSize(viewports.phone);
    await expectAccessible(attendee, '/watch, phone width');
    await attendee.setViewportSize(viewports.desktop);
    await attendee.goto(`${server.url}/e/${slug}/logout`);
    await expectAccessible(attendee, 'sign-out question');

    const { body } = await api(server.url, `/api/events/${slug}/login`, { body: { email: speaker.email, password: speaker.password } });
    const board = await browser.newPage({ cookie: cookieOf(body.token) });
    await board.goto(`${server.url}/e/${slug}/speaker?mode=present`);
    await board.locator('palco-speaker-board .qr svg').waitFor();
    await expectAccessible(board, '/speaker presentation, join address and QR code');
    await board.goto(`${server.url}/e/${slug}/speaker`);
    await board.locator('palco-speaker-board').getByRole('button', { name: 'Destacar' }).click();
    await board.locator('palco-speaker-board .spotlight').waitFor();
    await expectAccessible(board, '/speaker control view, a question highlighted');
    await board.goto(`${server.url}/e/${slug}/speaker?mode=present`);
    await board.locator('palco-speaker-board .present-text').waitFor();
    await expectAccessible(board, '/speaker presentation, a question highlighted');

    await moderatorPage.goto(`${server.url}/e/${slug}/reports`);
    await moderatorPage.locator('palco-report .figures').waitFor();
    await expectAccessible(moderatorPage, '/reports live');

    await setEventActive(server.url, admin, slug, false);
    await visitor.locator('palco-chat').getByText('Transmisión finalizada').waitFor();
    await expectAccessible(visitor, 'producer page, closed');
    await moderatorPage.goto(`${server.url}/e/${slug}/watch`);
    await moderatorPage.locator('palco-player').getByText('Transmisión finalizada').waitFor();
    await expectAccessible(moderatorPage, '/watch closed');

    const stranger = await startProducerSite(producerHtml);
    try {
      const refused = await browser.newPage();
      await refused.goto(stranger.origin);
      await refused.locator('palco-player').getByText('no está entre los orígenes permitidos', { exact: false }).waitFor();
      await refused.locator('palco-chat').getByText('Este sitio no está autorizado para este evento.').waitFor();
      await expectAccessible(refused, 'producer page on a site not allowed');
    } finally {
      stranger.close();
    }
    expect(checked).toHaveLength(25);
  });

  it('the journey’s states pass axe: the waiting room, the confirm-your-email notice and the replay', async () => {
    const journeyStates: string[] = [];
    const states = [
      {
        slug: 'acc-espera',
        body: { starts_at: new Date(Date.now() + 50 * 3_600_000).toISOString(), time_zone: 'America/Mexico_City' },
        ready: (page: Page) => page.locator('palco-player .countdown').waitFor(),
        state: 'waiting room with countdown',
      },
      {
        slug: 'acc-confirmar',
        body: { require_confirmation: true },
        ready: (page: Page) => page.locator('palco-chat').getByRole('button', { name: 'Enviarme el enlace otra vez' }).waitFor(),
        state: 'asked to confirm the email',
      },
      {
        slug: 'acc-repeticion',
        body: { replay_url: 'https://127.0.0.1:9/repeticion.mp4', on_demand_until: new Date(Date.now() + 86_400_000).toISOString() },
        close: true,
        ready: (page: Page) => page.locator('palco-chat .replay-note').waitFor(),
        state: 'replay read-only',
      },
    ];
    for (const { slug: journeySlug, body, close, ready, state } of states) {
      const created = await api(server.url, '/api/admin/events', { token: admin, body: { slug: journeySlug, title: `Evento ${state}`, ...body } });
      expect(created.status).toBe(201);
      const registered = await api(server.url, `/api/events/${journeySlug}/register`, {
        body: { name: 'Julia Prieto', email: `julia@${journeySlug}.test`, phone: '+34 633 000 333' },
      });
      expect(registered.status).toBe(201);
      const journeyId = await eventIdOf(server.url, journeySlug);
      if (close) await setEventActive(server.url, admin, journeySlug, false);
      const page = await browser.newPage({ cookie: { name: `palco_e${journeyId}`, value: registered.body.token, url: server.url } });
      await page.goto(`${server.url}/e/${journeySlug}/watch`);
      await ready(page);
      for (const [size, viewport] of Object.entries(viewports)) {
        await page.setViewportSize(viewport);
        const report = await checkAccessibility(page);
        expect(report.violations, `${state}, ${size}`).toEqual([]);
        journeyStates.push(`${state}, ${size}`);
      }
      await page.close();
    }
    expect(journeyStates).toHaveLength(6);
  });

  it('respects a reader who asks for less motion', async () => {
    const page = await browser.newPage({ reducedMotion: 'reduce' });
    await page.goto(producer.origin);
    const motion = await browser.newPage();
    await motion.goto(producer.origin);
    // The event is closed by now, so the player shows no spinner: a probe with its class reads the rule.
    for (const [reader, expected] of [[page, 'none'], [motion, 'palco-spin']] as const) {
      const animation = await reader.evaluate(() => {
        const player = document.querySelector('palco-player')!.shadowRoot!;
        const probe = document.createElement('span');
        probe.className = 'spinner';
        player.append(probe);
        const name = getComputedStyle(probe).animationName;
        probe.remove();
        return name;
      });
      expect(animation).toBe(expected);
    }
  });
});
