// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PalcoError, errorText } from '@palco/sdk';
import { buttonNamed, chatMessage, FakeClient, heldChat, listen, mount, settle, text, typeInto, unmountAll, user } from './fake-client.js';

afterEach(unmountAll);

async function liveChat(attributes = '', client = new FakeClient()) {
  client.token = 'stored-token';
  const mounted = await mount(`<palco-chat event="lanzamiento" api="https://live.example.com" ${attributes}></palco-chat>`, client);
  return mounted;
}

/** Types a line in the chat's box and sends it with the button; answers the box. */
async function send(shadow: ShadowRoot, line: string): Promise<HTMLTextAreaElement> {
  const box = shadow.querySelector('textarea')!;
  typeInto(box, line);
  await settle();
  buttonNamed(shadow, 'Enviar').click();
  await settle();
  return box;
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

  it('shows messages as text in a log, even ones that look like HTML', async () => {
    const { client, shadow } = await liveChat();
    const payload = '<img src=x onerror="window.__xss=1">';
    client.welcome({ chat: [chatMessage(1, 'Hola a todos')] });
    client.emit('chat', { type: 'chat', ...chatMessage(2, payload, '<b>Mallory</b>') });
    await settle();
    const log = shadow.querySelector('[role="log"]')!;
    expect(log.getAttribute('aria-live')).toBe('off');
    expect(text(log)).toContain('Hola a todos');
    expect(text(log)).toContain(payload);
    expect(text(log)).toContain('<b>Mallory</b>');
    expect(shadow.querySelector('img')).toBeNull();
    expect(shadow.querySelector('b')).toBeNull();
  });

  it('sums up a busy chat for screen readers at most every 10 s instead of reading every line', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({ chat: [chatMessage(1, 'Historia: no es noticia')] });
    await settle();
    const announcer = shadow.querySelector('[role="status"][aria-live="polite"]')!;
    expect(announcer.textContent).toBe('');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      client.emit('chat', { type: 'chat', ...chatMessage(2, 'Hola', 'Ana') });
      // Preact runs effects after the next frame (at most 35 ms later).
      await vi.advanceTimersByTimeAsync(50);
      expect(announcer.textContent).toBe('Ana en el chat: Hola');
      for (let id = 3; id <= 40; id += 1) {
        client.emit('chat', { type: 'chat', ...chatMessage(id, `mensaje ${id}`, 'Eva') });
        await vi.advanceTimersByTimeAsync(100);
      }
      // Thirty-eight messages in under 4 s: still the first announcement.
      expect(announcer.textContent).toBe('Ana en el chat: Hola');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(announcer.textContent).toBe('38 mensajes nuevos en el chat. El último, de Eva: mensaje 40');
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not read the reader's own message back to them, and still announces the others'", async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    await settle();
    const announcer = shadow.querySelector('[role="status"][aria-live="polite"]')!;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      // The session's user is Ana, id 1.
      client.emit('chat', { type: 'chat', ...chatMessage(2, 'Lo escribí yo', 'Ana', 1) });
      await vi.advanceTimersByTimeAsync(11_000);
      expect(announcer.textContent).toBe('');
      client.emit('chat', { type: 'chat', ...chatMessage(3, 'Y yo contesto', 'Luis', 2) });
      await vi.advanceTimersByTimeAsync(50);
      expect(announcer.textContent).toBe('Luis en el chat: Y yo contesto');
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds still for a reader who scrolled up, even as a busy chat replaces what they read, and offers the new messages', async () => {
    const { client, shadow } = await liveChat();
    client.welcome({ chat: Array.from({ length: 300 }, (_, i) => chatMessage(i + 1, `viejo ${i + 1}`)) });
    await settle();
    const log = shadow.querySelector<HTMLElement>('[role="log"]')!;
    Object.defineProperty(log, 'scrollHeight', { configurable: true, value: 20_000 });
    Object.defineProperty(log, 'clientHeight', { configurable: true, value: 400 });
    log.scrollTop = 1_000;
    log.dispatchEvent(new Event('scroll'));
    await settle();
    // 300 new messages: the session now keeps none of the ones on the reader's screen.
    for (let id = 301; id <= 600; id += 1) client.emit('chat', { type: 'chat', ...chatMessage(id, `nuevo ${id}`) });
    client.emit('chat_deleted', { type: 'chat_deleted', id: 600 });
    await settle();
    const texts = () => [...shadow.querySelectorAll('[role="log"] li .text')].map((node) => node.textContent);
    expect(texts()[0]).toBe('viejo 1');
    expect(texts()).toHaveLength(300);
    buttonNamed(shadow, '↓ 299 mensajes nuevos').click();
    await settle();
    expect(texts()[0]).toBe('nuevo 301');
    expect(texts().at(-1)).toBe('nuevo 599');
    expect(shadow.querySelector('.new-messages')).toBeNull();
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

  it('shows a line sent while the connection is away as waiting for it, not as failed, and keeps the box for the next one', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    client.emit('state', { previous: 'connected', current: 'connecting', reason: 'connection_lost', attempt: 1, retryInMs: 1000 });
    await settle();
    const server = client.holdNext('chat');
    const box = await send(shadow, 'hola desde el túnel');

    expect(box.value).toBe('');
    const waiting = shadow.querySelector('[aria-label="Por enviar"]');
    expect([waiting?.querySelector('.text')?.textContent, waiting?.querySelector('.hint')?.textContent]).toEqual(['hola desde el túnel', 'Se enviará al volver la conexión']);
    expect(shadow.querySelector('[role="alert"]')).toBeNull();

    client.welcome();
    server.answer();
    await settle();
    expect(shadow.querySelector('[aria-label="Por enviar"]')).toBeNull();
    expect([...shadow.querySelectorAll('[role="log"] .text')].map((line) => line.textContent)).toEqual(['hola desde el túnel']);
    expect(box.value).toBe('');
  });

  it('offers a refused line back beside what the person typed since, never mixing the two', async () => {
    const { client, shadow } = await liveChat();
    client.welcome();
    await settle();
    const server = client.holdNext('chat');
    const box = await send(shadow, 'la primera');
    typeInto(box, 'la segunda');
    await settle();
    server.refuse('rate_limited');
    await settle();

    expect(box.value).toBe('la segunda');
    expect(shadow.querySelector('[role="alert"]')?.textContent).toBe(errorText('rate_limited', 'es'));
    const offered = () => [...shadow.querySelectorAll('[aria-label="Sin enviar"] .text')].map((line) => line.textContent);
    expect(offered()).toEqual(['la primera']);

    buttonNamed(shadow, 'Volver a editar').click();
    await settle();
    expect(box.value).toBe('la primera');
    expect(offered()).toEqual(['la segunda']);
    buttonNamed(shadow, 'Descartar').click();
    await settle();
    expect(offered()).toEqual([]);
    expect(box.value).toBe('la primera');
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

  it('says so once in the console and in every widget when the page took WebSocket away, instead of loading forever', async () => {
    const client = new FakeClient();
    client.connectFailure = new PalcoError('websocket_unavailable', errorText('websocket_unavailable', 'es'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      client.token = 'stored-token';
      await mount('<palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat><palco-qa event="lanzamiento" api="https://live.example.com"></palco-qa>', client);
      await settle();
      for (const element of document.querySelectorAll('palco-chat, palco-qa')) {
        expect(text(element.shadowRoot!)).not.toContain('Cargando…');
        expect(element.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe(errorText('websocket_unavailable', 'es'));
      }
      expect(logged.mock.calls.filter(([message]) => String(message).includes('WebSocket'))).toHaveLength(1);
    } finally {
      logged.mockRestore();
    }
  });

  describe('paging back through the history', () => {
    /** A chat of `total` messages whose latest 300 arrived with the welcome; every line 50 px high. */
    async function longChat(total: number) {
      const client = new FakeClient();
      client.history = Array.from({ length: total }, (_, i) => chatMessage(i + 1, `mensaje ${i + 1}`));
      const mounted = await liveChat('', client);
      client.welcome({ chat: client.history.slice(-300) });
      await settle();
      const log = mounted.shadow.querySelector<HTMLElement>('[role="log"]')!;
      Object.defineProperty(log, 'clientHeight', { configurable: true, value: 400 });
      Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => log.querySelectorAll('li').length * 50 });
      return { ...mounted, log };
    }
    const lineTexts = (shadow: ShadowRoot) => [...shadow.querySelectorAll('[role="log"] li .text')].map((node) => node.textContent);
    async function scrollTo(log: HTMLElement, top: number) {
      log.scrollTop = top;
      log.dispatchEvent(new Event('scroll'));
      await settle();
    }
    // happy-dom lays nothing out: each line stands 50 px below the one before it.
    const offsetTop = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetTop')!;
    beforeEach(() => {
      Object.defineProperty(HTMLElement.prototype, 'offsetTop', {
        configurable: true,
        get(this: HTMLElement) {
          return this.tagName === 'LI' && this.parentElement ? [...this.parentElement.children].indexOf(this) * 50 : 0;
        },
      });
    });
    afterEach(() => Object.defineProperty(HTMLElement.prototype, 'offsetTop', offsetTop));

    it('loads the older page when the reader reaches the top, saying so meanwhile, and keeps their place', async () => {
      const { client, shadow, log } = await longChat(400);
      await scrollTo(log, log.scrollHeight - 400);
      const release = client.holdHistory();
      await scrollTo(log, 60);
      expect(shadow.querySelector('.history-line')?.textContent).toBe('Cargando mensajes anteriores…');
      release();
      await settle();
      expect(client.callsOf('chatHistory')).toEqual([[{ before: 101, limit: 50 }]]);
      expect(lineTexts(shadow)[0]).toBe('mensaje 51');
      expect(lineTexts(shadow)).toHaveLength(350);
      // The line that was first (mensaje 101) is still 60 px above the top of the view.
      expect(log.scrollTop).toBe(50 * 50 + 60);
      expect(shadow.querySelector('.history-line')?.textContent).toBe('');
    });

    it('says where the chat starts and asks no more', async () => {
      const { client, shadow, log } = await longChat(320);
      await scrollTo(log, 10);
      await settle();
      expect(lineTexts(shadow)[0]).toBe('mensaje 1');
      expect(shadow.querySelector('.history-line')?.textContent).toBe('Inicio del chat');
      await scrollTo(log, 0);
      expect(client.callsOf('chatHistory')).toHaveLength(1);
    });

    it('holds at most 400 lines however far back the reader goes, and brings the newer ones back on the way down', async () => {
      const { client, shadow, log } = await longChat(1_000);
      for (let page = 0; page < 4; page += 1) {
        await scrollTo(log, 0);
        await settle();
      }
      expect(lineTexts(shadow)).toHaveLength(400);
      expect(lineTexts(shadow)[0]).toBe('mensaje 501');
      expect(lineTexts(shadow).at(-1)).toBe('mensaje 900');
      // Down at the bottom of what is held: the next newer page comes, and the reader stays on their line.
      const lastLineTop = 399 * 50;
      await scrollTo(log, log.scrollHeight - 400);
      await settle();
      expect(client.callsOf('chatHistory').at(-1)).toEqual([{ after: 900, limit: 50 }]);
      expect(lineTexts(shadow)).toHaveLength(400);
      expect(lineTexts(shadow).at(-1)).toBe('mensaje 950');
      expect(log.scrollTop).toBe(lastLineTop - 50 * 50 + (400 * 50 - 400 - lastLineTop));
    });

    it('never moves a reader in the history when new messages arrive: a button offers them', async () => {
      const { client, shadow, log } = await longChat(400);
      await scrollTo(log, 0);
      await settle();
      const readingAt = log.scrollTop;
      const firstLine = lineTexts(shadow)[0];
      for (let id = 401; id <= 405; id += 1) client.emit('chat', { type: 'chat', ...chatMessage(id, `nuevo ${id}`) });
      await settle();
      expect(log.scrollTop).toBe(readingAt);
      expect(lineTexts(shadow)[0]).toBe(firstLine);
      expect(lineTexts(shadow)).not.toContain('nuevo 401');
      buttonNamed(shadow, '↓ 5 mensajes nuevos').click();
      await settle();
      expect(lineTexts(shadow).at(-1)).toBe('nuevo 405');
      expect(lineTexts(shadow)).toHaveLength(300);
    });

    it('counts as new only the messages that came after the reader scrolled up, not the newest lines paging back dropped', async () => {
      const { client, shadow, log } = await longChat(1_000);
      for (let page = 0; page < 4; page += 1) {
        await scrollTo(log, 0);
        await settle();
      }
      // The lines 901–1 000 the reader had seen left the bottom of the list.
      expect(lineTexts(shadow).at(-1)).toBe('mensaje 900');
      for (let id = 1_001; id <= 1_003; id += 1) client.emit('chat', { type: 'chat', ...chatMessage(id, `nuevo ${id}`) });
      await settle();
      expect(shadow.querySelector('.new-messages')?.textContent).toBe('↓ 3 mensajes nuevos');
      // Back down through the history: the count stays that of the messages the reader has not seen.
      await scrollTo(log, log.scrollHeight - 400);
      await settle();
      expect(lineTexts(shadow).at(-1)).toBe('mensaje 950');
      expect(shadow.querySelector('.new-messages')?.textContent).toBe('↓ 3 mensajes nuevos');
    });

    it('says why an older page did not come, and tries again on the next scroll', async () => {
      const { client, shadow, log } = await longChat(400);
      client.failNext('chatHistory', 'network_error');
      await scrollTo(log, 0);
      await settle();
      expect(shadow.querySelector('.history-line.error')?.textContent).toBeTruthy();
      await scrollTo(log, 5);
      await settle();
      expect(lineTexts(shadow)[0]).toBe('mensaje 51');
    });
  });
});

