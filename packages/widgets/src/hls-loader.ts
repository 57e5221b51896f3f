/** The part of hls.js the player uses. */
export interface HlsPlayer {
  loadSource(url: string): void;
  attachMedia(media: HTMLMediaElement): void;
  on(event: string, listener: (event: string, data: { fatal?: boolean }) => void): void;
  destroy(): void;
}
export interface HlsConstructor {
  new (config?: Record<string, unknown>): HlsPlayer;
  isSupported(): boolean;
  readonly Events: { ERROR: string };
}
export type HlsLoader = () => Promise<HlsConstructor>;

const loads = new Map<string, Promise<HlsConstructor>>();
let customLoader: HlsLoader | null = null;

/**
 * hls.js, loaded from the backend next to embed.js and only when a stream needs it: it is
 * ten times the size of every widget together, and Safari and phones play HLS natively.
 */
export function loadHls(api: string): Promise<HlsConstructor> {
  if (customLoader) return customLoader();
  const url = new URL('/embed/hls.js', api).href;
  let load = loads.get(url);
  if (!load) {
    load = import(/* @vite-ignore */ url).then((module: { default: HlsConstructor }) => module.default);
    // A failed load may be retried later (the network came back).
    load.catch(() => loads.delete(url));
    loads.set(url, load);
  }
  return load;
}

/** For apps that bundle hls.js themselves (`() => import('hls.js').then((m) => m.default)`), and for tests. */
export function setHlsLoader(loader: HlsLoader | null): void {
  customLoader = loader;
}
