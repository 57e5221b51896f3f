import { describe, expect, it } from 'vitest';
import { calendarLinks } from './calendar-links.js';

const entry = {
  title: 'Lanzamiento & demo',
  description: 'Todo sobre 2050',
  starts_at: '2050-03-01T18:00:00.000Z',
  ends_at: '2050-03-01T19:30:00.000Z',
  url: 'https://palco.example/e/lanzamiento',
};

describe('calendarLinks', () => {
  it('opens Google Calendar with the title, UTC times, details and the event page', () => {
    const google = new URL(calendarLinks(entry).google);
    expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(Object.fromEntries(google.searchParams)).toEqual({
      action: 'TEMPLATE',
      text: 'Lanzamiento & demo',
      dates: '20500301T180000Z/20500301T193000Z',
      details: 'Todo sobre 2050\n\nhttps://palco.example/e/lanzamiento',
      location: 'https://palco.example/e/lanzamiento',
    });
  });

  it('opens Outlook with the same entry in ISO UTC', () => {
    const outlook = new URL(calendarLinks(entry).outlook);
    expect(outlook.searchParams.get('subject')).toBe('Lanzamiento & demo');
    expect(outlook.searchParams.get('startdt')).toBe('2050-03-01T18:00:00.000Z');
    expect(outlook.searchParams.get('enddt')).toBe('2050-03-01T19:30:00.000Z');
    expect(outlook.searchParams.get('rru')).toBe('addevent');
  });

  it('lasts one hour when the event has no end, and carries the page alone without a description', () => {
    const links = calendarLinks({ ...entry, ends_at: null, description: null });
    expect(new URL(links.google).searchParams.get('dates')).toBe('20500301T180000Z/20500301T190000Z');
    expect(new URL(links.google).searchParams.get('details')).toBe(entry.url);
    expect(new URL(links.outlook).searchParams.get('enddt')).toBe('2050-03-01T19:00:00.000Z');
  });
});
