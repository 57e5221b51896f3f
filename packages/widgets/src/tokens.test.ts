import { describe, expect, it } from 'vitest';
import { darkPalette, lightPalette, tokenDeclarations, type ColourToken, type Palette } from './tokens.js';

/** Relative luminance of an sRGB colour written #rrggbb (WCAG 2.2, "relative luminance"). */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2 contrast ratio, from 1 to 21. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Every foreground a person reads (or must see, for control edges) on the backgrounds it meets, with its minimum. */
const pairs: Array<[ColourToken, ColourToken, number]> = [
  ['fg', 'bg', 4.5], ['fg', 'page', 4.5], ['fg', 'surface', 4.5], ['fg', 'input-bg', 4.5],
  ['muted', 'bg', 4.5], ['muted', 'page', 4.5], ['muted', 'surface', 4.5],
  ['accent', 'bg', 4.5], ['accent', 'page', 4.5], ['accent', 'surface', 4.5], ['accent', 'accent-surface', 4.5],
  ['accent-fg', 'accent', 4.5],
  ['danger', 'bg', 4.5], ['danger', 'danger-surface', 4.5],
  ['success', 'bg', 4.5], ['success', 'success-surface', 4.5],
  ['warning', 'warning-surface', 4.5],
  ['spotlight-fg', 'spotlight-bg', 4.5],
  ['player-fg', 'player-bg', 4.5], ['player-muted', 'player-bg', 4.5],
  // WCAG 1.4.11: the edge of a text box, and the focus ring, against what surrounds them.
  ['input-border', 'bg', 3], ['accent', 'bg', 3],
];

describe.each([
  ['light', lightPalette],
  ['dark', darkPalette],
] as Array<[string, Palette]>)('the %s palette', (_name, palette) => {
  it.each(pairs)('%s on %s is readable (at least %s:1)', (foreground, background, minimum) => {
    expect(contrast(palette[foreground], palette[background])).toBeGreaterThanOrEqual(minimum);
  });
});

describe('token declarations', () => {
  it('let a producer’s --palco-* value win over each default', () => {
    const css = tokenDeclarations();
    expect(css).toContain('--_accent: var(--palco-accent, #5b3cc4);');
    expect(css).toContain('--_radius: var(--palco-radius, 12px);');
    expect(css).toContain('--_text-sm: var(--palco-text-sm, .875em);');
  });
});

