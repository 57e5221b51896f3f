import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, journeyPage, shoot, startBrowser, type TestBrowser } from '../support/browser.js';
import { api } from '../support/http.js';
import { databaseTargets, startTestServer, testAdmin, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

const slug = 'noche-ruidosa';

/**
 * One moderator alone in a noisy event, in Chromium: the administrator turns on the chat's
 * safety in the admin form; then the moderator times someone out, lets a held message
 * through, answers and archives a question, bans the troll, reloads, and lifts the ban from
 * the panel of restricted people. Attendees are plain sockets, so what they receive is checked
 * exactly.
 */
describe.skipIf(!hasChromium)('a moderator running a noisy event alone, in a real browser', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let mod: Page;
  let ana: { socket: TestSocket; id: number };
  let troll: { socket: TestSocket; id: number; email: string };

  const newPage = () => journeyPage(browser);

  const queue = () => mod.locator('palco-mod-queue');

  beforeAll(async () => {
    ensureWidgetsBuilt();
    server = await startTestServer(databaseTargets[0]!);
    browser = await startBrowser();
    event = await createEvent(server, slug);
    const joined = async (name: string) => {
      const member = await attendeeOf(server, slug, name);
      const { socket } = await connect(server, { event: slug, token: member.token });
      return { socket, id: member.user.id, email: member.user.email };
    };
    ana = await joined('Ana Asistente');
    troll = await joined('Troll');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the administrator holds messages with the event’s blocked words and allows anonymous questions, in the admin form', async () => {
    const admin = await newPage();
    await admin.goto(`${server.url}/admin/events/${event.id}`);
    const app = admin.locator('palco-admin');
    await app.getByLabel('Correo electrónico').fill(testAdmin.email);
    await app.getByLabel('Contraseña').fill(testAdmin.password);
    await app.getByRole('button', { name: 'Iniciar sesión' }).click();
    await app.getByLabel('Palabras bloqueadas (una por línea)').fill('competidorx\nprecio filtrado');
    await app.getByLabel('Permitir preguntas anónimas', { exact: false }).check();
    await app.getByRole('button', { name: 'Guardar', exact: true }).click();
    await app.getByText('Cambios guardados.').waitFor();
    const saved = await api(server.url, `/api/admin/events/${event.id}`, { token: event.admin });
    expect(saved.body).toMatchObject({ blocked_words: ['competidorx', 'precio filtrado'], blocked_words_action: 'hold', allow_anonymous_questions: true });
    await admin.close();
  });

  it('times out the troll’s chat for five minutes from the menu on their name, with a reason they read', async () => {
    mod = await newPage();
    await mod.goto(`${server.url}/e/${slug}/login`);
    await mod.getByLabel('Correo electrónico').fill(`mod@${slug}.test`);
    await mod.getByLabel('Código de acceso o contraseña').fill('staff-password-1');
    await mod.getByRole('button', { name: 'Iniciar sesión' }).click();
    await mod.waitForURL(`${server.url}/e/${slug}/mod`);

    for (const text of ['PRIMERO', 'SPAM SPAM', 'MÁS SPAM']) await troll.socket.ok({ type: 'chat', message: text });
    await ana.socket.ok({ type: 'chat', message: 'Hola a todos' });
    await queue().getByText('MÁS SPAM').waitFor();

    await queue().getByRole('button', { name: 'Troll' }).first().click();
    const menu = queue().getByRole('dialog', { name: 'Acciones sobre Troll' });
    await menu.getByLabel('Motivo (lo verá la persona)').fill('Sin mayúsculas, por favor');
    await shoot(mod, 'mod-queue-person-menu');
    await menu.getByRole('group', { name: 'Silenciar el chat' }).getByRole('button', { name: '5 min' }).click();
    await menu.waitFor({ state: 'detached' });

    const notice = await troll.socket.waitFor('moderation_notice', (m) => m.action === 'timeout_chat');
    expect(notice.reason).toBe('Sin mayúsculas, por favor');
    expect(await troll.socket.request({ type: 'chat', message: 'otra vez' })).toMatchObject({ code: 'chat_blocked' });
    const panel = queue().locator('.restricted');
    await panel.getByText('Chat bloqueado').waitFor();
    await panel.getByText('Sin mayúsculas, por favor', { exact: false }).waitFor();
  });

  it('lets a held message through: everyone gets it with a chat id after the messages already sent', async () => {
    const held = await ana.socket.ok({ type: 'chat', message: 'Vi el precio   filtrado en un foro' });
    expect(held.data).toMatchObject({ status: 'held' });
    const heldItem = queue().locator('.held');
    await heldItem.getByText('Palabras: precio filtrado').waitFor();
    await shoot(mod, 'mod-queue-busy');
    await heldItem.getByRole('button', { name: 'Publicar' }).click();
    const released = await troll.socket.waitFor('chat', (m) => m.message === 'Vi el precio   filtrado en un foro');
    const previous = troll.socket.all('chat').filter((m) => m.id !== released.id);
    expect(released.id).toBeGreaterThan(Math.max(...previous.map((m) => m.id)));
    await heldItem.waitFor({ state: 'detached' });
  });

  it('approves, answers and archives a question; the asker reads the answer', async () => {
    const asked = await ana.socket.ok({ type: 'ask', question: '¿Habrá grabación?' });
    const pending = queue().locator('.pending li', { hasText: '¿Habrá grabación?' });
    await pending.getByRole('button', { name: 'Aprobar' }).click();
    const approved = queue().locator('.approved li', { hasText: '¿Habrá grabación?' });
    await approved.getByLabel('Respuesta escrita').fill('Sí, estará mañana en la web.');
    await approved.getByRole('button', { name: 'Responder' }).click();
    expect(await ana.socket.waitFor('question_answered', (m) => m.id === asked.id)).toMatchObject({ answer: 'Sí, estará mañana en la web.' });
    await approved.getByText('Respuesta: Sí, estará mañana en la web.').waitFor();
    await approved.getByRole('button', { name: 'Archivar' }).click();
    await approved.waitFor({ state: 'detached' });
    await queue().locator('.archived summary').click();
    await queue().locator('.archived li', { hasText: '¿Habrá grabación?' }).getByRole('button', { name: 'Restaurar' }).waitFor();
  });

  it('bans the troll: their messages leave every screen; after a reload the ban is listed and lifted from there', async () => {
    await troll.socket.ok({ type: 'ask', question: 'spam?' });
    await queue().locator('.pending li', { hasText: 'spam?' }).waitFor();
    await queue().getByRole('button', { name: 'Troll' }).first().click();
    const menu = queue().getByRole('dialog', { name: 'Acciones sobre Troll' });
    await menu.getByLabel('Motivo (lo verá la persona)').fill('Spam');
    await menu.getByRole('button', { name: 'Expulsar' }).click();
    await menu.getByText('Pulsa de nuevo para confirmar', { exact: false }).waitFor();
    await menu.getByRole('button', { name: 'Expulsar' }).click();
    expect((await troll.socket.closed).code).toBe(4003);
    await queue().getByText('MÁS SPAM').waitFor({ state: 'detached' });
    await queue().locator('.pending li', { hasText: 'spam?' }).waitFor({ state: 'detached' });
    expect((await ana.socket.waitFor('user_content_removed', (m) => m.user_id === troll.id)).chat_ids).toHaveLength(3);

    await mod.reload();
    const panel = queue().locator('.restricted');
    const banned = panel.locator('li', { hasText: 'Expulsada' });
    await banned.getByText('Spam', { exact: false }).waitFor();
    await banned.getByText('Mora Moderadora', { exact: false }).waitFor();
    await shoot(mod, 'mod-queue-restricted');
    await panel.getByRole('button', { name: 'Levantar Expulsada de Troll' }).click();
    await banned.waitFor({ state: 'detached' });
    const back = await api(server.url, `/api/events/${slug}/login`, { body: { email: troll.email, password: 'codigo-de-acceso' } });
    expect(back.status).toBe(200);
  });
});
