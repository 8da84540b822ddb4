/**
 * Plain arithmetic on ISO-UTC instants. Workflows receive concrete instants and a fixed UTC offset
 * (Asia/Ho_Chi_Minh has no DST), so no calendar library is needed inside workflow code.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export function toMs(instant: string): number {
  return Date.parse(instant);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** 'YYYY-MM-DD' of an instant in a zone with a fixed offset from UTC. */
export function localDateOf(ms: number, utcOffsetMinutes: number): string {
  return new Date(ms + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

/** First instant at or after `fromMs` whose UTC time of day equals that of `templateMs`. */
export function nextSameTimeOfDay(fromMs: number, templateMs: number): number {
  const timeOfDay = ((templateMs % DAY_MS) + DAY_MS) % DAY_MS;
  let candidate = Math.floor(fromMs / DAY_MS) * DAY_MS + timeOfDay;
  while (candidate < fromMs) candidate += DAY_MS;
  return candidate;
}
