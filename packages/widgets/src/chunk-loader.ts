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

/** Renders a text as SVG markup of its QR code (dist/qr-code.js, from src/qr-code.ts). */
export type QrCodeRenderer = (text: string) => Promise<string>;
export type QrCodeLoader = () => Promise<QrCodeRenderer>;

const loads = new Map<string, Promise<unknown>>();
let customHlsLoader: HlsLoader | null = null;
let customQrCodeLoader: QrCodeLoader | null = null;

/**
 * The default export of a module the backend serves beside embed.js (`/embed/{file}`),
 * imported once per URL. A failed load may be retried later (the network came back).
 */
function loadChunk<T>(api: string, file: string): Promise<T> {
  const url = new URL(`/embed/${file}`, api).href;
  let load = loads.get(url) as Promise<T> | undefined;
  if (!load) {
    load = import(/* @vite-ignore */ url).then((module: { default: T }) => module.default);
    load.catch(() => loads.delete(url));
    loads.set(url, load);
  }
  return load;
}

/**
 * hls.js, loaded from the backend next to embed.js and only when a stream needs it: it is
 * ten times the size of every widget together, and Safari and phones play HLS natively.
 */
export function loadHls(api: string): Promise<HlsConstructor> {
  if (customHlsLoader) return customHlsLoader();
  return loadChunk<HlsConstructor>(api, 'hls.js');
}

/** For apps that bundle hls.js themselves (`() => import('hls.js').then((m) => m.default)`), and for tests. */
export function setHlsLoader(loader: HlsLoader | null): void {
  customHlsLoader = loader;
}

/** The QR code renderer of the speaker board's presentation, loaded the first time it shows the join address. */
export function loadQrCode(api: string): Promise<QrCodeRenderer> {
  if (customQrCodeLoader) return customQrCodeLoader();
  return loadChunk<QrCodeRenderer>(api, 'qr-code.js');
}

/** For apps that bundle qrcode themselves (`(text) => QRCode.toString(text, { type: 'svg' })`), and for tests. */
export function setQrCodeLoader(loader: QrCodeLoader | null): void {
  customQrCodeLoader = loader;
}
