/**
 * Ids of the notifications a duty plans and the mailroom delivers (workflows/README.md,
 * "Notification ids"). Each names its occurrence and what it is, so it is unique and stable: the
 * mailroom drops an id it already holds, and a digest's Message-ID is built from its items' ids.
 *
 * - `<occurrence key>:<reminder|invitation|minutes-request>:<ISO instant>`
 * - `<occurrence key>:overdue`
 * - `<occurrence key>:escalation:<level>`
 * - `<occurrence key>:extension-decision:<n>` (n-th decision of the occurrence, from 1)
 * - `<id of the undelivered item>:delivery-failure:<unit id of the failed recipient>`
 *
 * These strings are recorded in running workflows' histories: never change how one is built.
 * Workflow code uses this module, so it has no dependencies.
 */
import { parseOccurrenceKey } from './occurrence-keys';

export type TimedNoticeKind = 'reminder' | 'invitation' | 'minutes-request';

export type NotificationId =
  | { kind: TimedNoticeKind; occurrenceKey: string; at: string }
  | { kind: 'overdue'; occurrenceKey: string }
  | { kind: 'escalation'; occurrenceKey: string; level: number }
  | { kind: 'extension-decision'; occurrenceKey: string; decision: number }
  | { kind: 'delivery-failure'; failed: NotificationId; recipientUnitId: string };

const DELIVERY_FAILURE = ':delivery-failure:';
const TIMED_KINDS: readonly string[] = ['reminder', 'invitation', 'minutes-request'] satisfies TimedNoticeKind[];

export function timedNoticeId(occurrenceKey: string, kind: TimedNoticeKind, atIso: string): string {
  return `${occurrenceKey}:${kind}:${atIso}`;
}

export function overdueNoticeId(occurrenceKey: string): string {
  return `${occurrenceKey}:overdue`;
}

export function escalationNoticeId(occurrenceKey: string, level: number): string {
  return `${occurrenceKey}:escalation:${level}`;
}

export function extensionDecisionId(occurrenceKey: string, decision: number): string {
  return `${occurrenceKey}:extension-decision:${decision}`;
}

export function deliveryFailureId(failedItemId: string, recipientUnitId: string): string {
  return `${failedItemId}${DELIVERY_FAILURE}${recipientUnitId}`;
}

/** Builds the id a parsed notification id came from. */
export function notificationId(parts: NotificationId): string {
  switch (parts.kind) {
    case 'overdue':
      return overdueNoticeId(parts.occurrenceKey);
    case 'escalation':
      return escalationNoticeId(parts.occurrenceKey, parts.level);
    case 'extension-decision':
      return extensionDecisionId(parts.occurrenceKey, parts.decision);
    case 'delivery-failure':
      return deliveryFailureId(notificationId(parts.failed), parts.recipientUnitId);
    default:
      return timedNoticeId(parts.occurrenceKey, parts.kind, parts.at);
  }
}

const POSITIVE_INTEGER = /^[1-9]\d*$/;

/** The parts of a notification id; undefined for a string no builder above makes. */
export function parseNotificationId(id: string): NotificationId | undefined {
  const failureAt = id.lastIndexOf(DELIVERY_FAILURE);
  if (failureAt >= 0) {
    const failed = parseNotificationId(id.slice(0, failureAt));
    const recipientUnitId = id.slice(failureAt + DELIVERY_FAILURE.length);
    return failed && recipientUnitId && !recipientUnitId.includes(':') ? { kind: 'delivery-failure', failed, recipientUnitId } : undefined;
  }
  const parts = id.split(':');
  const occurrence = parts.slice(0, 3).join(':');
  if (!parseOccurrenceKey(occurrence)) return undefined;
  const [kind, ...rest] = parts.slice(3);
  if (kind === 'overdue' && rest.length === 0) return { kind, occurrenceKey: occurrence };
  if ((kind === 'escalation' || kind === 'extension-decision') && rest.length === 1 && POSITIVE_INTEGER.test(rest[0]!)) {
    const n = Number(rest[0]);
    return kind === 'escalation' ? { kind, occurrenceKey: occurrence, level: n } : { kind, occurrenceKey: occurrence, decision: n };
  }
  // An ISO instant has ':' of its own ("2026-03-20T01:00:00.000Z").
  if (kind !== undefined && TIMED_KINDS.includes(kind) && rest.length > 0) {
    const at = rest.join(':');
    if (!Number.isNaN(Date.parse(at))) return { kind: kind as TimedNoticeKind, occurrenceKey: occurrence, at };
  }
  return undefined;
}
