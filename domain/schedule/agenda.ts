/**
 * The year as a person reads it: each occurrence on the local day it happens, a meeting on its day
 * and time, anything else on the last day it is due. Used by the calendar preview and the .ics export.
 */
import { localDateOf, localDateTimeOf } from '../calendar';
import type { ExpandedPlan, Occurrence } from './types';

export interface AgendaItem {
  /** Local 'YYYY-MM-DD'. */
  date: string;
  /** Local 'HH:mm' for meetings; absent for a deadline (it runs to the end of the day). */
  time?: string;
  occurrence: Occurrence;
}

export interface AgendaFilter {
  unitIds?: ReadonlySet<string>;
  /** Inclusive local dates. */
  from?: string;
  to?: string;
}

/** A due instant is 24:00 local, i.e. the first instant of the next day: step back 1 ms to name the day. */
export function dueLocalDate(occurrence: Occurrence, zone: string): string {
  return localDateOf(new Date(Date.parse(occurrence.dueAt) - 1).toISOString(), zone);
}

export function agendaOf(expanded: ExpandedPlan, filter: AgendaFilter = {}): AgendaItem[] {
  const items: AgendaItem[] = [];
  for (const occurrence of expanded.occurrences) {
    if (filter.unitIds !== undefined && !filter.unitIds.has(occurrence.unitId)) continue;
    const item: AgendaItem =
      occurrence.eventAt === undefined
        ? { date: dueLocalDate(occurrence, expanded.timeZone), occurrence }
        : { ...localDateTimeOf(occurrence.eventAt, expanded.timeZone), occurrence };
    if (filter.from !== undefined && item.date < filter.from) continue;
    if (filter.to !== undefined && item.date > filter.to) continue;
    items.push(item);
  }
  return items.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || (a.time ?? '99').localeCompare(b.time ?? '99') || a.occurrence.key.localeCompare(b.occurrence.key),
  );
}
