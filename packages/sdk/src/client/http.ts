import { ErrorCode } from '../protocol/codes.js';
import { parseOwnJson, writeOwnJson } from '../protocol/own-data.js';
import type { Lang } from '../protocol/texts.js';
import { errorFromResponse, localError } from './errors.js';

/** The part of fetch the client uses; the global fetch and its polyfills fit. */
export type FetchFunction = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | null },
) => Promise<FetchResponse>;

/** The global fetch, looked up on each call so a polyfill installed later is used. */
export const globalFetch: FetchFunction = (input, init) => globalThis.fetch(input, init);

export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** How a successful response is read. */
export type ResponseKind = 'json' | 'text' | 'empty';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  expect?: ResponseKind;
}

export interface HttpTransport {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

export interface HttpTransportOptions {
  httpBase: string;
  fetch: FetchFunction;
  lang: Lang;
  /** Read on every request, so a login takes effect on the next call. */
  getToken(): string | null;
}

function withQuery(url: string, query: RequestOptions['query']): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

/** The body as JSON whose objects a page's `Object.prototype` cannot reach (see ownData); undefined when it is not JSON. */
async function readJson(response: FetchResponse): Promise<unknown> {
  try {
    return parseOwnJson(await response.text());
  } catch {
    return undefined;
  }
}

/** JSON over fetch: auth and language headers on every call, every failure a PalcoError. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  return {
    async request<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = {
        Accept: request.expect === 'text' ? 'text/csv, text/plain, */*' : 'application/json',
        'Accept-Language': options.lang,
      };
      const token = options.getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
      if (request.body !== undefined) headers['Content-Type'] = 'application/json';

      let response: FetchResponse;
      try {
        response = await options.fetch(withQuery(`${options.httpBase}${path}`, request.query), {
          method,
          headers,
          body: request.body === undefined ? null : writeOwnJson(request.body),
        });
      } catch {
        throw localError(ErrorCode.networkError, options.lang);
      }

      if (!response.ok) throw errorFromResponse(response.status, await readJson(response), options.lang);
      if (request.expect === 'empty') return undefined as T;
      if (request.expect === 'text') return (await response.text()) as T;
      const body = await readJson(response);
      if (body === undefined) throw localError(ErrorCode.internalError, options.lang);
      return body as T;
    },
  };
}
