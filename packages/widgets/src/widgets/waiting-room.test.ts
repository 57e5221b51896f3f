import { describe, expect, it } from 'vitest';
import { journeyTexts } from '../journey-texts.js';
import { countdownText, spokenCountdown, startTimes } from './waiting-room.js';

const es = journeyTexts('es');
const minute = 60_000;
const hour = 60 * minute;

describe('the waiting room countdown', () => {
  it('shows days, hours, minutes and seconds, and drops the seconds for less motion', () => {
    const left = 26 * hour + 5 * minute + 9_000;
    expect(countdownText(left, es, true)).toBe('1 d 2 h 05 min 09 s');
    expect(countdownText(left, es, false)).toBe('1 d 2 h 05 min');
    expect(countdownText(3 * minute + 1_000, es, true)).toBe('3 min 01 s');
  });

  it('says the time left to the minute, rounded up so the last minute is never "0 minutos"', () => {
    expect(spokenCountdown(26 * hour + 5 * minute + 9_000, es)).toBe('1 día 2 horas 6 minutos');
    expect(spokenCountdown(59_000, es)).toBe('1 minuto');
    expect(spokenCountdown(2 * hour, journeyTexts('en'))).toBe('2 hours');
  });

  it('names the start on the event’s own clock beside the reader’s', () => {
    const { event } = startTimes('2026-12-02T00:30:00.000Z', 'America/Mexico_City', 'es');
    expect(event).toContain('18:30');
    expect(event).toContain('1 de diciembre');
  });
});
