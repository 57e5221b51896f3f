/**
 * Styles every element shares. Everything a producer may theme is a custom property with a
 * default that looks good alone; parts (::part) name the pieces worth restyling.
 */
export const baseStyles = `
:host {
  --_accent: var(--palco-accent, #5b3cc4);
  --_accent-fg: var(--palco-accent-fg, #fff);
  --_bg: var(--palco-bg, #fff);
  --_fg: var(--palco-fg, #1d2330);
  --_muted: var(--palco-muted, #5f6b7a);
  --_surface: var(--palco-surface, #f4f5f8);
  --_border: var(--palco-border, #dde1e8);
  --_danger: var(--palco-danger, #b42318);
  --_radius: var(--palco-radius, 12px);
  --_gap: var(--palco-gap, 12px);
  display: block;
  box-sizing: border-box;
  min-width: 0;
  color: var(--_fg);
  font-family: var(--palco-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  font-size: var(--palco-font-size, 15px);
  line-height: 1.45;
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.root { height: 100%; }
.panel {
  display: flex; flex-direction: column; gap: var(--_gap); height: 100%; min-height: 0;
  padding: 16px; background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
}
.panel-header { display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
h2 { margin: 0; font-size: 1.1em; font-weight: 700; }
h3 { margin: 0; font-size: .95em; font-weight: 700; color: var(--_muted); }
p { margin: 0; }
button {
  font: inherit; font-weight: 600; cursor: pointer; padding: .5em 1em; min-height: 2.4em;
  color: var(--_accent-fg); background: var(--_accent);
  border: 1px solid var(--_accent); border-radius: calc(var(--_radius) * .6);
}
button.secondary { color: var(--_accent); background: transparent; border-color: var(--_border); }
button.danger { color: var(--_danger); background: transparent; border-color: currentColor; }
button.small { font-size: .85em; padding: .3em .7em; min-height: 2em; }
button:disabled { opacity: .55; cursor: not-allowed; }
button[aria-pressed="true"] { background: var(--_accent); color: var(--_accent-fg); border-color: var(--_accent); }
:focus-visible { outline: 3px solid color-mix(in srgb, var(--_accent) 55%, transparent); outline-offset: 2px; }
label { display: block; margin-bottom: 4px; font-size: .9em; font-weight: 600; }
input, textarea {
  width: 100%; font: inherit; color: var(--_fg); background: var(--palco-input-bg, #fff);
  padding: .55em .7em; border: 1px solid var(--_border); border-radius: calc(var(--_radius) * .6);
}
textarea { resize: vertical; min-height: 2.6em; }
[aria-invalid="true"] { border-color: var(--_danger); }
.field-error, .form-error { color: var(--_danger); font-size: .88em; margin-top: 4px; }
.hint { color: var(--_muted); font-size: .88em; }
.notice {
  padding: 14px 16px; border-radius: calc(var(--_radius) * .75);
  background: var(--_surface); color: var(--_muted);
}
.notice strong { display: block; color: var(--_fg); font-size: 1.05em; margin-bottom: 2px; }
.notice.error { color: var(--_danger); background: color-mix(in srgb, var(--_danger) 8%, var(--_bg)); }
.banner { padding: 6px 10px; border-radius: 8px; font-size: .88em; background: #fff4d6; color: #6b4e00; }
.list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.meta { color: var(--_muted); font-size: .82em; }
.author { font-weight: 700; unicode-bidi: isolate; overflow-wrap: anywhere; }
.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: .78em; font-weight: 600;
  background: var(--_surface); color: var(--_muted);
}
.badge.accent { background: color-mix(in srgb, var(--_accent) 14%, var(--_bg)); color: var(--_accent); }
.row { display: flex; gap: 8px; align-items: flex-end; }
.row > :first-child { flex: 1; min-width: 0; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
`;

const sheets = new Map<string, CSSStyleSheet>();

/**
 * Constructed style sheets where the browser has them: shared by every instance, and not
 * blocked by a page's Content-Security-Policy the way a <style> element would be.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}
