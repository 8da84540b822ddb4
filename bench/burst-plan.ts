/**
 * A plan's busiest morning, moved to a chosen minute of the real clock.
 *
 * The dev server runs on the real clock, and a plan's mail goes out at 08:00 on its working days,
 * which a benchmark started at any hour cannot wait for. So the whole expanded schedule is shifted
 * by `delta` (every instant: deadlines, openings, meetings, reminders, notices, escalations, mail
 * slots, closing) so that the morning chosen lands on the wanted minute, and the run gets a UTC
 * offset smaller by the same `delta`. Workflow code reads local days and hours only through that
 * offset, so every instant still reads as the local day and hour it had before the shift: the
 * mailroom sees 08:00 on the same working day, groups by the same local day, and nothing is held
 * for "night" or "day off". Timers fire at the shifted instants, on the server's real clock.
 * Mail texts render dates in the plan's real time zone and so show shifted dates; nothing reads them.
 */
import { mailSlotsFor, runSettingsFor } from '../operations/plan-client';
import type { ExpandedPlan, Occurrence } from '../domain/schedule/types';
import type { RunSettings } from '../workflows/types';

const MINUTE_MS = 60_000;

export interface Morning {
  /** ISO UTC instant of the plan's mail time that morning. */
  at: string;
  /** Units that get a digest that morning when the plan starts just before it. */
  recipients: number;
  /** Items in those digests. */
  items: number;
}

/**
 * Mail a plan started just before `at` sends at `at`: reminders (invitations are the first of
 * them), and minutes requests of meetings whose deadline is still ahead. Overdue notices and
 * escalations at `at` concern deadlines already past at the start, which are never chased.
 */
function itemsAt(occurrence: Occurrence, at: string): number {
  if (occurrence.dueAt <= at) return 0;
  return occurrence.remindAt.filter((instant) => instant === at).length + (occurrence.minutesRequestAt === at ? 1 : 0);
}

/** The morning with the most digests, and the earliest among equals. */
export function busiestMorning(plan: ExpandedPlan): Morning {
  const instants = new Set<string>();
  for (const occurrence of plan.occurrences) {
    for (const instant of [...occurrence.remindAt, ...(occurrence.minutesRequestAt ? [occurrence.minutesRequestAt] : [])]) instants.add(instant);
  }
  let best: Morning | undefined;
  for (const at of [...instants].sort()) {
    const units = new Set<string>();
    let items = 0;
    for (const occurrence of plan.occurrences) {
      const count = itemsAt(occurrence, at);
      if (count === 0) continue;
      units.add(occurrence.unitId);
      items += count;
    }
    if (!best || units.size > best.recipients) best = { at, recipients: units.size, items };
  }
  if (!best) throw new Error(`${plan.planId} sends no reminder`);
  return best;
}

function shifted(instant: string, deltaMs: number): string {
  return new Date(Date.parse(instant) + deltaMs).toISOString();
}

function shiftedOccurrence(occurrence: Occurrence, deltaMs: number): Occurrence {
  const move = (instant: string) => shifted(instant, deltaMs);
  return {
    ...occurrence,
    dueAt: move(occurrence.dueAt),
    remindAt: occurrence.remindAt.map(move),
    escalations: occurrence.escalations.map((step) => ({ ...step, at: move(step.at) })),
    ...(occurrence.opensAt ? { opensAt: move(occurrence.opensAt) } : {}),
    ...(occurrence.eventAt ? { eventAt: move(occurrence.eventAt) } : {}),
    ...(occurrence.eventEndAt ? { eventEndAt: move(occurrence.eventEndAt) } : {}),
    ...(occurrence.minutesRequestAt ? { minutesRequestAt: move(occurrence.minutesRequestAt) } : {}),
    ...(occurrence.overdueAt ? { overdueAt: move(occurrence.overdueAt) } : {}),
  };
}

export interface MovedPlan {
  plan: ExpandedPlan;
  /** Run settings of the moved schedule (offset and closing moved with it). */
  settings: Partial<RunSettings>;
  /** The plan's working-day mail times, moved the same way. */
  mailSlots: string[];
}

/** `plan` with the instant `from` moved to `to` (both whole minutes) and everything else with it. */
export function movedPlan(plan: ExpandedPlan, from: string, to: string): MovedPlan {
  const deltaMs = Date.parse(to) - Date.parse(from);
  if (deltaMs % MINUTE_MS !== 0) throw new Error(`${from} → ${to} is not a whole number of minutes`);
  const original = runSettingsFor(plan);
  return {
    plan: { ...plan, occurrences: plan.occurrences.map((occurrence) => shiftedOccurrence(occurrence, deltaMs)) },
    settings: { utcOffsetMinutes: original.utcOffsetMinutes - deltaMs / MINUTE_MS, closesAt: shifted(original.closesAt, deltaMs) },
    mailSlots: mailSlotsFor(plan, original).map((slot) => shifted(slot, deltaMs)),
  };
}
