import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const widgetsDir = fileURLToPath(new URL('../../packages/widgets/', import.meta.url));
export const embedFile = `${widgetsDir}dist/embed.js`;
export const reportsFile = `${widgetsDir}dist/reports.js`;
export const moderationFile = `${widgetsDir}dist/moderation.js`;

/** `npm test` builds first; a bare `vitest run` builds the widgets here when it has to. */
export function ensureWidgetsBuilt(): void {
  if (!existsSync(embedFile) || !existsSync(reportsFile) || !existsSync(moderationFile)) {
    execFileSync(process.execPath, [`${widgetsDir}scripts/build.mjs`], { cwd: widgetsDir, stdio: 'inherit' });
  }
}
