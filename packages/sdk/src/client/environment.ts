/** Where the client logs; `console` fits. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export const silentLogger: Logger = {
  debug() {},
  warn() {},
  error() {},
};

/** The clock, injectable so tests can drive it. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch, for measuring visible time; `Date.now()` when absent. */
  now?(): number;
}

/** Looks the globals up on every call, so fake timers installed after createClient still apply. */
export const globalTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
};

/** What the page tells the client: whether someone is looking, and when the network returns. */
export interface PageSignals {
  isVisible(): boolean;
  /** Calls `listener` each time the page becomes visible; returns the unsubscribe function. */
  onVisible(listener: () => void): () => void;
  /** Calls `listener` each time the page is hidden (another tab, minimized); returns the unsubscribe function. */
  onHidden?(listener: () => void): () => void;
  /** Calls `listener` each time the browser comes back online; returns the unsubscribe function. */
  onOnline(listener: () => void): () => void;
}

/** Outside a browser (Node, a bot) the page is always "visible" and never goes offline. */
export const headlessPageSignals: PageSignals = {
  isVisible: () => true,
  onVisible: () => () => {},
  onOnline: () => () => {},
};

/** The part of a browser window the page signals read (declared here so Node users need no DOM types). */
interface EventSource {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}
export interface BrowserWindow extends EventSource {
  document: EventSource & { readonly visibilityState: string };
}

function onVisibility(document: BrowserWindow['document'], visible: boolean, listener: () => void): () => void {
  const handler = () => {
    if ((document.visibilityState === 'visible') === visible) listener();
  };
  document.addEventListener('visibilitychange', handler);
  return () => document.removeEventListener('visibilitychange', handler);
}

export function browserPageSignals(window: BrowserWindow): PageSignals {
  const document = window.document;
  return {
    isVisible: () => document.visibilityState === 'visible',
    onVisible: (listener) => onVisibility(document, true, listener),
    onHidden: (listener) => onVisibility(document, false, listener),
    onOnline(listener) {
      window.addEventListener('online', listener);
      return () => window.removeEventListener('online', listener);
    },
  };
}

export function defaultPageSignals(): PageSignals {
  const window = (globalThis as { window?: BrowserWindow }).window;
  return window?.document && typeof window.addEventListener === 'function'
    ? browserPageSignals(window)
    : headlessPageSignals;
}
