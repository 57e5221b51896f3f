import type { TokenStorage } from './storage.js';

/** The signed-in user's token, kept in the caller's storage under one key. */
export interface Session {
  token(): string | null;
  setToken(token: string | null): void;
}

export function createSession(storage: TokenStorage, key: string): Session {
  return {
    token: () => storage.getItem(key),
    setToken(token) {
      if (token) storage.setItem(key, token);
      else storage.removeItem(key);
    },
  };
}
