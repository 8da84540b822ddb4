/**
 * An iCalendar invitation (METHOD:REQUEST, RFC 5546) for one meeting, so the unit's calendar shows
 * it and can answer. It describes the event exactly as the plan feed does (same UID, time, place,
 * title and organiser: domain/ics/icalendar.ts), and adds what an invitation needs: SEQUENCE,
 * the attendee and the request for a reply.
 */
import {
  PRODUCT_ID,
  calAddress,
  mailto,
  meetingSummary,
  occurrenceEventProperties,
  occurrenceUid,
  serializeCalendar,
  text,
  utcDateTime,
  type Mailbox,
} from '../../domain/ics/icalendar';
import type { DigestInput, DigestItem } from './types';

/** The plan schema's default `durationMinutes`, for items from workflows started before the end was carried. */
const DEFAULT_MEETING_MINUTES = 120;
const MS_PER_DAY = 86_400_000;

export interface InvitationContext {
  input: DigestInput;
  organizer: Mailbox;
  description: string;
}

/**
 * The plan feed's events have no SEQUENCE (0). An invitation re-states the same event with a
 * SEQUENCE that grows with the day and batch of the digest, so a later invitation (e.g. after the
 * meeting moved) supersedes an earlier one, and a retry re-rendering the same digest keeps it.
 */
export function invitationSequence(localDate: string, batch: number): number {
  return Math.floor(Date.parse(`${localDate}T00:00:00Z`) / MS_PER_DAY) * 100 + Math.min(batch, 99);
}

/** The same UID as the plan's calendar feed, so the invitation updates an imported event. */
export function invitationUid(item: DigestItem, planId: string): string {
  return occurrenceUid(item.occurrenceKey, planId);
}

export function buildInvitationIcs(item: DigestItem, context: InvitationContext): string {
  const { input, organizer } = context;
  if (!item.eventAt) throw new Error(`invitation ${item.id} has no eventAt`);
  const end = item.eventEndAt ?? new Date(Date.parse(item.eventAt) + DEFAULT_MEETING_MINUTES * 60_000).toISOString();
  const attendees = input.recipient.emails.map((address) => ({
    name: 'ATTENDEE',
    params: calAddress({ name: input.recipient.name, address }, { ROLE: 'REQ-PARTICIPANT', PARTSTAT: 'NEEDS-ACTION', RSVP: 'TRUE' }),
    value: mailto({ name: input.recipient.name, address }),
  }));
  return serializeCalendar(
    [
      { name: 'PRODID', value: PRODUCT_ID },
      { name: 'CALSCALE', value: 'GREGORIAN' },
      { name: 'METHOD', value: 'REQUEST' },
    ],
    [
      {
        name: 'VEVENT',
        properties: [
          ...occurrenceEventProperties({
            uid: invitationUid(item, input.planId),
            summary: meetingSummary(item.dutyTitle, item.unitName),
            start: item.eventAt,
            end,
            ...(item.place ? { place: item.place } : {}),
            organizer,
          }),
          // From the digest's day rather than the clock, so a retried attempt renders the same bytes.
          { name: 'DTSTAMP', value: utcDateTime(`${input.localDate}T00:00:00.000Z`) },
          { name: 'SEQUENCE', value: String(invitationSequence(input.localDate, input.batch)) },
          { name: 'DESCRIPTION', value: text(context.description) },
          { name: 'STATUS', value: 'CONFIRMED' },
          { name: 'TRANSP', value: 'OPAQUE' },
          ...attendees,
        ],
      },
    ],
  );
}
