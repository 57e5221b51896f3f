// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { LoginPage } from '../../packages/backend/src/pages/login-page.js';
import { RegisterPage } from '../../packages/backend/src/pages/register-page.js';
import { buttonNamed, FakeClient, listen, mount, settle, testEvent, text, typeInto, unmountAll } from './fake-client.js';

afterEach(unmountAll);

const markup = (extra = '') => `<palco-register event="lanzamiento" api="https://live.example.com" ${extra}></palco-register>`;

function fill(shadow: ShadowRoot, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) typeInto(shadow.querySelector<HTMLInputElement>(`input[name="${name}"]`)!, value);
}

describe('<palco-register>', () => {
  it('shows the registration form with labelled fields and the event’s allowed domains', async () => {
    const { shadow } = await mount(markup());
    for (const [name, label] of [['name', 'Nombre completo'], ['email', 'Correo electrónico'], ['phone', 'Teléfono']]) {
      const input = shadow.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
      expect(shadow.querySelector(`label[for="${input.id}"]`)?.textContent).toBe(label);
    }
    expect(text(shadow)).toContain('Usa tu correo de empresa.com.');
  });

  it('checks the fields before sending and focuses the first one to fix', async () => {
    const { client, shadow } = await mount(markup());
    fill(shadow, { email: 'no-es-correo' });
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(client.callsOf('register')).toHaveLength(0);
    const name = shadow.querySelector<HTMLInputElement>('input[name="name"]')!;
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(shadow.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe('Este campo es obligatorio.');
    expect(shadow.querySelector('input[name="email"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(shadow.activeElement).toBe(name);
  });

  it('refuses a name of invisible characters before sending, in the server’s words', async () => {
    const { client, shadow } = await mount(markup());
    fill(shadow, { name: '\u200B\u3164', email: 'ana@empresa.com', phone: '+34 600 000 000' });
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(client.callsOf('register')).toHaveLength(0);
    const name = shadow.querySelector<HTMLInputElement>('input[name="name"]')!;
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(shadow.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe('Escribe al menos una letra, cifra o emoji visible.');
  });

  it('registers, tells the page, and opens the realtime session', async () => {
    const { client, shadow } = await mount(markup());
    const heard = listen(['palco:registered', 'palco:signed-in', 'palco:ready']);
    fill(shadow, { name: 'Ana', email: 'ana@empresa.com', phone: '+34 600 000 000' });
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(client.callsOf('register')).toEqual([[{ name: 'Ana', email: 'ana@empresa.com', phone: '+34 600 000 000' }]]);
    expect(client.callsOf('connect')).toHaveLength(1);
    client.welcome();
    await settle();
    expect(heard.map((event) => event.type)).toEqual(['palco:registered', 'palco:signed-in', 'palco:ready']);
    expect(heard.every((event) => event.composed)).toBe(true);
    expect(text(shadow)).toContain('Conectado como Ana');
  });

  it('sends someone already registered to the sign-in form, keeping the email', async () => {
    const { client, shadow } = await mount(markup());
    client.failNext('register', 'already_registered');
    fill(shadow, { name: 'Ana', email: 'ana@empresa.com', phone: '+34 600 000 000' });
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(text(shadow)).toContain('Este correo ya está registrado en el evento. Inicia sesión.');
    expect(shadow.querySelector<HTMLInputElement>('input[name="email"]')!.value).toBe('ana@empresa.com');
    fill(shadow, { password: 'codigo-secreto' });
    await settle();
    buttonNamed(shadow, 'Iniciar sesión').click();
    await settle();
    expect(client.callsOf('login')).toEqual([[{ email: 'ana@empresa.com', password: 'codigo-secreto' }]]);
  });

  it('names an email of another domain beside it, with the other fields’ problems, before sending', async () => {
    const { client, shadow } = await mount(markup());
    fill(shadow, { name: 'Ana', email: 'ana@gmail.com', phone: 'abc' });
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(client.callsOf('register')).toHaveLength(0);
    const problemOf = (name: string) => {
      const input = shadow.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
      expect(input.getAttribute('aria-invalid')).toBe('true');
      return shadow.getElementById(input.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent;
    };
    expect(problemOf('email')).toBe('Este evento solo admite correos de los dominios autorizados.');
    expect(problemOf('phone')).toBe('Escribe un teléfono válido.');
  });

  it('shows the server’s reason for a refused email and marks the email field with it', async () => {
    const { client, shadow } = await mount(markup());
    // The event's domains changed after the form was drawn: only the server knows.
    client.failNext('register', 'domain_not_allowed', { email: 'Este evento solo admite correos de los dominios autorizados.' });
    fill(shadow, { name: 'Ana', email: 'ana@empresa.com', phone: '+34 600 000 000' });
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(shadow.querySelector('[role="alert"]')?.textContent).toBe('Este evento solo admite correos de los dominios autorizados.');
    // The email is the field to change: marked, with the reason under it.
    const email = shadow.querySelector<HTMLInputElement>('input[name="email"]')!;
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = email.getAttribute('aria-describedby')!.split(' ');
    expect(shadow.getElementById(describedBy[0]!)?.textContent).toBe('Este evento solo admite correos de los dominios autorizados.');
    expect(shadow.querySelector('input[name="name"]')!.hasAttribute('aria-invalid')).toBe(false);
  });

  it('signs in with an identity token from the producer, skipping the form', async () => {
    const client = new FakeClient();
    const heard = listen(['palco:signed-in']);
    const { shadow } = await mount(markup('identity="signed.jwt.token"'), client);
    expect(client.callsOf('loginWithIdentity')).toEqual([['signed.jwt.token']]);
    expect(shadow.querySelector('form')).toBeNull();
    expect(heard.map((event) => event.type)).toEqual(['palco:signed-in']);
  });

  it('falls back to the form when the identity token is refused', async () => {
    const client = new FakeClient();
    client.failNext('loginWithIdentity', 'invalid_identity');
    const { shadow } = await mount(markup('identity="expired"'), client);
    expect(text(shadow)).toContain('No pudimos verificar tu identidad.');
    expect(shadow.querySelector('form')).not.toBeNull();
  });

  it('accepts the identity token as a property too', async () => {
    const { client, element } = await mount<HTMLElement & { identity: string }>(markup());
    element.identity = 'from-a-property';
    await settle();
    expect(element.getAttribute('identity')).toBe('from-a-property');
    expect(client.callsOf('loginWithIdentity')).toEqual([['from-a-property']]);
  });

  it('takes no registrations for a closed event', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, is_active: false, registration_open: false };
    const { shadow } = await mount(markup(), client);
    expect(text(shadow)).toContain('Transmisión finalizada');
    expect(shadow.querySelector('form')).toBeNull();
  });

  it('says registration is closed during a replay without new registrations, and offers those registered the sign-in', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, is_active: false, registration_open: false, state: 'on_demand' };
    const { shadow } = await mount(markup(), client);
    expect(text(shadow)).toContain('El registro está cerrado.');
    expect(text(shadow)).toContain('Si te registraste antes, inicia sesión para ver la repetición.');
    expect(text(shadow)).not.toContain('Transmisión finalizada');
    buttonNamed(shadow, 'Ya me registré').click();
    await settle();
    expect(shadow.querySelector('input[name="password"]')).not.toBeNull();
  });

  it('shows the closed state instead of the session once the event closes', async () => {
    const client = new FakeClient();
    client.token = 'stored';
    const { shadow } = await mount(markup(), client);
    client.welcome();
    client.emit('event_closed', { type: 'event_closed', message: 'Transmisión finalizada' });
    await settle();
    expect(text(shadow)).toContain('Transmisión finalizada');
    expect(text(shadow)).not.toContain('Conectado como');
  });

  it('signs out', async () => {
    const client = new FakeClient();
    client.token = 'stored';
    const { shadow } = await mount(markup(), client);
    client.welcome();
    await settle();
    buttonNamed(shadow, 'Cerrar sesión').click();
    await settle();
    expect(client.callsOf('logout')).toHaveLength(1);
    expect(shadow.querySelector('form')).not.toBeNull();
  });

  it('words its forms exactly as the hosted registration and sign-in pages do', async () => {
    const { shadow } = await mount(markup());
    /** Heading, intro, labels, hints and button of the form the widget shows now. */
    const words = () =>
      [...shadow.querySelectorAll('form h2, form p.hint, form label, form button[type="submit"]')].map((element) => element.textContent!.trim());
    const registerWords = words();
    buttonNamed(shadow, 'Ya me registré').click();
    await settle();
    const loginWords = words();

    const chrome = { lang: 'es', switchHref: '/e/lanzamiento?lang=en' } as const;
    const hostedRegister = renderToString(<RegisterPage {...chrome} event={testEvent} action="/e/lanzamiento" loginHref="/e/lanzamiento/login" pageUrl="http://localhost/e/lanzamiento" values={{}} />);
    const hostedLogin = renderToString(<LoginPage {...chrome} event={testEvent} action="/e/lanzamiento/login" registerHref="/e/lanzamiento" email="" />);
    expect(registerWords).toEqual(['Regístrate para entrar', 'Completa tus datos para ver la transmisión, chatear y enviar preguntas.', 'Nombre completo', 'Correo electrónico', 'Usa tu correo de empresa.com.', 'Teléfono', 'Entrar al evento']);
    for (const word of registerWords) expect(hostedRegister).toContain(`>${word}<`);
    expect(loginWords[0]).toBe('Inicia sesión');
    for (const word of loginWords) expect(hostedLogin).toContain(`>${word}<`);
  });

  it('speaks English', async () => {
    const { shadow } = await mount(markup('lang="en"'));
    expect(text(shadow)).toContain('Register to join');
    expect(text(shadow)).toContain('Use your empresa.com email.');
  });
});

describe('<palco-register> with the event’s own questions and privacy notice', () => {
  const withQuestions = () => {
    const client = new FakeClient();
    client.event = {
      ...client.event,
      phone_required: false,
      registration_fields: [
        { key: 'company', label: { es: 'Empresa', en: 'Company' }, type: 'text', required: true },
        { key: 'role', label: { es: 'Puesto', en: 'Role' }, type: 'select', required: true, options: ['Ventas', 'Otro'] },
        { key: 'country', label: { es: 'País', en: 'Country' }, type: 'country', required: false },
        { key: 'age', label: { es: 'Edad', en: 'Age' }, type: 'number', required: false, min: 18, max: 120 },
      ],
      privacy_notice: { version: 'v1', es: 'Usamos tus datos para el evento.', en: 'We use your data for the event.' },
    };
    return client;
  };
  const select = (shadow: ShadowRoot, id: string, value: string) => {
    const element = shadow.getElementById(id) as HTMLSelectElement;
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  };

  it('asks each question with its label, the phone as optional and the consent unticked', async () => {
    const { shadow } = await mount(markup(), withQuestions());
    expect(shadow.querySelector('label[for="palco-field-company"]')?.textContent).toBe('Empresa');
    expect(shadow.querySelector('label[for="palco-field-country"]')?.textContent).toBe('País (opcional)');
    const countries = [...shadow.querySelectorAll<HTMLOptionElement>('#palco-field-country option')].map((option) => option.value);
    expect(countries).toContain('MX');
    expect(countries).not.toContain('EU');
    expect(shadow.querySelector('label[for="palco-phone"]')?.textContent).toBe('Teléfono (opcional)');
    expect(text(shadow)).toContain('Usamos tus datos para el evento.');
    expect(shadow.querySelector<HTMLInputElement>('#palco-consent')!.checked).toBe(false);
  });

  it('names each unanswered question and the missing consent before sending anything', async () => {
    const { client, shadow } = await mount(markup(), withQuestions());
    fill(shadow, { name: 'Ana', email: 'ana@empresa.com' });
    typeInto(shadow.getElementById('palco-field-age') as HTMLInputElement, '12');
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(client.callsOf('register')).toHaveLength(0);
    const problemOf = (id: string) => shadow.getElementById(shadow.getElementById(id)!.getAttribute('aria-describedby')!)?.textContent;
    expect(problemOf('palco-field-company')).toBe('Este campo es obligatorio.');
    expect(problemOf('palco-field-role')).toBe('Este campo es obligatorio.');
    expect(problemOf('palco-field-age')).toBe('Es demasiado pequeño.');
    expect(problemOf('palco-consent')).toBe('Acepta el aviso de privacidad para registrarte.');
  });

  it('sends the answers and the consent, and shows the waitlist when the event is full', async () => {
    const client = withQuestions();
    client.register = async (input) => {
      client.calls.push({ method: 'register', args: [input] });
      return { status: 'waitlisted', user: { id: 9, name: 'Ana', email: 'ana@empresa.com' } };
    };
    const { shadow } = await mount(markup(), client);
    const heard = listen(['palco:waitlisted', 'palco:signed-in']);
    fill(shadow, { name: 'Ana', email: 'ana@empresa.com' });
    typeInto(shadow.getElementById('palco-field-company') as HTMLInputElement, 'Acme');
    select(shadow, 'palco-field-role', 'Ventas');
    select(shadow, 'palco-field-country', 'MX');
    shadow.querySelector<HTMLInputElement>('#palco-consent')!.click();
    await settle();
    buttonNamed(shadow, 'Entrar al evento').click();
    await settle();
    expect(client.callsOf('register')).toEqual([
      [{ name: 'Ana', email: 'ana@empresa.com', phone: '', fields: { company: 'Acme', role: 'Ventas', country: 'MX' }, consent: true }],
    ]);
    expect(heard.map((event) => event.type)).toEqual(['palco:waitlisted']);
    expect(text(shadow)).toContain('Estás en la lista de espera. Te avisaremos cuando tengas plaza.');
  });

  it('shows the new privacy notice to a returning attendee asked to consent again, and sends their consent', async () => {
    const client = withQuestions();
    client.failNext('login', 'consent_required');
    const { shadow } = await mount(markup(), client);
    buttonNamed(shadow, 'Ya me registré').click();
    await settle();
    expect(shadow.querySelector('#palco-consent')).toBeNull();
    fill(shadow, { email: 'ana@empresa.com', password: 'codigo-2050' });
    await settle();
    buttonNamed(shadow, 'Iniciar sesión').click();
    await settle();
    expect(text(shadow)).toContain('Lee y acepta el aviso de privacidad del evento para continuar.');
    shadow.querySelector<HTMLInputElement>('#palco-consent')!.click();
    await settle();
    buttonNamed(shadow, 'Iniciar sesión').click();
    await settle();
    expect(client.callsOf('login')).toEqual([
      [{ email: 'ana@empresa.com', password: 'codigo-2050' }],
      [{ email: 'ana@empresa.com', password: 'codigo-2050', consent: true }],
    ]);
  });

  it('tells someone the producer vouched for that the event is full and they are on the waitlist', async () => {
    const client = withQuestions();
    client.loginWithIdentity = async (identity) => {
      client.calls.push({ method: 'loginWithIdentity', args: [identity] });
      return { status: 'waitlisted', user: { id: 9, name: 'Ana', email: 'ana@empresa.com' } };
    };
    const heard = listen(['palco:waitlisted', 'palco:signed-in']);
    const { shadow } = await mount(markup('identity="signed.jwt.token"'), client);
    await settle();
    expect(heard.map((event) => event.type)).toEqual(['palco:waitlisted']);
    expect(text(shadow)).toContain('Estás en la lista de espera.');
  });
});
