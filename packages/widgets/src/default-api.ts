/** The scripts a backend serves that define elements (see docs/embedding.md, Size and caching). */
const palcoScript = /\/(embed|moderation|reports)\.js$/;

/**
 * Where the widgets find the backend when no `api` attribute says: the origin embed.js was
 * loaded from, read while the script runs (later `currentScript` is gone), else the page's own.
 * A page that loads it with `type="module"` has no `currentScript`: then the first script tag
 * whose path is one of Palco's scripts says.
 */
function scriptOrigin(): string {
  if (typeof document === 'undefined') return globalThis.location?.origin ?? '';
  const current = document.currentScript;
  const script =
    current instanceof HTMLScriptElement && current.src
      ? current
      : [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((tag) => palcoScript.test(new URL(tag.src).pathname));
  return script ? new URL(script.src).origin : globalThis.location.origin;
}

export const defaultApi = scriptOrigin();
