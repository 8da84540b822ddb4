/**
 * Which commune a plan belongs to, derived from data every plan already has: its id without the
 * year (`ha-dong-2026` and `ha-dong-2027` are both commune `ha-dong`; `plan new` keeps that shape)
 * and, for people, its issuing body without "Ủy ban nhân dân" ("xã Hà Đông"). Accounts, the office
 * page and the city roll-up all use these two functions, so they cannot disagree.
 */
import { localDateOf } from './calendar';
import { DEFAULT_TIME_ZONE } from './calendar/instants';

/** A commune id as accounts name it: lower-case ASCII letters, digits and single hyphens. */
export const COMMUNE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function communeIdOf(planId: string, year: number): string {
  const suffix = `-${year}`;
  return planId.endsWith(suffix) && planId.length > suffix.length ? planId.slice(0, -suffix.length) : planId;
}

/** "Ủy ban nhân dân xã Hà Đông" (or "UBND xã Hà Đông") → "xã Hà Đông". */
export function communeNameOf(issuingBody: string): string {
  const name = issuingBody.normalize('NFC').trim();
  const stripped = name.replace(/^(?:[UỦ]y ban nhân dân|Uỷ ban nhân dân|UBND)\s+/iu, '');
  return stripped === '' ? name : stripped;
}

/** The year people are in: the calendar year in Vietnam. */
export function currentYearAt(nowIso: string): number {
  return Number(localDateOf(nowIso, DEFAULT_TIME_ZONE).slice(0, 4));
}

/**
 * Plans of one commune in the order people look for them: the current year first, then the years
 * ahead, then the years past (most recent first).
 */
export function byRelevance<T>(plans: readonly T[], currentYear: number, yearOf: (plan: T) => number): T[] {
  const rank = (year: number): [number, number] => (year === currentYear ? [0, 0] : year > currentYear ? [1, year] : [2, -year]);
  return [...plans].sort((a, b) => {
    const [ga, ka] = rank(yearOf(a));
    const [gb, kb] = rank(yearOf(b));
    return ga - gb || ka - kb;
  });
}
