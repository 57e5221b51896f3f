// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { buttonNamed, FakeClient, listen, mount, question, settle, text, typeInto, unmountAll, user } from './fake-client.js';

afterEach(unmountAll);

async function liveQa(client = new FakeClient()) {
  client.token = 'stored';
  const mounted = await mount('<palco-qa event="lanzamiento" api="https://live.example.com"></palco-qa>', client);
  return mounted;
}

describe('<palco-qa>', () => {
  it('says there are no approved questions yet', async () => {
    const { client, shadow } = await liveQa();
    client.welcome();
    await settle();
    expect(text(shadow)).toContain('Todavía no hay preguntas aprobadas.');
  });

  it('asks a question, which waits for approval among "your questions"', async () => {
    const { client, shadow } = await liveQa();
    const heard = listen(['palco:question-asked']);
    client.welcome();
    await settle();
    typeInto(shadow.querySelector('textarea')!, '¿Habrá grabación?');
    await settle();
    buttonNamed(shadow, 'Preguntar').click();
    await settle();
    expect(client.callsOf('ask')).toEqual([['¿Habrá grabación?']]);
    expect(text(shadow)).toContain('Recibimos tu pregunta.');
    expect(text(shadow)).toContain('Tus preguntas');
    expect(text(shadow)).toContain('Pendiente de aprobación');
    expect(heard).toHaveLength(1);
    client.emit('question_updated', { type: 'question_updated', id: 100, status: 'rejected' });
    await settle();
    expect(text(shadow)).toContain('No aprobada');
  });

  it('lists approved questions by votes, as text', async () => {
    const { client, shadow } = await liveQa();
    client.welcome({
      questions: [question(1, 'Primera <script>window.__xss=1</script>', { upvotes: 1 }), question(2, 'Segunda', { upvotes: 5 })],
    });
    await settle();
    const items = [...shadow.querySelectorAll('.questions .text')].map((item) => item.textContent);
    expect(items).toEqual(['Segunda', 'Primera <script>window.__xss=1</script>']);
    expect(shadow.querySelector('script')).toBeNull();
    client.emit('approved_question', {
      type: 'approved_question', id: 3, question: 'Tercera', user_id: 3, user_name: 'Eva', upvotes: 0,
      created_at: new Date().toISOString(), approved_at: new Date().toISOString(),
    });
    client.emit('question_votes', { type: 'question_votes', id: 1, upvotes: 9 });
    await settle();
    expect([...shadow.querySelectorAll('.questions .text')].map((item) => item.textContent)).toEqual([
      'Primera <script>window.__xss=1</script>', 'Segunda', 'Tercera',
    ]);
  });

  it('upvotes a question once', async () => {
    const { client, shadow } = await liveQa();
    client.welcome({ questions: [question(1, 'Una pregunta'), question(2, 'Otra')], voted: [2] });
    await settle();
    const [first, second] = [...shadow.querySelectorAll<HTMLButtonElement>('.votes button')];
    expect(second!.disabled).toBe(true);
    expect(second!.getAttribute('aria-pressed')).toBe('true');
    expect(first!.getAttribute('aria-label')).toBe('Votar la pregunta de Luis');
    first!.click();
    await settle();
    expect(client.callsOf('upvote')).toEqual([[1]]);
    const again = shadow.querySelectorAll<HTMLButtonElement>('.votes button')[0]!;
    expect(again.disabled).toBe(true);
    expect(text(again)).toContain('Votada');
  });

  it('tells a blocked attendee they may not ask', async () => {
    const client = new FakeClient();
    client.user = user({ qa_blocked: true });
    const { shadow } = await liveQa(client);
    client.welcome();
    await settle();
    expect(shadow.querySelector('textarea')).toBeNull();
    expect(text(shadow)).toContain('No puedes enviar preguntas.');
  });

  it('shows the server’s refusal of a question', async () => {
    const { client, shadow } = await liveQa();
    client.welcome();
    await settle();
    client.failNext('ask', 'rate_limited');
    typeInto(shadow.querySelector('textarea')!, '¿Otra?');
    await settle();
    buttonNamed(shadow, 'Preguntar').click();
    await settle();
    expect(shadow.querySelector('[role="alert"]')?.textContent).toContain('Demasiados intentos');
  });

  it('shows the closed state', async () => {
    const { client, shadow } = await liveQa();
    client.welcome();
    client.emit('event_closed', { type: 'event_closed', message: 'Transmisión finalizada' });
    await settle();
    expect(text(shadow)).toContain('Transmisión finalizada');
    expect(shadow.querySelector('textarea')).toBeNull();
  });

  it('asks anonymously where the event allows it, and shows a moderator’s answer under the question', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, allow_anonymous_questions: true };
    const { shadow } = await liveQa(client);
    client.welcome({ event: client.event, questions: [question(1, '¿Y el precio?', { user_id: 0, user_name: '', anonymous: true })] });
    await settle();
    expect(text(shadow)).toContain('Anónima');
    const box = shadow.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    typeInto(shadow.querySelector('textarea')!, '¿Hay descuentos?');
    await settle();
    buttonNamed(shadow, 'Preguntar').click();
    await settle();
    expect(client.callsOf('ask')).toEqual([['¿Hay descuentos?', { anonymous: true }]]);
    client.emit('question_answered', { type: 'question_answered', id: 1, answer: 'En la web, mañana', answered_at: new Date().toISOString() });
    await settle();
    expect(text(shadow)).toContain('Respuesta: En la web, mañana');
  });
});
