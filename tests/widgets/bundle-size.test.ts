import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedFile, ensureWidgetsBuilt, moderationFile, reportsFile, widgetsDir } from './built-widgets.js';
const budgetBytes = 35 * 1024;

describe('embed.js', () => {
  let source = '';
  beforeAll(() => {
    ensureWidgetsBuilt();
    source = readFileSync(embedFile, 'utf8');
  }, 120_000);

  it(`stays within ${budgetBytes / 1024} KB gzipped`, () => {
    const gzipped = gzipSync(source, { level: 9 }).length;
    console.info(`embed.js: ${source.length} bytes, ${gzipped} gzipped`);
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  });

  it('is one classic script that defines only the elements not yet defined', () => {
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    expect(source).toContain('customElements');
    for (const tag of ['palco-register', 'palco-player', 'palco-chat', 'palco-qa', 'palco-speaker-board', 'palco-polls']) {
      expect(source).toContain(tag);
    }
  });

  it('leaves hls.js out, to be loaded from its own URL when a stream needs it', () => {
    expect(source).toContain('/embed/hls.js');
    expect(source).not.toContain('MANIFEST_PARSED');
    expect(readFileSync(`${widgetsDir}dist/hls.js`, 'utf8')).toContain('MANIFEST_PARSED');
  });

  it('leaves the polls\' views (the moderators\' panel, the board\'s display, the word cloud) to poll-views.js, loaded where a poll shows', () => {
    expect(source).toContain('/embed/poll-views.js');
    expect(source).not.toContain('cloud-word');
    const views = readFileSync(`${widgetsDir}dist/poll-views.js`, 'utf8');
    expect(views).toContain('cloud-word');
    expect(views).toContain('palco-new-poll');
  });

  it('leaves <palco-mod-queue> and <palco-poll-panel> to moderation.js, the moderators\' own script', () => {
    expect(source).not.toContain('palco-mod-queue');
    expect(source).not.toContain('palco-poll-panel');
    const moderation = readFileSync(moderationFile, 'utf8');
    expect(moderation).not.toMatch(/^\s*(import|export)\s/m);
    expect(moderation).toContain('palco-mod-queue');
    expect(moderation).toContain('palco-poll-panel');
  });

  it('leaves uPlot and <palco-report> to reports.js, the report page\'s own script', () => {
    expect(source).not.toContain('palco-report');
    expect(source).not.toContain('u-legend');
    const reports = readFileSync(reportsFile, 'utf8');
    expect(reports).not.toMatch(/^\s*(import|export)\s/m);
    expect(reports).toContain('palco-report');
    expect(reports).toContain('u-legend');
  });
});
