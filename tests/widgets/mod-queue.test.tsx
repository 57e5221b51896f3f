// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { buttonNamed, chatMessage, FakeClient, mount, question, settle, text, unmountAll, user } from './fake-client.js';

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
    expect(client.callsOf('reject')).toEqual([[2]]);
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

  it('deletes a chat message and blocks its author from chatting, reversibly', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'spam', 'Spammer', 9)] });
    await settle();
    buttonNamed(shadow, 'Bloquear chat').click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([[9, 'chat_blocked', true]]);
    buttonNamed(shadow, 'Permitir chat').click();
    await settle();
    expect(client.callsOf('moderate').at(-1)).toEqual([9, 'chat_blocked', false]);
    buttonNamed(shadow, 'Bloquear preguntas').click();
    await settle();
    expect(client.callsOf('moderate').at(-1)).toEqual([9, 'qa_blocked', true]);
    shadow.querySelector<HTMLButtonElement>('button[aria-label="Borrar el mensaje de Spammer"]')!.click();
    await settle();
    expect(client.callsOf('deleteChat')).toEqual([[1]]);
    expect(text(shadow)).not.toContain('spam');
  });

  it('bans only on a second press', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'hola', 'Troll', 9)] });
    await settle();
    buttonNamed(shadow, 'Expulsar').click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([]);
    expect(text(shadow)).toContain('¿Expulsar a \u2068Troll\u2069? Pulsa de nuevo para confirmar.');
    buttonNamed(shadow, 'Expulsar').click();
    await settle();
    expect(client.callsOf('moderate')).toEqual([[9, 'banned', true]]);
    expect(text(shadow)).toContain('Expulsado');
  });

  it('offers no actions against the moderator’s own messages', async () => {
    const { client, shadow } = await liveQueue();
    client.welcome({ chat: [chatMessage(1, 'Bienvenidos', 'Mod', 50)] });
    await settle();
    expect(shadow.querySelector('[role="group"][aria-label="Acciones sobre Mod"]')).toBeNull();
  });
});
