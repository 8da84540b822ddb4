/**
 * The expected mail of a scripted year, computed from the expanded schedule's deadlines, reminders
 * and escalation instants, the script (who submits when, one extension, one waiver, the amendment,
 * one unreachable unit) and the rules in workflows/README.md.
 *
 * It shares no code with what it checks: its own working-day calendar read straight from the plan
 * YAML, its own date arithmetic (luxon in Asia/Ho_Chi_Minh), its own subjects written out. The
 * overdue notice, minutes requests, an extension's new reminders and escalations, the extension
 * decision notice and the grouping into local days are all recomputed here.
 */
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import type { ExpectedDigest } from './mail-expectations';

const ZONE = 'Asia/Ho_Chi_Minh';

export interface OccurrenceScript {
  submitAt?: number;
  waiveAt?: number;
  extension?: { decideAt: number; until: number };
  /** Instant the occurrence's schedule reached a workflow (plan start or the amendment). */
  trackFrom: number;
  /** The duty was removed at this instant. */
  activeUntil?: number;
}

interface Note {
  at: number;
  recipient: string;
  id: string;
}

interface RawCalendar {
  year: number;
  daysOff: { date: string }[];
  makeUpWorkingDays: { date: string }[];
}

interface RawDuty {
  id: string;
  reminders?: { daysBefore: number[]; relativeTo?: 'due' | 'event' };
  escalation?: { afterWorkingDays: number; level: number }[];
}

/** The plan's calendar and mail policy as the YAML states them, with its own arithmetic. */
export class OracleCalendar {
  private readonly daysOff = new Set<string>();
  private readonly makeUp = new Set<string>();
  readonly notifyTime: string;
  private readonly defaults: Required<Pick<RawDuty, 'reminders' | 'escalation'>>;
  private readonly duties = new Map<string, RawDuty>();

  constructor(planFile: string) {
    const raw = parse(readFileSync(planFile, 'utf8')) as {
      settings: { notifyTime: string; reminders: RawDuty['reminders']; escalation: RawDuty['escalation'] };
      calendars: RawCalendar[];
      duties: RawDuty[];
    };
    for (const calendar of raw.calendars) {
      for (const day of calendar.daysOff) this.daysOff.add(String(day.date));
      for (const day of calendar.makeUpWorkingDays) this.makeUp.add(String(day.date));
    }
    this.notifyTime = raw.settings.notifyTime;
    this.defaults = { reminders: raw.settings.reminders ?? { daysBefore: [7, 3, 1] }, escalation: raw.settings.escalation ?? [] };
    for (const duty of raw.duties) this.duties.set(duty.id, duty);
  }

  isWorkingDay(date: string): boolean {
    if (this.makeUp.has(date)) return true;
    if (this.daysOff.has(date)) return false;
    return DateTime.fromISO(date, { zone: ZONE }).weekday <= 5;
  }

  localDate(ms: number): string {
    return DateTime.fromMillis(ms, { zone: ZONE }).toISODate() as string;
  }

  private shift(date: string, days: number): string {
    return DateTime.fromISO(date, { zone: ZONE }).plus({ days }).toISODate() as string;
  }

  /** The n-th working day after `date` (date itself not counted). */
  workingDaysAfter(date: string, n: number): string {
    let day = date;
    for (let left = n; left > 0; ) {
      day = this.shift(day, 1);
      if (this.isWorkingDay(day)) left -= 1;
    }
    return day;
  }

  mailTimeOn(date: string): number {
    return DateTime.fromISO(`${date}T${this.notifyTime}`, { zone: ZONE }).toMillis();
  }

  /** A deadline instant is 24:00 local of its day. */
  dueDateOf(dueMs: number): string {
    return this.localDate(dueMs - 1);
  }

  /** The first working-day mail time after `ms`. */
  firstMailTimeAfter(ms: number): number {
    const date = this.localDate(ms);
    if (this.isWorkingDay(date) && this.mailTimeOn(date) > ms) return this.mailTimeOn(date);
    return this.mailTimeOn(this.workingDaysAfter(date, 1));
  }

  /** `ms` on a working day before 20:00, else the next working day's mail time. */
  sendable(ms: number): number {
    const local = DateTime.fromMillis(ms, { zone: ZONE });
    if (this.isWorkingDay(local.toISODate() as string) && local.hour < 20) return ms;
    return this.firstMailTimeAfter(ms);
  }

  policyOf(dutyId: string): { daysBefore: number[]; relativeTo: 'due' | 'event'; escalation: { afterWorkingDays: number; level: number }[] } {
    const duty = this.duties.get(dutyId);
    const reminders = duty?.reminders ?? this.defaults.reminders;
    return {
      daysBefore: reminders.daysBefore,
      relativeTo: reminders.relativeTo ?? 'due',
      escalation: duty?.escalation ?? this.defaults.escalation,
    };
  }

  /**
   * Reminders `daysBefore` calendar days before `base`, the closest first: each on a working day on
   * or before its day and strictly before the closer one's, none before the year's first working day.
   */
  remindersAt(base: string, daysBefore: number[], year: number): number[] {
    const first = this.isWorkingDay(`${year}-01-01`) ? `${year}-01-01` : this.workingDaysAfter(`${year}-01-01`, 1);
    const days: string[] = [];
    for (const n of [...daysBefore].sort((x, y) => x - y)) {
      let day = this.shift(base, -n);
      const closer = days[days.length - 1];
      if (closer !== undefined && day >= closer) day = this.shift(closer, -1);
      while (day > first && !this.isWorkingDay(day)) day = this.shift(day, -1);
      days.push(day < first ? first : day);
    }
    return [...new Set(days)].map((day) => this.mailTimeOn(day));
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

interface Times {
  remindAt: number[];
  minutesRequestAt?: number;
  overdueAt: number;
  escalations: { level: number; at: number; notifyUnitId: string }[];
}

function scheduledTimes(cal: OracleCalendar, occ: Occurrence): Times {
  const due = Date.parse(occ.dueAt);
  const eventMs = occ.eventAt ? Date.parse(occ.eventAt) : undefined;
  return {
    remindAt: occ.remindAt.map(Date.parse),
    ...(eventMs === undefined ? {} : { minutesRequestAt: cal.firstMailTimeAfter(eventMs) }),
    overdueAt: cal.mailTimeOn(cal.workingDaysAfter(cal.dueDateOf(due), 1)),
    escalations: occ.escalations.map((step) => ({ level: step.level, at: Date.parse(step.at), notifyUnitId: step.notifyUnitId })),
  };
}

function extendedTimes(cal: OracleCalendar, occ: Occurrence, until: number, year: number): Times {
  const policy = cal.policyOf(occ.dutyId);
  const dueDate = cal.dueDateOf(until);
  const eventMs = occ.eventAt ? Date.parse(occ.eventAt) : undefined;
  const base = policy.relativeTo === 'event' && eventMs !== undefined ? cal.localDate(eventMs) : dueDate;
  const chain = new Map(occ.escalations.map((step) => [step.level, step.notifyUnitId]));
  return {
    remindAt: cal.remindersAt(base, policy.daysBefore, year).filter((at) => at < until).sort((a, b) => a - b),
    ...(eventMs === undefined ? {} : { minutesRequestAt: cal.firstMailTimeAfter(eventMs) }),
    overdueAt: cal.mailTimeOn(cal.workingDaysAfter(dueDate, 1)),
    escalations: policy.escalation.flatMap((step) => {
      const notifyUnitId = chain.get(step.level);
      return notifyUnitId === undefined ? [] : [{ level: step.level, at: cal.mailTimeOn(cal.workingDaysAfter(dueDate, step.afterWorkingDays)), notifyUnitId }];
    }),
  };
}

function reminderNotes(occ: Occurrence, times: Times, from: number, due: number): Note[] {
  const eventMs = occ.eventAt ? Date.parse(occ.eventAt) : undefined;
  const out: Note[] = [];
  let invited = false;
  let minutesAsked = false;
  for (const at of times.remindAt) {
    if (at < from || at >= due) continue;
    let kind = 'reminder';
    if (eventMs !== undefined && at < eventMs && !invited) {
      kind = 'invitation';
      invited = true;
    } else if (eventMs !== undefined && at >= eventMs) {
      kind = 'minutes-request';
      minutesAsked = true;
    }
    out.push({ at, recipient: occ.unitId, id: `${occ.key}:${kind}:${iso(at)}` });
  }
  const minutesAt = times.minutesRequestAt;
  if (!minutesAsked && minutesAt !== undefined && minutesAt < due && minutesAt >= from) {
    out.push({ at: minutesAt, recipient: occ.unitId, id: `${occ.key}:minutes-request:${iso(minutesAt)}` });
  }
  return out;
}

function notesOf(cal: OracleCalendar, year: number, occ: Occurrence, script: OccurrenceScript): Note[] {
  const due = Date.parse(occ.dueAt);
  if (due <= script.trackFrom) return [];
  const resolvedAt = Math.min(script.submitAt ?? Infinity, script.waiveAt ?? Infinity);
  const activeUntil = script.activeUntil ?? Infinity;
  const ext = script.extension;
  const original = scheduledTimes(cal, occ);
  const notes: Note[] = [];
  let times = original;
  let from = script.trackFrom;
  let effectiveDue = due;
  if (ext) {
    notes.push(...reminderNotes(occ, original, script.trackFrom, due).filter((n) => n.at < ext.decideAt));
    times = extendedTimes(cal, occ, ext.until, year);
    from = ext.decideAt;
    effectiveDue = ext.until;
    notes.push({ at: cal.sendable(ext.decideAt), recipient: occ.unitId, id: `${occ.key}:extension-decision:1` });
  }
  notes.push(...reminderNotes(occ, times, from, effectiveDue));
  notes.push({ at: times.overdueAt, recipient: occ.unitId, id: `${occ.key}:overdue` });
  for (const step of times.escalations) notes.push({ at: step.at, recipient: step.notifyUnitId, id: `${occ.key}:escalation:${step.level}` });
  return notes.filter((n) => n.id.endsWith(':extension-decision:1') || (n.at < resolvedAt && n.at < activeUntil));
}

interface Cluster {
  recipient: string;
  localDate: string;
  start: number;
  ids: string[];
}

function cluster(cal: OracleCalendar, notes: Note[], windowMs: number): Cluster[] {
  const byRecipientDay = new Map<string, Note[]>();
  for (const n of notes) {
    const key = `${n.recipient}|${cal.localDate(n.at)}`;
    byRecipientDay.set(key, [...(byRecipientDay.get(key) ?? []), n]);
  }
  const clusters: Cluster[] = [];
  for (const [key, list] of byRecipientDay) {
    const [recipient, localDate] = key.split('|') as [string, string];
    list.sort((a, b) => a.at - b.at);
    let current: Cluster | undefined;
    for (const n of list) {
      if (!current || n.at >= current.start + windowMs) {
        current = { recipient, localDate, start: n.at, ids: [] };
        clusters.push(current);
      }
      current.ids.push(n.id);
    }
  }
  return clusters;
}

export interface YearExpectation {
  delivered: ExpectedDigest[];
  rejected: ExpectedDigest[];
}

export function expectedYearMail(
  occurrences: { occ: Occurrence; script: OccurrenceScript }[],
  plan: ExpandedPlan,
  options: { planFile: string; windowMs: number; unreachableUnitId?: string },
): YearExpectation {
  const cal = new OracleCalendar(options.planFile);
  const notes = occurrences.flatMap(({ occ, script }) => notesOf(cal, plan.year, occ, script));
  const first = cluster(cal, notes, options.windowMs);
  const failures: Note[] = [];
  for (const c of first) {
    if (c.recipient !== options.unreachableUnitId) continue;
    for (const id of c.ids) {
      failures.push({ at: c.start + options.windowMs, recipient: plan.supervisorUnitId, id: `${id}:delivery-failure:${c.recipient}` });
    }
  }
  const all = cluster(cal, [...notes, ...failures], options.windowMs);
  const batchOf = new Map<string, number>();
  const delivered: ExpectedDigest[] = [];
  const rejected: ExpectedDigest[] = [];
  for (const c of all.sort((a, b) => a.start - b.start)) {
    const key = `${c.recipient}|${c.localDate}`;
    const batch = (batchOf.get(key) ?? 0) + 1;
    batchOf.set(key, batch);
    const digest = { unitId: c.recipient, localDate: c.localDate, batch, itemIds: c.ids };
    (c.recipient === options.unreachableUnitId ? rejected : delivered).push(digest);
  }
  return { delivered, rejected };
}
