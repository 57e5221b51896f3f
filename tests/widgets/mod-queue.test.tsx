// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { buttonNamed, chatMessage, FakeClient, heldChat, mount, question, settle, text, unmountAll, user } from './fake-client.js';

afterEach(unmountAll);

async function liveQueue(role: 'moderador' | 'visor' = 'moderador') {
  const client = new FakeClient();
  client.token = 'stored';
  client.user = user({ id: 50, name: 'Mod', role });
  const mounted = await mount('<palco-mod-queue event="lanzamiento" api="https://live.example.com"></palco-mod-queue>', client);
  return mounted;
}

describe('<palco-mod-queue>', () => {
  it('is for moderators only', async () => {
    const { client, shadow } = await liveQueue('visor');
    client.welcome();
    await settle();
    expect(text(shadow)).toContain('Esta vista es solo para el equipo del evento.');
    expect(shadow.querySelector('button')).toBeNull();
  });

  it('shows the live audience numbers', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ viewers: 3 });
    await settle();
    expect(shadow.querySelector('.number')?.textContent).toBe('3');
    client.emit('active_sessions', {
      type: 'active_sessions',
      count: 41,
      sessions: [{ user_id: 2, name: 'Luis', role: 'visor', connected_since: new Date().toISOString(), minutes_watched: 12 }],
    });
    await settle();
    expect(shadow.querySelector('.number')?.textContent).toBe('41');
    expect(text(shadow)).toContain('Sesiones activas (1)');
    expect(text(shadow)).toContain('Luis 12 min');
  });

  it('approves and rejects pending questions as they arrive', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ questions: [question(1, 'Pendiente uno', { status: 'pending' })] });
    client.emit('pending_question', {
      type: 'pending_question', id: 2, question: 'Pendiente dos', user_id: 3, user_name: 'Eva', created_at: new Date().toISOString(),
    });
    await settle();
    expect(text(shadow)).toContain('Preguntas pendientes 2');
    buttonNamed(shadow.querySelectorAll('.pending li')[0]!, 'Aprobar').click();
    await settle();
    buttonNamed(shadow.querySelector('.pending li')!, 'Rechazar').click();
    await settle();
    expect(client.callsOf('approve')).toEqual([[1]]);
    expect(client.callsOf('reject')).toEqual([[2, undefined]]);
    expect(text(shadow)).toContain('No hay preguntas pendientes.');
  });

  it('says why an approval failed', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ questions: [question(1, 'Ya aprobada', { status: 'pending' })] });
    await settle();
    client.failNext('approve', 'invalid_state');
    buttonNamed(shadow, 'Aprobar').click();
    await settle();
    expect(shadow.querySelector('[role="alert"]')?.textContent).toBe('Esa pregunta ya no está en ese estado.');
  });

  it('deletes a chat message from its line', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'spam', 'Spammer', 9)] });
    await settle();
    shadow.querySelector<HTMLButtonElement>('button[aria-label="Borrar el mensaje de Spammer"]')!.click();
    await settle();
    expect(client.callsOf('deleteChat')).toEqual([[1, undefined]]);
    expect(text(shadow)).not.toContain('spam');
  });

  it('opens one menu from a person’s name: a five-minute chat timeout with the reason they will read', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'MAYÚSCULAS', 'Gritón', 9)] });
    await settle();
    expect(shadow.querySelectorAll('.message button')).toHaveLength(3);
    buttonNamed(shadow, 'Gritón').click();
    await settle();
    const menu = shadow.querySelector('[role="dialog"]')!;
    expect(text(menu)).toContain('Acciones sobre Gritón');
    const reason = menu.querySelector('input[type="text"]') as HTMLInputElement;
    expect(shadow.activeElement).toBe(reason);
    reason.value = 'Sin mayúsculas';
    reason.dispatchEvent(new Event('input'));
    await settle();
    buttonNamed(menu.querySelector('fieldset')!, '5 min').click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([[9, 'chat_blocked', true, { duration_s: 300, reason: 'Sin mayúsculas' }]]);
    expect(shadow.querySelector('[role="dialog"]')).toBeNull();
  });

  it('offers the timeouts of 1, 5, 10 and 60 minutes, and deletes the message the menu came from with its reason', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(4, 'enlace', 'Eva', 9)] });
    await settle();
    buttonNamed(shadow, 'Eva').click();
    await settle();
    const menu = shadow.querySelector('[role="dialog"]')!;
    expect([...menu.querySelectorAll('fieldset')[0]!.querySelectorAll('button')].map((b) => text(b))).toEqual(['1 min', '5 min', '10 min', '1 h', 'Hasta levantarlo']);
    const reason = menu.querySelector('input[type="text"]') as HTMLInputElement;
    reason.value = 'Enlaces no';
    reason.dispatchEvent(new Event('input'));
    await settle();
    buttonNamed(menu, 'Borrar este mensaje').click();
    await settle();
    expect(client.callsOf('deleteChat')).toEqual([[4, 'Enlaces no']]);
  });

  it('bans only on a second press, removing the person’s messages unless unticked', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'hola', 'Troll', 9)] });
    await settle();
    buttonNamed(shadow, 'Troll').click();
    await settle();
    buttonNamed(shadow, 'Expulsar').click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([]);
    expect(text(shadow)).toContain('¿Expulsar a \u2068Troll\u2069? Pulsa de nuevo para confirmar.');
    buttonNamed(shadow, 'Expulsar').click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([[9, 'banned', true, { remove_messages: true }]]);
  });

  it('approves, moves and rejects with the keyboard, and does nothing once shortcuts are turned off', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ questions: [1, 2, 3].map((id) => question(id, `P${id}`, { status: 'pending' })) });
    await settle();
    const list = shadow.querySelector<HTMLElement>('.pending')!;
    const key = async (name: string) => {
      list.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
      await settle();
    };
    await key('j');
    expect(shadow.querySelector('.question.selected .text')?.textContent).toBe('P2');
    await key('a');
    expect(client.callsOf('approve')).toEqual([[2]]);
    await key('r');
    expect(client.callsOf('reject')).toEqual([[3, undefined]]);
    await key('?');
    expect(text(shadow.querySelector('[role="dialog"]')!)).toContain('Aprobar la pregunta seleccionada');
    const toggle = shadow.querySelector<HTMLInputElement>('[role="dialog"] input[type="checkbox"]')!;
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await settle();
    await key('a');
    expect(client.callsOf('approve')).toEqual([[2]]);
  });

  it('filters the queue and the chat by a search, and approves all the questions shown', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({
      questions: [question(1, '¿Precio?', { status: 'pending' }), question(2, '¿Y el precio final?', { status: 'pending' }), question(3, '¿Fecha?', { status: 'pending' })],
      chat: [chatMessage(5, 'el precio es alto'), chatMessage(6, 'hola')],
    });
    await settle();
    const search = shadow.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'precio';
    search.dispatchEvent(new Event('input'));
    await settle();
    expect([...shadow.querySelectorAll('.pending .text')].map((p) => p.textContent)).toEqual(['¿Precio?', '¿Y el precio final?']);
    expect([...shadow.querySelectorAll('.chat .message .text')].map((p) => p.textContent)).toEqual(['el precio es alto']);
    buttonNamed(shadow, 'Aprobar las 2 mostradas').click();
    await settle();
    expect(client.callsOf('approveAll')).toEqual([[[1, 2]]]);
    expect(text(shadow)).toContain('2 preguntas aprobadas.');
  });

  it('releases and rejects held messages', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ held: [heldChat(7, 'compra en competidorx', { words: ['competidorx'] }), heldChat(8, 'otro', { words: ['x'] })] });
    await settle();
    expect(text(shadow)).toContain('Mensajes retenidos 2');
    expect(text(shadow)).toContain('Palabras: competidorx');
    buttonNamed(shadow.querySelector('.held')!, 'Publicar').click();
    await settle();
    buttonNamed(shadow.querySelector('.held')!, 'Rechazar').click();
    await settle();
    expect(client.callsOf('releaseChat')).toEqual([[7]]);
    expect(client.callsOf('rejectChat')).toEqual([[8, undefined]]);
    expect(shadow.querySelector('.held')).toBeNull();
  });

  it('lists the restricted people with who, when, until and why, and lifts one', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({
      restricted: [
        { user_id: 9, name: 'Ana', kind: 'banned', set_by_id: 50, set_by_name: 'Mod', set_at: new Date(2050, 0, 1, 10, 5).toISOString(), until: null, reason: 'Insultos' },
      ],
    });
    await settle();
    const panel = shadow.querySelector('.restricted')!;
    expect(text(panel)).toContain('Ana Expulsada');
    expect(text(panel)).toContain('Insultos');
    expect(text(panel)).toContain('hasta que se levante');
    panel.querySelector<HTMLButtonElement>('button[aria-label="Levantar Expulsada de Ana"]')!.click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([[9, 'banned', false, undefined]]);
  });

  it('answers an approved question', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ questions: [question(3, '¿Habrá grabación?')] });
    await settle();
    const input = shadow.querySelector<HTMLInputElement>('.approved input')!;
    input.value = 'Sí, mañana';
    input.dispatchEvent(new Event('input'));
    await settle();
    buttonNamed(shadow.querySelector('.approved')!, 'Responder').click();
    await settle();
    expect(client.callsOf('answer')).toEqual([[3, 'Sí, mañana']]);
  });

  it('offers no actions against the moderator’s own messages', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'Bienvenidos', 'Mod', 50)] });
    await settle();
    expect(shadow.querySelector('button.person')).toBeNull();
  });

  it('edits a pending question it holds, and says so when another moderator holds it', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ questions: [question(4, 'q tal el sonido??', { status: 'pending' })] });
    await settle();
    buttonNamed(shadow.querySelector('.pending li')!, 'Editar').click();
    await settle();
    const box = shadow.querySelector<HTMLTextAreaElement>('.pending textarea')!;
    expect(box.value).toBe('q tal el sonido??');
    box.value = '¿Qué tal el sonido?';
    box.dispatchEvent(new Event('input'));
    await settle();
    buttonNamed(shadow.querySelector('.pending li')!, 'Guardar').click();
    await settle();
    expect(client.callsOf('beginEdit')).toEqual([[4]]);
    expect(client.callsOf('editQuestion')).toEqual([[4, '¿Qué tal el sonido?', 0]]);
    client.failNext('beginEdit', 'question_being_edited');
    buttonNamed(shadow.querySelector('.pending li')!, 'Editar').click();
    await settle();
    expect(shadow.querySelector('[role="alert"]')?.textContent).toBe('Otro moderador está editando esta pregunta.');
    expect(shadow.querySelector('.pending textarea')).toBeNull();
  });
});
