/** Where the session token is kept; `localStorage` and `sessionStorage` fit. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** The page's localStorage when it is usable (it throws in some sandboxed frames), else memory. */
export function defaultStorage(): TokenStorage {
  try {
    const storage = (globalThis as { localStorage?: TokenStorage }).localStorage;
    if (storage) {
      storage.getItem('palco:probe');
      return storage;
    }
  } catch {
    // Blocked storage behaves like none: the session lasts as long as the page.
  }
  return memoryStorage();
}

/** One token per API origin and event, so two events (or two backends) never share a session. */
export function tokenStorageKey(apiOrigin: string, eventSlug: string): string {
  return `palco:${apiOrigin}:${eventSlug}:token`;
}

/** The global administrator's token; "#" appears in no origin or slug, so it never meets an event's key. */
export function adminTokenStorageKey(apiOrigin: string): string {
  return `palco:${apiOrigin}#admin:token`;
}
