/**
 * Where the widgets find the backend when no `api` attribute says: the origin embed.js was
 * loaded from, read while the script runs (later `currentScript` is gone), else the page's own.
 */
function scriptOrigin(): string {
  const script = typeof document === 'undefined' ? null : document.currentScript;
  if (script && 'src' in script && typeof script.src === 'string' && script.src) return new URL(script.src).origin;
  return globalThis.location?.origin ?? '';
}

export const defaultApi = scriptOrigin();
