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
 * Why a page on another origin cannot read the event, if the backend answers at all. A
 * browser hides a CORS refusal behind the same network error as a backend that is down; but
 * embed.js is served to every origin (`Access-Control-Allow-Origin: *`) while the event only
 * answers its allowed origins, so a backend that serves the one and not the other refused
 * this page: the slug names no event, or this origin is not among the event's allowed_origins.
 */
async function corsRefusal(api: string, event: string): Promise<string | null> {
  try {
    const response = await fetch(new URL('/embed.js', api), { method: 'HEAD', cache: 'no-store' });
    if (!response.ok) return null;
  } catch {
    return null;
  }
  const page = globalThis.location.origin;
  return (
    `Palco: ${api} does not let ${page} read the event "${event}". Either no event has that slug, ` +
    `or ${page} is missing from the event's allowed_origins (PATCH /api/admin/events/{id}).`
  );
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
    const sameOrigin = apiOrigin === globalThis.location?.origin;
    session = new EventSession(clientFactory(options), {
      // On the backend's own origin (the hosted pages) the HttpOnly cookie is the session.
      sameOrigin,
      explainRefusal: sameOrigin ? undefined : () => corsRefusal(apiOrigin, options.event),
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
