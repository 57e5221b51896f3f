// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import type { AdminEvent, PalcoAdminClient, Webhook, WebhookCreateInput } from '@palco/sdk';
import type { AdminContext } from '../../packages/widgets/src/admin/context.js';
import { adminTexts } from '../../packages/widgets/src/admin/texts.js';
import { WebhooksSection } from '../../packages/widgets/src/admin/webhooks.js';
import { buttonNamed, settle, text, typeInto } from './fake-client.js';

/** A promise the test settles when it chooses: a slow answer from the server. */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * The server's webhooks for one event. The first list is answered only when the test says so, and
 * with what the server held when the request arrived: before anything was added.
 */
class SlowListServer {
  webhooks: Webhook[] = [];
  lists = 0;
  readonly firstList = later<Webhook[]>();

  client = {
    listWebhooks: async () => {
      this.lists += 1;
      return this.lists === 1 ? this.firstList.promise : [...this.webhooks];
    },
    createWebhook: async (_eventId: number, input: WebhookCreateInput) => {
      const webhook: Webhook = { id: this.webhooks.length + 1, event_id: 7, url: input.url, topics: input.topics, active: true, secret: 's'.repeat(64) };
      this.webhooks.push(webhook);
      return webhook;
    },
    listDeliveries: async () => ({ items: [], next_cursor: null }),
  } as unknown as PalcoAdminClient;
}

function context(server: SlowListServer): AdminContext {
  return { client: server.client, lang: 'es', texts: adminTexts('es'), api: 'https://live.example.com', navigate() {}, href: () => '#' };
}

const event = { id: 7, slug: 'lanzamiento' } as AdminEvent;
const root = () => document.body.querySelector('div')!;

/** Shows the event's webhooks as `server` answers them. */
function showWebhooks(server: SlowListServer) {
  document.body.innerHTML = '<div></div>';
  render(<WebhooksSection context={context(server)} event={event} />, root());
}

/** Types a URL into the form and lets the form take it in. */
async function typeUrl(url = 'https://hooks.acme.example/palco') {
  typeInto(root().querySelector<HTMLInputElement>('#webhook-url')!, url);
  await settle();
}

afterEach(() => {
  render(null, root());
  document.body.innerHTML = '';
});

describe('the admin’s lists', () => {
  it('keeps a webhook added while the first list is still on its way, even when that list answers from before it was added', async () => {
    const server = new SlowListServer();
    showWebhooks(server);
    await settle();
    await typeUrl();
    buttonNamed(root(), 'Añadir webhook').click();
    await settle();
    expect(root().querySelectorAll('li.webhook')).toHaveLength(1);

    // The list asked for before the webhook was added answers now, empty.
    server.firstList.resolve([]);
    await settle(6);
    expect([...root().querySelectorAll('li.webhook')].map((item) => item.getAttribute('aria-label'))).toEqual(['https://hooks.acme.example/palco']);
    expect(text(root())).not.toContain('Todavía no hay webhooks');
    expect(server.lists).toBe(2);
  });

  it('does not load again for a change made once the list is in', async () => {
    const server = new SlowListServer();
    showWebhooks(server);
    server.firstList.resolve([]);
    await settle();
    await typeUrl();
    buttonNamed(root(), 'Añadir webhook').click();
    await settle(6);
    expect(root().querySelectorAll('li.webhook')).toHaveLength(1);
    expect(server.lists).toBe(1);
  });
});

describe('the admin’s lists, a change that outlasts the first list', () => {
  it('keeps the listed webhooks when one is added before the first list answers and the addition is answered after it', async () => {
    const server = new SlowListServer();
    const existing: Webhook = { id: 1, event_id: 7, url: 'https://hooks.acme.example/existente', topics: ['user_registered'], active: true, secret: 's'.repeat(64) };
    server.webhooks.push(existing);
    const creation = later<void>();
    const create = server.client.createWebhook.bind(server.client);
    server.client.createWebhook = async (eventId: number, input: WebhookCreateInput) => {
      await creation.promise;
      return create(eventId, input);
    };
    showWebhooks(server);
    await settle();
    await typeUrl();
    // Added while the first list is on its way; the server answers the list first, then the addition.
    buttonNamed(root(), 'Añadir webhook').click();
    await settle();
    server.firstList.resolve([existing]);
    await settle(6);
    creation.resolve();
    await settle(6);
    expect([...root().querySelectorAll('li.webhook')].map((item) => item.getAttribute('aria-label'))).toEqual([
      'https://hooks.acme.example/existente',
      'https://hooks.acme.example/palco',
    ]);
  });
});
