import { defaultLang, type Lang } from '../protocol/texts.js';
import { createAdminApi, type AdminApi } from './admin-api.js';
import { resolveEndpoints } from './endpoints.js';
import { createHttpTransport, globalFetch, type FetchFunction } from './http.js';
import { createSession } from './session.js';
import { adminTokenStorageKey, memoryStorage, type TokenStorage } from './storage.js';

export interface AdminClientOptions {
  /** The backend, e.g. "https://live.example.com"; a relative URL means the page's own origin. */
  baseUrl: string;
  fetch?: FetchFunction;
  /**
   * Where the token is kept; memory by default. In a browser on the backend's own origin the
   * HttpOnly session cookie signs the requests, so no script ever needs to hold the token.
   */
  storage?: TokenStorage;
  /** Language of the server's messages; Spanish by default. */
  lang?: Lang;
  /** A session token to start with. */
  token?: string;
}

/** The administrators' client: every event, its staff, webhooks and moderation log, no socket. */
export interface PalcoAdminClient extends AdminApi {
  readonly lang: Lang;
  readonly token: string | null;
  setToken(token: string | null): void;
}

export function createAdminClient(options: AdminClientOptions): PalcoAdminClient {
  if (typeof options?.baseUrl !== 'string') throw new TypeError('createAdminClient: `baseUrl` is required');
  const lang = options.lang ?? defaultLang;
  const endpoints = resolveEndpoints(options.baseUrl);
  const session = createSession(options.storage ?? memoryStorage(), adminTokenStorageKey(endpoints.origin));
  if (options.token) session.setToken(options.token);
  const http = createHttpTransport({ httpBase: endpoints.httpBase, fetch: options.fetch ?? globalFetch, lang, getToken: session.token });
  return {
    ...createAdminApi(http, session),
    lang,
    get token() {
      return session.token();
    },
    setToken: session.setToken,
  };
}
