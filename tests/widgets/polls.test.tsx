// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setPollViewsLoader } from '../../packages/widgets/src/index.js';
import { layoutCloud } from '../../packages/widgets/src/widgets/poll-results.js';
import { buttonNamed, FakeClient, mount, poll, settle, text, typeInto, unmountAll, user } from './fake-client.js';

beforeEach(async () => {
  // Loaded before the test, as a browser would have it cached: the test then waits for renders only.
  const views = await import('../../packages/widgets/src/poll-views.js');
  setPollViewsLoader(async () => views);
});
afterEach(() => {
  unmountAll();
  setPollViewsLoader(null);
});

async function live(tag: string, client = new FakeClient()) {
  client.token = 'stored';
  const mounted = await mount(`<${tag} event="lanzamiento" api="https://live.example.com"></${tag}>`, client);
  return mounted;
}

describe('<palco-polls>', () => {
  it('lets an attendee answer an open poll once and shows the revealed results as bars with percentages', async () => {
    const { client, shadow } = await live('palco-polls');
    client.welcome({ polls: [poll(7, { status: 'open', opened_at: new Date().toISOString() })] });
    await settle(6);
    expect(text(shadow)).toContain('¿Café o té?');
    (shadow.querySelectorAll<HTMLInputElement>('input[type="radio"]')[1]!).click();
    await settle();
    buttonNamed(shadow, 'Votar').click();
    await settle(6);
    expect(client.callsOf('vote')).toEqual([[7, { choices: [2] }]]);
    expect(text(shadow)).toContain('Tu respuesta: Té');
    expect(shadow.querySelector('form')).toBeNull();
    client.emit('poll', { type: 'poll', poll: poll(7, { status: 'open', results_visible: true }) });
    client.emit('poll_results', { type: 'poll_results', id: 7, total: 4, options: [{ id: 1, count: 1 }, { id: 2, count: 3 }] });
    await settle(6);
    expect([...shadow.querySelectorAll('.bar .share')].map((share) => share.textContent)).toEqual(['25%', '75%']);
  });

  it('says an answer given while the connection is away goes once it returns, and counts it then', async () => {
    const { client, shadow } = await live('palco-polls');
    client.welcome({ polls: [poll(7, { status: 'open', opened_at: new Date().toISOString() })] });
    client.emit('state', { previous: 'connected', current: 'connecting', reason: 'connection_lost', attempt: 1, retryInMs: 1000 });
    await settle(6);
    const server = client.holdNext('vote');
    (shadow.querySelectorAll<HTMLInputElement>('input[type="radio"]')[0]!).click();
    await settle();
    buttonNamed(shadow, 'Votar').click();
    await settle(6);
    expect(shadow.querySelector('.poll [role="status"]')?.textContent).toBe('Se enviará al volver la conexión');
    expect(shadow.querySelector('[role="alert"]')).toBeNull();

    client.welcome({ polls: [poll(7, { status: 'open', opened_at: new Date().toISOString() })] });
    server.answer();
    await settle(6);
    expect(text(shadow)).toContain('Tu respuesta: Café');
    expect(text(shadow)).not.toContain('Se enviará al volver la conexión');
  });

  it('takes up to three words for a word cloud and sends a reaction', async () => {
    const { client, shadow } = await live('palco-polls');
    client.welcome({ polls: [poll(8, { kind: 'word_cloud', options: [], question: 'Una palabra', status: 'open' })] });
    await settle(6);
    const inputs = shadow.querySelectorAll<HTMLInputElement>('input');
    expect(inputs).toHaveLength(3);
    typeInto(inputs[0]!, 'Datos');
    typeInto(inputs[2]!, 'Nube');
    await settle();
    buttonNamed(shadow, 'Enviar').click();
    await settle(6);
    expect(client.callsOf('vote')).toEqual([[8, { words: ['Datos', 'Nube'] }]]);
    shadow.querySelector<HTMLButtonElement>('button[aria-label="Reaccionar con 👏"]')!.click();
    await settle();
    expect(client.callsOf('react')).toEqual([['👏']]);
  });

  it('keeps a closed poll an attendee answered, with their answer and word that the results come later, while the results stay hidden', async () => {
    const { client, shadow } = await live('palco-polls');
    client.welcome({
      polls: [poll(11, { status: 'closed', results_visible: false }), poll(12, { status: 'closed', results_visible: false, question: '¿Sin respuesta?' })],
      my_votes: [{ poll_id: 11, choices: [2], created_at: new Date(2050, 0, 1).toISOString() }],
    });
    await settle(6);
    expect(text(shadow)).toContain('¿Café o té?');
    expect(text(shadow)).toContain('Cerrada');
    expect(text(shadow)).toContain('Tu respuesta: Té');
    expect(text(shadow)).toContain('Los resultados se mostrarán cuando la moderación los publique.');
    // Closed, hidden and not answered: nothing to show this attendee.
    expect(text(shadow)).not.toContain('¿Sin respuesta?');
    expect(shadow.querySelector('form')).toBeNull();
  });

  it('shows a staff member the results without a form to answer', async () => {
    const client = new FakeClient();
    client.user = user({ role: 'moderador' });
    const { shadow } = await live('palco-polls', client);
    client.welcome({ polls: [poll(9, { status: 'open' })], poll_results: [{ id: 9, total: 2, options: [{ id: 1, count: 2 }, { id: 2, count: 0 }] }] });
    await settle(6);
    expect(shadow.querySelector('form')).toBeNull();
    expect(text(shadow)).toContain('100%');
  });
});

describe('<palco-poll-panel>', () => {
  it('lets a moderator build a quiz and open it, with the answers counted live', async () => {
    const client = new FakeClient();
    client.user = user({ role: 'moderador' });
    const { shadow } = await live('palco-poll-panel', client);
    client.welcome();
    await settle(6);
    const kind = shadow.querySelector<HTMLSelectElement>('select')!;
    kind.value = 'quiz';
    kind.dispatchEvent(new Event('change'));
    await settle();
    typeInto(shadow.querySelector<HTMLInputElement>('#palco-poll-question')!, '¿Capital de Perú?');
    typeInto(shadow.querySelector<HTMLTextAreaElement>('#palco-poll-options')!, 'Lima\nCusco\n');
    typeInto(shadow.querySelector<HTMLInputElement>('#palco-poll-correct')!, '1');
    typeInto(shadow.querySelector<HTMLInputElement>('#palco-poll-time')!, '20');
    await settle();
    buttonNamed(shadow, 'Crear borrador').click();
    await settle(6);
    expect(client.callsOf('createPoll')).toEqual([[{ kind: 'quiz', question: '¿Capital de Perú?', options: ['Lima', 'Cusco'], correct: [0], time_limit_s: 20 }]]);
    buttonNamed(shadow, 'Abrir').click();
    await settle(6);
    expect(client.callsOf('openPoll')).toEqual([[100]]);
    client.emit('poll_results', { type: 'poll_results', id: 100, total: 3, options: [{ id: 1, count: 2 }, { id: 2, count: 1 }] });
    await settle(6);
    expect(text(shadow)).toContain('3 respuestas');
  });
});

describe('<palco-poll-panel> templates', () => {
  it('lets an administrator save a poll as a template and a draft be made from a saved one', async () => {
    const client = new FakeClient();
    client.user = user({ role: 'administrador', event_id: null });
    const { shadow } = await live('palco-poll-panel', client);
    client.welcome({ polls: [poll(5, { status: 'closed' })] });
    await settle(6);
    expect(shadow.querySelector('#palco-poll-template')).toBeNull();
    buttonNamed(shadow, 'Guardar como plantilla').click();
    await settle(8);
    expect(client.callsOf('savePollAsTemplate')).toEqual([[5]]);
    const picker = shadow.querySelector<HTMLSelectElement>('#palco-poll-template')!;
    expect(picker.textContent).toContain('¿Café o té? · Opción única');
    buttonNamed(shadow, 'Crear desde la plantilla').click();
    await settle(6);
    expect(client.callsOf('pollFromTemplate')).toEqual([[client.templates[0]!.id]]);
  });

  it('offers a moderator the templates but not saving them', async () => {
    const client = new FakeClient();
    client.user = user({ role: 'moderador' });
    client.templates = [{ id: 3, kind: 'rating', question: 'Puntúa', options: [], created_by: 1, created_at: new Date(2050, 0, 1).toISOString() }];
    const { shadow } = await live('palco-poll-panel', client);
    client.welcome({ polls: [poll(5, { status: 'open' })] });
    await settle(8);
    expect(shadow.querySelector('#palco-poll-template')?.textContent).toContain('Puntúa');
    expect(() => buttonNamed(shadow, 'Guardar como plantilla')).toThrow();
  });
});

describe('the word cloud layout', () => {
  it('places the most answered word largest and keeps every word apart and inside the cloud', () => {
    const words = Array.from({ length: 30 }, (_, index) => ({ word: `palabra${index}`, count: 30 - index }));
    const placed = layoutCloud(words);
    expect(placed.length).toBeGreaterThanOrEqual(20);
    expect(placed[0]!.size).toBe(Math.max(...placed.map((word) => word.size)));
    for (const word of placed) {
      expect(word.x).toBeGreaterThanOrEqual(0);
      expect(word.y).toBeGreaterThanOrEqual(0);
      expect(word.x).toBeLessThan(100);
      expect(word.y).toBeLessThan(100);
    }
  });
});

describe('the concurrency chart with reactions', () => {
  it('puts viewer samples and reactions per minute on one time axis, leaving gaps where a minute has only one', async () => {
    const { concurrencySeries } = await import('../../packages/widgets/src/reports/charts.js');
    const series = concurrencySeries({
      curve: [
        { at: '2026-03-01T19:00:00.000Z', viewers: 10 },
        { at: '2026-03-01T19:02:00.000Z', viewers: 12 },
      ],
      reactions: [
        { at: '2026-03-01T19:01:00.000Z', counts: { '👏': 4, '🎉': 1 } },
        { at: '2026-03-01T19:02:00.000Z', counts: { '❤️': 2 } },
      ],
    });
    const minute = (m: number) => Date.parse(`2026-03-01T19:0${m}:00.000Z`) / 1000;
    expect(series).toEqual({ times: [minute(0), minute(1), minute(2)], viewers: [10, null, 12], reactions: [null, 5, 2] });
  });
});
