import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isValidLocalDate } from '../../../domain/calendar';
import {
  civilFromEpochDay,
  epochDayFromCivil,
  formatEpochDay,
  isoWeekdayOfEpochDay,
  parseEpochDay,
  tryParseCivilDate,
} from '../../../domain/calendar/local-date';

const MS_PER_DAY = 86_400_000;
const epochDays = fc.integer({ min: epochDayFromCivil(1900, 1, 1), max: epochDayFromCivil(2400, 12, 31) });

describe('integer local-date arithmetic agrees with luxon', () => {
  it('formats, parses and finds weekdays like luxon does', () => {
    fc.assert(
      fc.property(epochDays, (epochDay) => {
        const reference = DateTime.fromMillis(epochDay * MS_PER_DAY, { zone: 'UTC' });
        const text = formatEpochDay(epochDay);
        expect(text).toBe(reference.toISODate());
        expect(parseEpochDay(text)).toBe(epochDay);
        expect(isoWeekdayOfEpochDay(epochDay)).toBe(reference.weekday);
        expect(civilFromEpochDay(epochDay)).toEqual({ year: reference.year, month: reference.month, day: reference.day });
      }),
    );
  });

  it('accepts exactly the strings luxon accepts as real YYYY-MM-DD dates', () => {
    const candidates = fc
      .tuple(fc.integer({ min: 1900, max: 2400 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(candidates, (text) => {
        expect(isValidLocalDate(text)).toBe(DateTime.fromFormat(text, 'yyyy-MM-dd', { zone: 'UTC' }).isValid);
      }),
    );
  });

  it('rejects other shapes', () => {
    for (const text of ['2026-3-20', '2026/03/20', '20-03-2026', '2026-03-20T00:00', ' 2026-03-20', '2026-02-29', '2026-0a-01']) {
      expect(tryParseCivilDate(text)).toBeUndefined();
    }
    expect(isValidLocalDate('2028-02-29')).toBe(true);
  });
});
