import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedFile, ensureWidgetsBuilt, moderationFile, reportsFile, widgetsDir } from './built-widgets.js';
/**
 * 48 KiB (47.3 measured when set): text in right-to-left scripts takes its direction from its own
 * first letter (a plaintext bidi rule and the reset it replaces), and a poll answer or upvote
 * given while the connection is away waits for it and is sent once, as chat lines do. 47 KiB
 * (46.8 measured with both): the registration's and sign-in's refusals, named one by one
 * in both languages (a wrong access code or password, an email nobody registered, registration
 * closed, with the sign-in offered during a replay) and the email's domain checked before
 * sending, are what an attendee reads at the form, so they stay in embed.js; and (46.5 measured
 * before them) a chat line, question or poll answer sent while the connection is away
 * shows as waiting for it, a refused line the person cannot get back into a busy box is offered
 * below it, in Spanish and English, and the SDK's outbox waits out the connection and reopens a
 * socket that stops answering; before that 46 KiB (45.3 measured when set): the guards for hostile producer pages (frames and bodies
 * read and written as own data, Intl fallbacks, widgets that survive being moved, the CSP and
 * missing-WebSocket states) came after the journey. 45 KiB, up from 42: the attendee journey's waiting room (the start in the reader's zone,
 * countdown, calendar links), the replay line and the confirm-your-email notice with its
 * resend button, in Spanish and English, are read by attendees before anything else loads,
 * so they are not deferred to a chunk. Before that, 42 KiB, up from 35: embed.js now also carries the attendee's side of polls and reactions,
 * registration questions, consent and the waitlist, held and pinned chat, answers and topics,
 * the player's loading and error states and the screen-reader announcer. What only some pages
 * need (poll views and the word cloud, the whole speaker board, the QR code, hls.js, uPlot, the moderator queue and
 * poll panel) stays in chunks of its own (docs/embedding.md, "Size and caching").
 */
const budgetBytes = 48 * 1024;

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
    expect(source).toContain('/embed/');
    expect(source).toContain('"hls.js"');
    expect(source).not.toContain('MANIFEST_PARSED');
    expect(readFileSync(`${widgetsDir}dist/hls.js`, 'utf8')).toContain('MANIFEST_PARSED');
  });

  it('leaves the polls\' views (the moderators\' panel, the board\'s display, the word cloud) and the speaker board to poll-views.js, loaded where they show', () => {
    expect(source).toContain('/embed/poll-views.js');
    expect(source).not.toContain('cloud-word');
    expect(source).not.toContain('present-stage');
    const views = readFileSync(`${widgetsDir}dist/poll-views.js`, 'utf8');
    expect(views).toContain('cloud-word');
    expect(views).toContain('palco-new-poll');
    expect(views).toContain('present-stage');
  });

  it('leaves <palco-mod-queue> and <palco-poll-panel> to moderation.js, the moderators\' own script', () => {
    expect(source).not.toContain('palco-mod-queue');
    expect(source).not.toContain('palco-poll-panel');
    const moderation = readFileSync(moderationFile, 'utf8');
    expect(moderation).not.toMatch(/^\s*(import|export)\s/m);
    expect(moderation).toContain('palco-mod-queue');
    expect(moderation).toContain('palco-poll-panel');
  });

  it('leaves the qrcode library out, to be loaded from its own URL when the speaker board presents', () => {
    // The speaker board itself is in poll-views.js, which imports the QR code when it presents.
    const views = readFileSync(`${widgetsDir}dist/poll-views.js`, 'utf8');
    expect(views).toContain('"qr-code.js"');
    const qrModule = readFileSync(`${widgetsDir}dist/qr-code.js`, 'utf8');
    // A message only the qrcode library carries.
    const libraryMarker = 'BitMatrix size must be defined and greater than 0';
    expect(qrModule).toContain(libraryMarker);
    expect(source).not.toContain(libraryMarker);
    expect(views).not.toContain(libraryMarker);
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
