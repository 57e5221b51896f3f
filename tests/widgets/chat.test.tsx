// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { PalcoError, errorText } from '@palco/sdk';
import { buttonNamed, chatMessage, FakeClient, heldChat, listen, mount, settle, text, typeInto, unmountAll, user } from './fake-client.js';

afterEach(unmountAll);

async function liveChat(attributes = '', client = new FakeClient()) {
  client.token = 'stored-token';
  const mounted = await mount(`<palco-chat event="lanzamiento" api="https://live.example.com" ${attributes}></palco-chat>`, client);
  return mounted;
}

describe('<palco-chat>', () => {
  it('says it is loading until the event is known', async () => {
    const client = new FakeClient();
    const release = client.holdEvent();
    const { shadow } = await mount('<palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>', client);
    expect(text(shadow)).toContain('Cargando…');
    release();
    await settle();
    expect(text(shadow)).toContain('Regístrate o inicia sesión para participar.');
  });

  it('asks a visitor without a session to register, without opening a socket', async () => {
    const { client, shadow } = await mount('<palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>');
    expect(text(shadow)).toContain('Regístrate o inicia sesión para participar.');
    expect(client.callsOf('connect')).toHaveLength(0);
  });

  it("on the backend's own origin (a hosted page) connects with the session cookie, no token needed", async () => {
    const { client } = await mount('<palco-chat event="lanzamiento"></palco-chat>');
    expect(client.token).toBeNull();
    expect(client.callsOf('connect')).toHaveLength(1);
  });

  it('connects with a stored session and shows an empty chat with a box to write in', async () => {
    const { client, shadow } = await liveChat();
    expect(client.callsOf('connect')).toHaveLength(1);
    client.welcome();
    await settle();
    expect(text(shadow)).toContain('Aún no hay mensajes. ¡Saluda!');
    expect(shadow.querySelector('label[for="palco-chat-input"]')?.textContent).toBe('Mensaje para el chat');
  });

  it('shows messages as text in a polite live log, even ones that look like HTML', async () => {
    const { client, shadow } = await liveChat();
    const payload = '<img src=x onerror="window.__xss=1">';
    client.welcome({ chat: [chatMessage(1, 'Hola a todos')] });
    client.emit('chat', { type: 'chat', ...chatMessage(2, payload, '<b>Mallory</b>') });
    await settle();
    const log = shadow.querySelector('[role="log"]')!;
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(text(log)).toContain('Hola a todos');
    expect(text(log)).toContain(payload);
    expect(text(log)).toContain('<b>Mallory</b>');
    expect(shadow.querySelector('img')).toBeNull();
    expect(shadow.querySelector('b')).toBeNull();
  });

  it('sends a message with Enter and clears the box', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    await settle();
    const box = shadow.querySelector('textarea')!;
    typeInto(box, '  ¡Hola!  ');
    await settle();
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(client.callsOf('chat')).toEqual([['¡Hola!']]);
    expect(shadow.querySelector('textarea')!.value).toBe('');
  });

  it('will not send a message of invisible characters, as the server would refuse it', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    await settle();
    const box = shadow.querySelector('textarea')!;
    typeInto(box, ' \u200B\u2060\u3164\u00AD ');
    await settle();
    expect(buttonNamed(shadow, 'Enviar').disabled).toBe(true);
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(client.callsOf('chat')).toEqual([]);
  });

  it('isolates every author name from the time after it', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({ chat: [chatMessage(1, 'hola', 'Eve\u202E')] });
    await settle();
    const author = shadow.querySelector('li.message .author')!;
    expect(author.tagName).toBe('BDI');
    expect(author.textContent).toBe('Eve\u202E');
  });

  it('keeps the text and says why when the server refuses it', async () => {
    const { client, shadow } = await liveChat();
    const heard = listen(['palco:error']);
    client.welcome();
    await settle();
    client.failNext('chat', 'rate_limited');
    typeInto(shadow.querySelector('textarea')!, 'otra vez');
    await settle();
    buttonNamed(shadow, 'Enviar').click();
    await settle();
    expect(shadow.querySelector('[role="alert"]')?.textContent).toBe('Demasiados intentos. Espera un momento y vuelve a intentarlo.');
    expect(shadow.querySelector('textarea')!.value).toBe('otra vez');
    expect(heard.at(-1)).toMatchObject({ type: 'palco:error', detail: { code: 'rate_limited' }, composed: true });
  });

  it('tells a blocked attendee they may not write, live when a moderator blocks them', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    await settle();
    expect(shadow.querySelector('textarea')).not.toBeNull();
    client.emit('user_updated', { type: 'user_updated', user_id: user().id, chat_blocked: true, qa_blocked: false, banned: false, chat_blocked_until: null, qa_blocked_until: null });
    await settle();
    expect(shadow.querySelector('textarea')).toBeNull();
    expect(text(shadow)).toContain('No puedes escribir en el chat.');
  });

  it('has no box to write in when readonly', async () => {
    const { client, shadow } = await liveChat('readonly');
    client.welcome({ chat: [chatMessage(1, 'Solo lectura')] });
    await settle();
    expect(text(shadow)).toContain('Solo lectura');
    expect(shadow.querySelector('textarea')).toBeNull();
  });

  it('removes a message a moderator deleted', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({ chat: [chatMessage(1, 'spam spam'), chatMessage(2, 'bienvenidos')] });
    client.emit('chat_deleted', { type: 'chat_deleted', id: 1 });
    await settle();
    expect(text(shadow)).not.toContain('spam spam');
    expect(text(shadow)).toContain('bienvenidos');
  });

  it('shows a reconnecting banner while the connection is lost', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    client.emit('state', { previous: 'connected', current: 'connecting', reason: 'connection_lost', attempt: 1, retryInMs: 1000 });
    await settle();
    expect(text(shadow)).toContain('Conexión perdida. Reconectando…');
    client.welcome();
    await settle();
    expect(text(shadow)).not.toContain('Reconectando');
  });

  it('shows "Transmisión finalizada" and tells the page when the event closes', async () => {
    const { client, shadow } = await liveChat();
    const heard = listen(['palco:closed']);
    client.welcome();
    await settle();
    client.emit('event_closed', { type: 'event_closed', message: 'Transmisión finalizada' });
    await settle();
    expect(text(shadow)).toContain('Transmisión finalizada');
    expect(shadow.querySelector('textarea')).toBeNull();
    expect(heard).toEqual([{ type: 'palco:closed', detail: { message: 'Transmisión finalizada' }, composed: true }]);
  });

  it('says why it cannot work when the event does not exist', async () => {
    const client = new FakeClient();
    client.failNext('getEvent', 'event_not_found');
    const { shadow } = await mount('<palco-chat event="nada"></palco-chat>', client);
    expect(shadow.querySelector('[role="alert"]')?.textContent).toBe('Este evento no existe.');
  });

  it('speaks English when asked to', async () => {
    const { client, shadow } = await liveChat('lang="en"');
    client.welcome();
    await settle();
    expect(text(shadow)).toContain('No messages yet. Say hello!');
    expect(buttonNamed(shadow, 'Send')).toBeTruthy();
  });

  it('shows what is pinned above the chat and the attendee’s own message awaiting review', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({
      pinned: { chat_id: null, user_name: 'Mora', message: 'Pausa de 10 minutos', pinned_at: new Date().toISOString() },
      held: [heldChat(3, 'mi mensaje con palabrota', { user_id: user().id })],
    });
    await settle();
    expect(text(shadow.querySelector('[role="note"]')!)).toBe('Fijado Mora Pausa de 10 minutos');
    const held = shadow.querySelector('.held')!;
    expect(text(held)).toContain('mi mensaje con palabrota');
    expect(text(held)).toContain('Tu mensaje espera la revisión de la moderación.');
    client.emit('held_chat_updated', { type: 'held_chat_updated', id: 3, status: 'rejected', chat_id: null, reason: 'Lenguaje' });
    await settle();
    expect(text(shadow)).not.toContain('mi mensaje con palabrota');
    expect(text(shadow)).toContain('La moderación no publicó tu mensaje: Lenguaje');
  });

  it('tells the author why a moderator deleted their message', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({ chat: [chatMessage(5, 'enlace', 'Ana', user().id)] });
    await settle();
    client.emit('chat_deleted', { type: 'chat_deleted', id: 5 });
    client.emit('moderation_notice', { type: 'moderation_notice', action: 'delete_chat', reason: 'Sin enlaces', target_id: 5, until: null });
    await settle();
    expect(text(shadow)).toContain('La moderación borró tu mensaje: Sin enlaces');
  });

  it('gives the box back by itself when a timeout ends, with no word from the server', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({ user: user({ chat_blocked: true, chat_blocked_until: new Date(Date.now() + 300).toISOString() }) });
    await settle();
    expect(shadow.querySelector('textarea')).toBeNull();
    expect(text(shadow)).toContain('No puedes escribir hasta las');
    await new Promise((resolve) => setTimeout(resolve, 700));
    await settle();
    expect(shadow.querySelector('textarea')).not.toBeNull();
  });

  it('tells a banned attendee so, with the moderator’s reason, once the socket closes', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    await settle();
    client.emit('moderation_notice', { type: 'moderation_notice', action: 'ban', reason: 'Spam', target_id: null, until: null });
    client.emit('state', {
      previous: 'connected',
      current: 'disconnected',
      reason: 'fatal_close',
      closeCode: 4003,
      error: new PalcoError('forbidden', 'closed'),
    });
    await settle();
    const notice = shadow.querySelector('[role="alert"]')!;
    expect(text(notice)).toContain('Motivo: Spam');
    expect(text(notice)).toContain(errorText('banned', 'es'));
  });
});
