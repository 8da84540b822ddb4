/**
 * The contract between the mailroom workflow and the mail activities. It imports nothing, so
 * workflow code can use it (types with `import type`, the failure-type names as plain values).
 */

export type DigestItemKind =
  | 'reminder' // a report/minutes/document is due on dueAt
  | 'invitation' // a meeting/conference at eventAt: attach an iCalendar (.ics, METHOD:REQUEST) invite
  | 'minutes-request' // the meeting took place: please submit the minutes by dueAt
  | 'overdue' // to the unit itself: your item is overdue since dueAt
  | 'escalation' // to a unit up the chain: subject unit `unitName` has not submitted, level N
  | 'extension-decision' // to the unit: extension approved/refused (note), new dueAt
  | 'delivery-failure' // to the supervising office: a mail to `unitName` was permanently rejected (note = reason)
  | 'partner-notice'; // to a partner unit: `unitName` leads this duty, due on dueAt; the partner submits nothing

export interface DigestItem {
  /** Unique and stable per item, e.g. `${kind}:${occurrenceKey}:${level ?? 0}`. */
  id: string;
  kind: DigestItemKind;
  /** See domain/schedule/types.ts Occurrence.key. */
  occurrenceKey: string;
  dutyId: string;
  dutyTitle: string;
  dutyKind: string;
  /** The unit the item is ABOUT (== recipient except escalation/delivery-failure). */
  unitId: string;
  unitName: string;
  /** Vietnamese, e.g. "quý I/2026". */
  periodLabel: string;
  /** ISO UTC. */
  dueAt: string;
  /** ISO UTC, meetings. */
  eventAt?: string;
  /** ISO UTC, meetings: the end the plan gives (start + durationMinutes). */
  eventEndAt?: string;
  /** Meetings: where, when the plan says. */
  place?: string;
  /** Escalation level. */
  level?: number;
  note?: string;
  /** The unit that receives the report, when the plan names one. */
  reportToName?: string;
}

export interface DigestInput {
  planId: string;
  year: number;
  /** The plan period when it is not the calendar year `year`: the subject names it ("[Kế hoạch 2026–2027]"). */
  period?: { from: string; to: string };
  timeZone: string;
  recipient: { unitId: string; name: string; emails: string[] };
  /**
   * The plan's supervising office: ORGANIZER of meeting invitations (where calendar replies go)
   * and Reply-To of the digest. Absent in digests built before it existed: the sender stands in.
   */
  organizer?: { name: string; address: string };
  /** 'YYYY-MM-DD' in timeZone: the day this digest belongs to. */
  localDate: string;
  /** 1 for the first digest of that recipient that day, 2 for a later one, ... */
  batch: number;
  items: DigestItem[];
}

export type DigestResult =
  | {
      outcome: 'sent';
      messageId: string;
      /**
       * Addresses the server refused while it accepted others. The unit still got the digest;
       * the workflow may report the dead addresses to the supervising office.
       */
      rejectedRecipients?: string[];
    }
  | { outcome: 'already-sent'; messageId: string }
  /** Permanent 5xx: do not retry. */
  | { outcome: 'rejected'; messageId: string; reason: string };

/** Failure types thrown by `sendDigest`, for the workflow's retry policy and error handling. */
export const MAIL_FAILURE_TYPES = {
  invalidDigest: 'InvalidDigest',
  transientSmtp: 'TransientSmtpError',
  /** Another attempt holds the digest's claim in the delivery ledger (retryable). */
  digestBeingSent: 'DigestBeingSent',
  /** The delivery ledger could not be read or written (retryable). */
  ledgerUnavailable: 'DeliveryLedgerUnavailable',
} as const;

/**
 * What `sendDigests` answers for each digest it was given: the digest's own result, or that it was
 * not sent now and why (the mailroom then sends it alone, with the single digest's retries).
 */
export type BatchDigestResult = DigestResult | { outcome: 'not-sent'; error: string };
