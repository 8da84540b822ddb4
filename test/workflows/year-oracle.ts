/**
 * The expected mail of a scripted year, computed straight from the expanded schedule and the script
 * (who submits when, one extension, one waiver, the amendment, one unreachable unit), following
 * the rules in workflows/README.md. Written apart from the workflow code so the two can disagree.
 */
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { localDateOf } from '../../workflows/instants';
import type { ExpectedDigest } from './mail-expectations';

const DAY_MS = 86_400_000;

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

function nextSameTimeOfDay(fromMs: number, templateMs: number): number {
  const timeOfDay = ((templateMs % DAY_MS) + DAY_MS) % DAY_MS;
  let candidate = Math.floor(fromMs / DAY_MS) * DAY_MS + timeOfDay;
  while (candidate < fromMs) candidate += DAY_MS;
  return candidate;
}

const iso = (ms: number) => new Date(ms).toISOString();

function remindersOf(occ: Occurrence, shift: number, from: number, effDue: number): Note[] {
  const eventMs = occ.eventAt ? Date.parse(occ.eventAt) : undefined;
  const out: Note[] = [];
  let invited = false;
  let minutesAsked = false;
  for (const r of occ.remindAt) {
    const at = Date.parse(r) + shift;
    if (at < from || at >= effDue) continue;
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
  const template = occ.remindAt[0] ?? occ.escalations[0]?.at;
  if (eventMs !== undefined && !minutesAsked && template) {
    const at = nextSameTimeOfDay(eventMs, Date.parse(template));
    if (at < effDue && at >= from) out.push({ at, recipient: occ.unitId, id: `${occ.key}:minutes-request:${iso(at)}` });
  }
  return out;
}

function notesOf(occ: Occurrence, script: OccurrenceScript): Note[] {
  const due = Date.parse(occ.dueAt);
  if (due <= script.trackFrom) return [];
  const resolvedAt = Math.min(script.submitAt ?? Infinity, script.waiveAt ?? Infinity);
  const activeUntil = script.activeUntil ?? Infinity;
  const ext = script.extension;
  const shift = ext ? ext.until - due : 0;
  const effDue = due + shift;
  const notes: Note[] = [];
  if (ext) {
    notes.push(...remindersOf(occ, 0, script.trackFrom, due).filter((n) => n.at < ext.decideAt));
    notes.push(...remindersOf(occ, shift, ext.decideAt, effDue));
    notes.push({ at: ext.decideAt, recipient: occ.unitId, id: `${occ.key}:extension-decision:1` });
  } else {
    notes.push(...remindersOf(occ, 0, script.trackFrom, due));
  }
  const template = occ.remindAt[0] ?? occ.escalations[0]?.at;
  const overdueAt = template ? nextSameTimeOfDay(effDue, Date.parse(template)) : effDue;
  notes.push({ at: overdueAt, recipient: occ.unitId, id: `${occ.key}:overdue` });
  for (const step of occ.escalations) {
    notes.push({ at: Date.parse(step.at) + shift, recipient: step.notifyUnitId, id: `${occ.key}:escalation:${step.level}` });
  }
  return notes.filter((n) => n.id.endsWith(':extension-decision:1') || (n.at < resolvedAt && n.at < activeUntil));
}

interface Cluster {
  recipient: string;
  localDate: string;
  start: number;
  ids: string[];
}

function cluster(notes: Note[], windowMs: number, offsetMinutes: number): Cluster[] {
  const byRecipientDay = new Map<string, Note[]>();
  for (const n of notes) {
    const key = `${n.recipient}|${localDateOf(n.at, offsetMinutes)}`;
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
  options: { windowMs: number; offsetMinutes: number; unreachableUnitId?: string },
): YearExpectation {
  const notes = occurrences.flatMap(({ occ, script }) => notesOf(occ, script));
  const first = cluster(notes, options.windowMs, options.offsetMinutes);
  const failures: Note[] = [];
  for (const c of first) {
    if (c.recipient !== options.unreachableUnitId) continue;
    for (const id of c.ids) {
      failures.push({ at: c.start + options.windowMs, recipient: plan.supervisorUnitId, id: `${id}:delivery-failure:${c.recipient}` });
    }
  }
  const all = cluster([...notes, ...failures], options.windowMs, options.offsetMinutes);
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
