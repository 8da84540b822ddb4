/**
 * An iCalendar invitation (METHOD:REQUEST) for one meeting, so the unit's calendar shows it and
 * can answer. The plan gives a start time only; the event gets a nominal length so calendars
 * block a slot instead of showing a zero-length point.
 */
import { createEvent, type EventAttributes } from 'ics';
import type { Mailbox } from './mailbox';
import type { DigestInput, DigestItem } from './types';

const NOMINAL_MEETING_HOURS = 2;
const MS_PER_DAY = 86_400_000;

export interface InvitationContext {
  input: DigestInput;
  organizer: Mailbox;
  description: string;
}

/**
 * SEQUENCE must grow when an invitation for the same meeting is re-sent (e.g. the meeting moved),
 * and must not change when a retry re-renders the same digest: derive it from the digest's day
 * and batch, which only move forward.
 */
export function invitationSequence(localDate: string, batch: number): number {
  return Math.floor(Date.parse(`${localDate}T00:00:00Z`) / MS_PER_DAY) * 100 + Math.min(batch, 99);
}

/**
 * The same UID as the plan's calendar export (domain/ics/plan-to-ics.ts), so a unit that imported
 * the plan calendar sees the invitation update that event instead of adding a second one.
 */
export function invitationUid(item: DigestItem, planId: string): string {
  return `${item.occurrenceKey}@${planId}`;
}

export function buildInvitationIcs(item: DigestItem, context: InvitationContext): string {
  const { input, organizer } = context;
  if (!item.eventAt) throw new Error(`invitation ${item.id} has no eventAt`);
  const attributes: EventAttributes & { timestamp: number } = {
    // DTSTAMP from the digest's day rather than the clock, so a retried attempt renders the same bytes.
    timestamp: Date.parse(`${input.localDate}T00:00:00Z`),
    productId: 'kehoach//ke-hoach-xa//VI',
    method: 'REQUEST',
    uid: invitationUid(item, input.planId),
    sequence: invitationSequence(input.localDate, input.batch),
    start: Date.parse(item.eventAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { hours: NOMINAL_MEETING_HOURS },
    title: `${item.dutyTitle} – ${item.periodLabel}`,
    description: context.description,
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { name: organizer.name || organizer.address, email: organizer.address },
    attendees: input.recipient.emails.map((email) => ({
      name: input.recipient.name,
      email,
      rsvp: true,
      partstat: 'NEEDS-ACTION',
      role: 'REQ-PARTICIPANT',
    })),
  };
  const result = createEvent(attributes);
  if (result.error || !result.value) {
    throw new Error(`cannot build the invitation for ${item.id}: ${result.error?.message ?? 'empty calendar'}`);
  }
  return result.value;
}
