import { createClient, type Lang } from '@palco/sdk';
import { EventSession, type WidgetClient } from './event-session.js';

export interface ClientOptions {
  /** The backend's URL. */
  api: string;
  event: string;
  lang: Lang;
}
export type ClientFactory = (options: ClientOptions) => WidgetClient;

const defaultFactory: ClientFactory = ({ api, event, lang }) => createClient({ baseUrl: api, event, lang });

let clientFactory = defaultFactory;
const sessions = new Map<string, EventSession>();

function sessionKey(api: string, event: string): string {
  return `${new URL(api, globalThis.location?.href).origin}\n${event}`;
}

/**
 * The one session (client, socket and state) that every element of a page shares for an
 * API and event: a chat and a Q&A side by side open one socket, not two.
 */
export function eventSession(options: ClientOptions): EventSession {
  const key = sessionKey(options.api, options.event);
  let session = sessions.get(key);
  if (!session) {
    const apiOrigin = new URL(options.api, globalThis.location?.href).origin;
    session = new EventSession(clientFactory(options), {
      // On the backend's own origin (the hosted pages) the HttpOnly cookie is the session.
      sameOrigin: apiOrigin === globalThis.location?.origin,
      socketOrigin: apiOrigin.replace(/^http/, 'ws'),
      // embed.js is what every producer's page already loads across origins (its CORP allows it).
      serverAnswers: () =>
        fetch(`${apiOrigin}/embed.js`, { method: 'HEAD', mode: 'no-cors', cache: 'no-store' }).then(
          () => true,
          () => false,
        ),
    });
    sessions.set(key, session);
  }
  return session;
}

/** For tests and for hosts that build the client themselves; forgets every session made so far. */
export function setClientFactory(factory: ClientFactory | null): void {
  for (const session of sessions.values()) session.dispose();
  sessions.clear();
  clientFactory = factory ?? defaultFactory;
}
