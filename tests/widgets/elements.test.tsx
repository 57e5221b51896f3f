// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { ChatAttributes, defineElements, elements, RegisterAttributes, setClientFactory } from '../../packages/widgets/src/index.js';
import { FakeClient, listen, mount, settle, text, unmountAll } from './fake-client.js';

afterEach(unmountAll);

describe('the custom elements', () => {
  it('derive their observed attributes from one map per element', () => {
    expect(elements['palco-chat'].observedAttributes).toEqual(Object.values(ChatAttributes));
    expect(elements['palco-register'].observedAttributes).toEqual(['event', 'api', 'lang', 'identity']);
  });

  it('are defined once, and defining again leaves an existing definition alone', () => {
    defineElements();
    const chat = customElements.get('palco-chat');
    expect(() => defineElements()).not.toThrow();
    expect(customElements.get('palco-chat')).toBe(chat);
  });

  it('share one client per API and event across every element of a page', async () => {
    defineElements();
    const made: string[] = [];
    const client = new FakeClient();
    setClientFactory(({ api, event }) => {
      made.push(`${api} ${event}`);
      return client;
    });
    document.body.innerHTML = `
      <palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>
      <palco-qa event="lanzamiento" api="https://live.example.com/"></palco-qa>
      <palco-player event="lanzamiento" api="https://live.example.com"></palco-player>`;
    await settle();
    expect(made).toEqual(['https://live.example.com lanzamiento']);
    expect(client.callsOf('getEvent')).toHaveLength(1);
  });

  it('render inside an open shadow root, out of reach of the page’s CSS', async () => {
    const { shadow, element } = await mount('<palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>');
    expect(element.shadowRoot).toBe(shadow);
    expect(document.querySelector('palco-chat section')).toBeNull();
    expect(shadow.querySelector('section[part="panel"]')).not.toBeNull();
  });

  it('tell the page once per event session that it is ready and that it closed, however many widgets show it', async () => {
    const heard = listen(['palco:ready', 'palco:closed']);
    const client = new FakeClient();
    client.token = 'stored-token';
    await mount(
      `<palco-player event="lanzamiento" api="https://live.example.com"></palco-player>
       <palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>
       <palco-qa event="lanzamiento" api="https://live.example.com"></palco-qa>
       <palco-register event="lanzamiento" api="https://live.example.com"></palco-register>`,
      client,
    );
    client.welcome();
    await settle();
    expect(heard.map((event) => event.type)).toEqual(['palco:ready']);
    // The widget that spoke leaves the page: another one speaks for the session from then on.
    document.querySelector('palco-player')!.remove();
    client.emit('event_closed', { type: 'event_closed', message: 'Transmisión finalizada' });
    await settle();
    expect(heard.map((event) => event.type)).toEqual(['palco:ready', 'palco:closed']);
  });

  it('say what is missing without an event attribute', async () => {
    const { shadow } = await mount('<palco-qa></palco-qa>');
    expect(text(shadow)).toContain('Falta el atributo "event"');
  });

  it('follow a change of language', async () => {
    const { element, shadow } = await mount('<palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>');
    element.setAttribute('lang', 'en');
    await settle();
    expect(text(shadow)).toContain('Register or sign in to take part.');
  });

  it('reflect attributes as properties', async () => {
    const { element } = await mount<HTMLElement & { readonly: string | null; event: string }>(
      '<palco-chat event="lanzamiento" api="https://live.example.com"></palco-chat>',
    );
    expect(element.event).toBe('lanzamiento');
    (element as unknown as { readonly: boolean }).readonly = true;
    expect(element.hasAttribute('readonly')).toBe(true);
    expect(RegisterAttributes.identity).toBe('identity');
  });
});
