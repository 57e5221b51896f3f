// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setPollViewsLoader, setQrCodeLoader } from '../../packages/widgets/src/index.js';
import * as views from '../../packages/widgets/src/poll-views.js';
import qrSvg from '../../packages/widgets/src/qr-code.js';
import { buttonNamed, FakeClient, mount, question, settle, text, unmountAll, user } from './fake-client.js';

// The board comes with the polls' views (poll-views.js); here from the source.
beforeEach(() => setPollViewsLoader(async () => views));
afterEach(() => {
  unmountAll();
  setQrCodeLoader(null);
  setPollViewsLoader(null);
});

async function liveBoard(role: 'speaker' | 'visor' = 'speaker', attributes = '') {
  const client = new FakeClient();
  client.token = 'stored';
  client.user = user({ id: 60, name: 'Ponente', role });
  const mounted = await mount(`<palco-speaker-board event="lanzamiento" api="https://live.example.com" ${attributes}></palco-speaker-board>`, client);
  return mounted;
}

const questions = () => [
  question(1, 'Primera en llegar', { upvotes: 1 }),
  question(2, 'La más votada', { upvotes: 7 }),
  question(3, 'Ya respondida', { status: 'read' }),
  question(4, 'Aún pendiente', { status: 'pending' }),
];

const shown = (shadow: ShadowRoot) => [...shadow.querySelectorAll('.questions .question > .text')].map((item) => item.textContent);

describe('<palco-speaker-board>', () => {
  it('is for the event team only', async () => {
    const { client, shadow } = await liveBoard('visor');
    client.welcome();
    await settle();
    expect(text(shadow)).toContain('Esta vista es solo para el equipo del evento.');
  });

  it('says when there are no questions yet', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome();
    await settle();
    expect(text(shadow)).toContain('Aún no hay preguntas aprobadas.');
  });

  it('lists approved questions by votes or by time', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome({ questions: questions() });
    await settle();
    expect(shown(shadow)).toEqual(['La más votada', 'Primera en llegar']);
    expect(text(shadow)).toContain('1 pregunta respondida');
    buttonNamed(shadow, 'Hora').click();
    await settle();
    expect(shown(shadow)).toEqual(['Primera en llegar', 'La más votada']);
    expect(buttonNamed(shadow, 'Hora').getAttribute('aria-pressed')).toBe('true');
  });

  it('marks a question as read', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome({ questions: questions() });
    await settle();
    buttonNamed(shadow.querySelector('.questions li')!, 'Marcar como respondida').click();
    await settle();
    expect(client.callsOf('read')).toEqual([[2]]);
    expect(shown(shadow)).toEqual(['Primera en llegar']);
    expect(text(shadow)).toContain('2 preguntas respondidas');
  });

  it('puts a question on screen prominently, and takes it off', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome({ questions: questions() });
    await settle();
    buttonNamed(shadow.querySelectorAll('.questions li')[1]!, 'Destacar').click();
    await settle();
    expect(client.callsOf('highlight')).toEqual([[1]]);
    expect(text(shadow.querySelector('.spotlight')!)).toContain('Primera en llegar');
    client.emit('question_highlighted', { type: 'question_highlighted', id: 2 });
    await settle();
    expect(text(shadow.querySelector('.spotlight')!)).toContain('La más votada');
    buttonNamed(shadow, 'Quitar de pantalla').click();
    await settle();
    expect(client.callsOf('highlight').at(-1)).toEqual([null]);
    expect(shadow.querySelector('.spotlight')).toBeNull();
  });

  it('shows the highlighted question once, in the spotlight, not again in the list', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome({ questions: questions(), highlighted: 2 });
    await settle();
    expect(text(shadow.querySelector('.spotlight')!)).toContain('La más votada');
    expect(shown(shadow)).toEqual(['Primera en llegar']);
  });

  it('switches to the presentation in full screen from the control view, and back with Esc', async () => {
    const { client, element, shadow } = await liveBoard();
    const requestFullscreen = vi.fn(async () => {});
    element.requestFullscreen = requestFullscreen;
    client.welcome({ questions: questions() });
    await settle();
    buttonNamed(shadow, 'Modo presentación').click();
    await settle();
    expect(requestFullscreen).toHaveBeenCalledTimes(1);
    expect(shadow.querySelector('.present')).not.toBeNull();
    element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle();
    expect(shadow.querySelector('.present')).toBeNull();
    expect(shown(shadow)).toEqual(['La más votada', 'Primera en llegar']);
  });

  it('presents the highlighted question alone, in huge type, without a single control', async () => {
    const { client, shadow } = await liveBoard('speaker', 'mode="present"');
    client.welcome({ questions: questions(), highlighted: 1 });
    await settle();
    expect(text(shadow.querySelector('.present-text')!)).toBe('Primera en llegar');
    expect(shadow.querySelectorAll('button, a, input, select')).toHaveLength(0);
    expect(text(shadow)).not.toContain('La más votada');
  });

  it('shows the join address and its QR code on the projector while nothing is highlighted', async () => {
    setQrCodeLoader(async () => qrSvg);
    const { client, shadow } = await liveBoard('speaker', 'mode="present"');
    client.welcome({ questions: questions() });
    await settle(6);
    expect(text(shadow)).toContain('Envía tus preguntas');
    expect(text(shadow.querySelector('.present-url')!)).toBe('live.example.com/e/lanzamiento');
    const qr = shadow.querySelector('.qr')!;
    expect(qr.getAttribute('aria-label')).toBe('Código QR que abre https://live.example.com/e/lanzamiento');
    expect(qr.querySelector('svg path')).not.toBeNull();
    client.emit('question_highlighted', { type: 'question_highlighted', id: 2 });
    await settle();
    expect(shadow.querySelector('.qr')).toBeNull();
    expect(text(shadow.querySelector('.present-text')!)).toBe('La más votada');
  });

  it('shows the closed state', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome({ questions: questions() });
    client.emit('event_closed', { type: 'event_closed', message: 'Transmisión finalizada' });
    await settle();
    expect(text(shadow)).toContain('Transmisión finalizada');
    expect(shown(shadow)).toEqual([]);
  });

  it('shows only the questions of the topic chosen, leaves archived ones out and names anonymous askers as such', async () => {
    const { client, shadow } = await liveBoard();
    client.welcome({
      questions: [
        question(1, 'Sobre el precio', { label: 'Precio' }),
        question(2, 'Sobre la fecha', { label: 'Fecha', user_id: 0, user_name: '', anonymous: true }),
        question(3, 'Archivada', { label: 'Precio', archived_at: new Date(2050, 0, 1).toISOString() }),
      ],
    });
    await settle();
    expect(shown(shadow)).toEqual(['Sobre el precio', 'Sobre la fecha']);
    expect(text(shadow)).toContain('Anónima');
    const topic = shadow.querySelector<HTMLSelectElement>('select')!;
    topic.value = 'Fecha';
    topic.dispatchEvent(new Event('change'));
    await settle();
    expect(shown(shadow)).toEqual(['Sobre la fecha']);
  });
});
