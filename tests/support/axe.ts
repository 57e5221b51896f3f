import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The levels DESIGN.md asks of every page and widget state: WCAG 2.2 AA. */
const runOnly: RunOptions['runOnly'] = { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] };

export interface AccessibilityReport {
  /** One line per failing element: rule, where, and what to fix. */
  violations: string[];
  /** How many texts axe measured for contrast, so an empty page cannot pass unseen. */
  contrastChecked: number;
}

/**
 * Runs axe-core on the page as it is now, open shadow roots included. Playwright's evaluate is
 * not an inline script, so the page's Content-Security-Policy stays on while it runs.
 */
export async function checkAccessibility(page: Page): Promise<AccessibilityReport> {
  await page.evaluate(axeSource);
  return page.evaluate(async (options) => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };
    const result = await axe.run(document, options);
    return {
      violations: result.violations.flatMap((rule) =>
        rule.nodes.map((node) => `${rule.id}: ${node.target.join(' > ')} (${node.failureSummary ?? ''})`),
      ),
      contrastChecked: result.passes.find((rule) => rule.id === 'color-contrast')?.nodes.length ?? 0,
    };
  }, { runOnly });
}
