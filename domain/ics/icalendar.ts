/**
 * The one iCalendar (RFC 5545) writer of kehoach, shared by the plan feed and the meeting
 * invitations so both escape, fold and end lines the same way:
 * - every content line ends in CRLF (3.1);
 * - lines longer than 75 octets of UTF-8 are folded (CRLF + one space) between characters, never
 *   inside a multi-byte sequence (3.1);
 * - TEXT values escape backslash, semicolon, comma and line breaks (3.3.11); a list (CATEGORIES)
 *   escapes each value and separates them with an unescaped comma;
 * - parameter values with `:`, `;` or `,` are quoted (3.2), and DQUOTE, which a parameter value
 *   cannot carry at all, becomes a typographic quote.
 * The `ics` package used before folded at 75 characters rather than octets and did not escape
 * commas inside CATEGORIES, and its output could not be made strict from the outside.
 */

export interface IcsProperty {
  name: string;
  params?: Record<string, string>;
  /** Already in its value type's syntax: use `text()`, `textList()`, `utcDateTime()`, `date()`. */
  value: string;
}

export interface IcsComponent {
  name: string;
  properties: IcsProperty[];
}

export interface Mailbox {
  name: string;
  address: string;
}

const MAX_LINE_OCTETS = 75;

export function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

export function textList(values: readonly string[]): string {
  return values.map(text).join(',');
}

/** '2026-03-23T01:00:00.000Z' → '20260323T010000Z'. */
export function utcDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** '2026-03-23' → '20260323'. */
export function date(localDate: string): string {
  return localDate.replace(/-/g, '');
}

/** ORGANIZER / ATTENDEE value and CN parameter for a mailbox. */
export function calAddress(mailbox: Mailbox, params: Record<string, string> = {}): Record<string, string> {
  return mailbox.name ? { CN: mailbox.name, ...params } : { ...params };
}

export function mailto(mailbox: Mailbox): string {
  return `mailto:${mailbox.address}`;
}

function paramValue(value: string): string {
  const clean = value.replace(/"/g, '”').replace(/[\r\n]+/g, ' ');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

function contentLine({ name, params = {}, value }: IcsProperty): string {
  const paramText = Object.entries(params)
    .map(([key, paramVal]) => `;${key}=${paramValue(paramVal)}`)
    .join('');
  return `${name}${paramText}:${value}`;
}

function utf8Octets(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Splits a logical line into physical lines of at most 75 octets, each continuation led by a space. */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let currentOctets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const octets = utf8Octets(char.codePointAt(0) ?? 0);
    if (currentOctets + octets > limit) {
      parts.push(current);
      current = '';
      currentOctets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    currentOctets += octets;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function componentLines(component: IcsComponent, children: readonly IcsComponent[] = []): string[] {
  return [
    `BEGIN:${component.name}`,
    ...component.properties.map((property) => fold(contentLine(property))),
    ...children.flatMap((child) => componentLines(child)),
    `END:${component.name}`,
  ];
}

/** A whole iCalendar object: VCALENDAR with its properties, then its components, CRLF throughout. */
export function serializeCalendar(calendarProperties: IcsProperty[], components: readonly IcsComponent[]): string {
  return `${componentLines({ name: 'VCALENDAR', properties: [{ name: 'VERSION', value: '2.0' }, ...calendarProperties] }, components).join('\r\n')}\r\n`;
}

export const PRODUCT_ID = '-//kehoach//Ke hoach xa//VI';

/** What an occurrence's event is, the same in the plan feed and in an invitation. */
export interface OccurrenceEvent {
  uid: string;
  summary: string;
  /** Meetings: ISO UTC start and end. */
  start?: string;
  end?: string;
  /** Deadlines: the local day, as an all-day event. */
  day?: { date: string; nextDate: string };
  place?: string;
  /** Required where the calendar has a METHOD (RFC 5546); a plain subscription feed has none. */
  organizer?: Mailbox;
}

/**
 * The properties that define the event for whoever receives it (UID, time, title, place,
 * organiser). The feed and the invitation both start from these, so an invitation that updates
 * an event imported from the feed (same UID, higher SEQUENCE) never changes what it says.
 */
export function occurrenceEventProperties(event: OccurrenceEvent): IcsProperty[] {
  const when: IcsProperty[] =
    event.start !== undefined && event.end !== undefined
      ? [
          { name: 'DTSTART', value: utcDateTime(event.start) },
          { name: 'DTEND', value: utcDateTime(event.end) },
        ]
      : event.day !== undefined
        ? [
            { name: 'DTSTART', params: { VALUE: 'DATE' }, value: date(event.day.date) },
            { name: 'DTEND', params: { VALUE: 'DATE' }, value: date(event.day.nextDate) },
          ]
        : [];
  return [
    { name: 'UID', value: event.uid },
    ...when,
    { name: 'SUMMARY', value: text(event.summary) },
    ...(event.place ? [{ name: 'LOCATION', value: text(event.place) }] : []),
    ...(event.organizer ? [{ name: 'ORGANIZER', params: calAddress(event.organizer), value: mailto(event.organizer) }] : []),
  ];
}

/** Title of a meeting in calendars: the duty and the unit, as in the plan feed. */
export function meetingSummary(dutyTitle: string, unitName: string): string {
  return `${dutyTitle} – ${unitName}`;
}

/** The UID of an occurrence's event, shared by the feed and the invitations. */
export function occurrenceUid(occurrenceKey: string, planId: string): string {
  return `${occurrenceKey}@${planId}`;
}
