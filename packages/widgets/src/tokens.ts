/**
 * Palco's design tokens, defined once for the hosted pages (packages/backend/src/pages/styles.ts),
 * the widgets, the admin app and the report. Each token is a CSS custom property a producer
 * may set, `--palco-{name}` (docs/embedding.md, "Theming"); our style sheets read it through
 * `--_{name}`, which falls back to the value here.
 *
 * Contrast (WCAG 2.2 AA: 4.5:1 for text, 3:1 for large text and for the edges of controls),
 * computed by tokens.test.ts, which fails if a pair drops below its minimum:
 *
 * | pair                              | light  | dark   |
 * |-----------------------------------|--------|--------|
 * | fg on bg / page / surface         | 15.73 / 14.31 / 14.43 | 14.33 / 16.11 / 12.46 |
 * | muted on bg / page / surface      | 5.43 / 4.94 / 4.98    | 7.33 / 8.24 / 6.37    |
 * | accent on bg / page / surface     | 7.27 / 6.62 / 6.67    | 7.63 / 8.58 / 6.64    |
 * | accent-fg on accent               | 7.27   | 8.12   |
 * | accent on accent-surface          | 6.06   | 6.39   |
 * | danger on bg / danger-surface     | 6.57 / 6.05 | 8.56 / 8.81 |
 * | success on bg / success-surface   | 6.51 / 5.70 | 10.49 / 9.73 |
 * | warning on warning-surface        | 7.06   | 10.94  |
 * | fg on input-bg                    | 15.73  | 15.59  |
 * | input-border on bg (3:1)          | 3.10   | 4.35   |
 * | spotlight-fg on spotlight-bg      | 17.29  | 17.29  |
 * | player-fg / player-muted on player-bg | 15.56 / 8.87 | 15.56 / 8.87 |
 */

/**
 * The colour tokens; every pair of them a person reads is checked for contrast. `color-scheme`
 * tells the browser how to draw what we do not style (scrollbars, a select's menu).
 */
export const colourTokens = [
  'color-scheme',
  'accent', 'accent-fg', 'accent-surface',
  'page', 'bg', 'fg', 'muted', 'surface', 'border',
  'input-bg', 'input-border',
  'danger', 'danger-surface', 'success', 'success-surface', 'warning', 'warning-surface',
  'spotlight-bg', 'spotlight-fg', 'player-bg', 'player-fg', 'player-muted',
] as const;
export type ColourToken = (typeof colourTokens)[number];
export type Palette = Readonly<Record<ColourToken, string>>;

/** The widgets' colours on any page, and the hosted pages' in a light colour scheme. */
export const lightPalette: Palette = {
  'color-scheme': 'light',
  accent: '#5b3cc4',
  'accent-fg': '#ffffff',
  'accent-surface': '#ece8fb',
  page: '#f3f4f8',
  bg: '#ffffff',
  fg: '#1d2330',
  muted: '#5f6b7a',
  surface: '#f4f5f8',
  border: '#dde1e8',
  'input-bg': '#ffffff',
  'input-border': '#8a93a3',
  danger: '#b42318',
  'danger-surface': '#fef3f2',
  success: '#0d6b4c',
  'success-surface': '#e3f4e8',
  warning: '#6b4e00',
  'warning-surface': '#fff4d6',
  'spotlight-bg': '#1d1537',
  'spotlight-fg': '#ffffff',
  'player-bg': '#0d1117',
  'player-fg': '#e6e9ef',
  'player-muted': '#aab2c0',
};

/** The hosted pages' colours when the reader's system asks for a dark scheme. */
export const darkPalette: Palette = {
  'color-scheme': 'dark',
  accent: '#b4a5f5',
  'accent-fg': '#15172a',
  'accent-surface': '#2e2650',
  page: '#111218',
  bg: '#1c1e26',
  fg: '#eceef4',
  muted: '#a7acbb',
  surface: '#262936',
  border: '#3a3e4c',
  'input-bg': '#14161c',
  'input-border': '#7c8296',
  danger: '#fda29b',
  'danger-surface': '#2b1614',
  success: '#6ce3b0',
  'success-surface': '#12291f',
  warning: '#ffd57a',
  'warning-surface': '#2e2410',
  'spotlight-bg': '#1d1537',
  'spotlight-fg': '#ffffff',
  'player-bg': '#0d1117',
  'player-fg': '#e6e9ef',
  'player-muted': '#aab2c0',
};

/**
 * Type, spacing and radius. Sizes of the type scale are relative to the base (`font-size`),
 * so a producer who sets `--palco-font-size` scales every text with it.
 */
export const shapeTokens = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  'font-mono': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  'font-size': '16px',
  'line-height': '1.5',
  'text-xs': '.78em',
  'text-sm': '.875em',
  'text-lg': '1.15em',
  'text-xl': '1.4em',
  'text-2xl': '1.75em',
  'space-1': '4px',
  'space-2': '8px',
  'space-3': '12px',
  'space-4': '16px',
  'space-5': '24px',
  'space-6': '32px',
  gap: 'var(--_space-3)',
  radius: '12px',
  'radius-sm': 'calc(var(--_radius) * .6)',
  'radius-pill': '999px',
} as const;
export type ShapeToken = keyof typeof shapeTokens;

/**
 * `--_accent: var(--palco-accent, #5b3cc4);` and so on for every token: where a style sheet
 * starts (the widgets' shadow wrapper, the hosted pages' :root), so whatever `--palco-*` the
 * page sets wins and the rest keep their defaults.
 */
export function tokenDeclarations(palette: Palette = lightPalette): string {
  const entries: Array<[string, string]> = [...Object.entries(palette), ...Object.entries(shapeTokens)];
  return entries.map(([name, value]) => `--_${name}: var(--palco-${name}, ${value});`).join('\n');
}

/** `--palco-accent: #b4a5f5;` and so on: a whole palette set the way a producer would set it. */
export function paletteDeclarations(palette: Palette): string {
  return Object.entries(palette)
    .map(([name, value]) => `--palco-${name}: ${value};`)
    .join('\n');
}
