import { tokenDeclarations } from './tokens.js';

/**
 * Styles every element shares. Everything a producer may theme is a custom property with a
 * default that looks good alone; parts (::part) name the pieces worth restyling.
 */
export const baseStyles = `
:host { display: block; box-sizing: border-box; min-width: 0; }
:host([hidden]) { display: none; }
/*
 * The page's inherited text properties (alignment, case, spacing, font, colour, direction…)
 * stop here: rules a page aims at the element itself beat :host, so the wrapper inside the
 * shadow root resets everything and sets our own. Custom properties still inherit, so
 * --palco-* keeps theming.
 */
.root {
  all: initial;
  ${tokenDeclarations()}
  display: block; height: 100%; direction: ltr; unicode-bidi: isolate; color-scheme: var(--_color-scheme);
  color: var(--_fg); font-family: var(--_font); font-size: var(--_font-size); line-height: var(--_line-height);
}
*, *::before, *::after { box-sizing: border-box; }
/*
 * What people write (a chat line, a question, a poll's options, a name, the box being typed
 * in) may be Arabic or Hebrew: each block and each inline piece takes its direction from its
 * own first letter, as dir="auto" would, so "مرحبا!" ends on its left inside our ltr widgets.
 * Inline pieces are isolated, so a name never turns the line around it.
 */
* { unicode-bidi: plaintext; }
.panel {
  display: flex; flex-direction: column; gap: var(--_gap); height: 100%; min-height: 0;
  padding: var(--_space-4); background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
}
.panel-header { display: flex; align-items: center; justify-content: space-between; gap: var(--_space-2); flex-wrap: wrap; }
h2 { margin: 0; font-size: var(--_text-lg); font-weight: 700; }
h3 { margin: 0; font-size: var(--_text-sm); font-weight: 700; color: var(--_muted); }
p { margin: 0; }
button {
  font: inherit; font-weight: 600; cursor: pointer; padding: .5em 1em; min-height: 2.5em;
  color: var(--_accent-fg); background: var(--_accent);
  border: 1px solid var(--_accent); border-radius: var(--_radius-sm);
}
button.secondary { color: var(--_accent); background: transparent; border-color: var(--_input-border); }
button.danger { color: var(--_danger); background: transparent; border-color: currentColor; }
button.small { font-size: var(--_text-sm); padding: .3em .75em; min-height: 2.25em; }
button:disabled { opacity: .55; cursor: not-allowed; }
button[aria-pressed="true"] { background: var(--_accent); color: var(--_accent-fg); border-color: var(--_accent); }
:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
label { display: block; margin-bottom: var(--_space-1); font-size: var(--_text-sm); font-weight: 600; }
input, textarea {
  width: 100%; font: inherit; color: var(--_fg); background: var(--_input-bg);
  padding: .55em .7em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm);
}
textarea { resize: vertical; min-height: 2.6em; }
[aria-invalid="true"] { border-color: var(--_danger); border-width: 2px; }
.field-error, .form-error { color: var(--_danger); font-size: var(--_text-sm); font-weight: 600; margin-top: var(--_space-1); }
.hint { color: var(--_muted); font-size: var(--_text-sm); }
/* Hints, notices and errors quote what people typed (an email, a reason): a long one wraps instead of widening the widget. */
.field-error, .form-error, .hint, .notice, .banner { overflow-wrap: anywhere; }
.notice {
  padding: var(--_space-3) var(--_space-4); border-radius: var(--_radius-sm);
  background: var(--_surface); color: var(--_muted);
}
.notice strong { display: block; color: var(--_fg); font-size: var(--_text-lg); margin-bottom: 2px; }
.notice.error { color: var(--_danger); background: var(--_danger-surface); }
.banner { padding: 6px 10px; border-radius: var(--_radius-sm); font-size: var(--_text-sm); background: var(--_warning-surface); color: var(--_warning); }
.list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: var(--_space-2); }
.meta { color: var(--_muted); font-size: var(--_text-sm); }
.author { font-weight: 700; overflow-wrap: anywhere; }
.badge {
  display: inline-block; padding: 1px 8px; border-radius: var(--_radius-pill); font-size: var(--_text-xs); font-weight: 600;
  background: var(--_surface); color: var(--_muted);
}
.badge.accent { background: var(--_accent-surface); color: var(--_accent); }
.row { display: flex; gap: var(--_space-2); align-items: flex-end; }
.row > :first-child { flex: 1; min-width: 0; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
/* The composer's own lines, on their way or refused: apart from the conversation, dashed. */
.composed .line { padding: 6px 10px; border-radius: var(--_radius-sm); border: 1px dashed var(--_muted); display: flex; flex-wrap: wrap; gap: 4px 10px; justify-content: space-between; align-items: baseline; }
.composed .line .text { flex: 1 1 12em; min-width: 0; }
.answer { margin-top: 6px; padding: 6px 10px; border-radius: var(--_radius-sm); background: var(--_accent-surface); white-space: pre-wrap; overflow-wrap: anywhere; }
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
