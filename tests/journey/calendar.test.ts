import { describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { serverSuite } from '../support/suite.js';

/** RFC 5545 §3.1: content lines end in CRLF and a line folded for length continues with a space. */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
}

describe.each(databaseTargets)('calendar file on $name', (target) => {
  const suite = serverSuite(target);

  const description = 'Presentamos la plataforma del año, con preguntas del público y una demostración en directo para todo el equipo.';

  it('downloads one VEVENT in UTC with a stable UID, the page URL and the description, folded as RFC 5545 asks', async () => {
    const { body: event } = await api(suite.server.url, '/api/admin/events', {
      token: suite.admin,
      body: {
        slug: 'estreno',
        title: 'Estreno, ñandú; y más',
        starts_at: '2050-03-01T12:00:00-06:00',
        ends_at: '2050-03-01T13:30:00-06:00',
        time_zone: 'America/Mexico_City',
        description,
      },
    });
    const response = await fetch(`${suite.server.url}/e/estreno/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await response.text();

    const physical = ics.split('\r\n');
    expect(physical.at(-1)).toBe('');
    for (const line of physical) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');

    const lines = unfold(ics);
    const value = (name: string) => lines.find((line) => line.split(/[:;]/)[0] === name)?.replace(/^[^:]*:/, '');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(value('VERSION')).toBe('2.0');
    expect(value('PRODID')).toMatch(/Palco/);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    const host = new URL(suite.server.url).host;
    expect(value('UID')).toBe(`event-${event.id}@${host}`);
    expect(value('DTSTAMP')).toMatch(/^\d{8}T\d{6}Z$/);
    expect(value('DTSTART')).toBe('20500301T180000Z');
    expect(value('DTEND')).toBe('20500301T193000Z');
    expect(value('SUMMARY')).toBe('Estreno\\, ñandú\\; y más');
    expect(value('URL')).toBe(`${suite.server.url}/e/estreno`);
    expect(value('DESCRIPTION')).toBe(`${description.replace(/,/g, '\\,')}\\n\\n${suite.server.url}/e/estreno`);

    // Moving the event keeps the UID, so a calendar updates the entry it has.
    await api(suite.server.url, `/api/admin/events/${event.id}`, { method: 'PATCH', token: suite.admin, body: { starts_at: '2050-03-01T17:00:00Z' } });
    const moved = unfold(await (await fetch(`${suite.server.url}/e/estreno/calendar.ics`)).text());
    expect(moved.find((line) => line.startsWith('UID'))).toBe(`UID:event-${event.id}@${host}`);
    expect(moved.find((line) => line.startsWith('DTSTART'))).toBe('DTSTART:20500301T170000Z');
  });

  it('says clearly that an event without a date has no calendar yet, and that an unknown one does not exist', async () => {
    await api(suite.server.url, '/api/admin/events', { token: suite.admin, body: { slug: 'sin-fecha', title: 'Sin fecha' } });
    const undated = await fetch(`${suite.server.url}/e/sin-fecha/calendar.ics?lang=en`);
    expect(undated.status).toBe(404);
    expect(await undated.text()).toContain('This event has no date yet.');
    const unknown = await fetch(`${suite.server.url}/e/no-existe/calendar.ics`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Este evento no existe.');
  });
});
