import { demoEvent, type BootstrapReport } from './bootstrap.js';

/** The text lines inside a box drawn with box-drawing characters, as wide as the longest line. */
export function boxed(lines: readonly string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '─'.repeat(width + 2);
  return [`┌${rule}┐`, ...lines.map((line) => `│ ${line.padEnd(width)} │`), `└${rule}┘`].join('\n');
}

/**
 * What `palco serve` prints once it listens: the URL (the line scripts and tests wait for),
 * the demo event, and last, boxed so it stands out of `npm start`'s build output, the
 * administrator this start created, with a generated password shown this once only.
 */
export function startupBanner(url: string, report: BootstrapReport, demo: boolean): string {
  const lines = [`Palco is listening on ${url}`];
  if (report.demoCreated || demo) {
    lines.push(`Demo event: ${url}/e/${demoEvent.slug} (domain ${demoEvent.domain}, access code ${demoEvent.accessCode})`);
  }
  const admin = report.admin;
  if (admin) {
    lines.push(
      '',
      boxed(
        admin.generated
          ? [
              'Administrator created. Its password is shown only now: keep it.',
              '',
              `  sign in at  ${url}/admin/events`,
              `  email       ${admin.email}`,
              `  password    ${admin.password}`,
            ]
          : ['Administrator created.', '', `  sign in at  ${url}/admin/events`, `  email       ${admin.email}`, '  password    the one in ADMIN_PASSWORD'],
      ),
    );
  }
  return lines.join('\n');
}
