/**
 * The states of an occurrence and of a duty as the duty workflows report them. Defined here, free
 * of dependencies, so workflow code, the summary, the CLI and the web pages share one vocabulary.
 */

export type OccurrenceStatus =
  | 'pending'
  | 'extended'
  | 'overdue'
  | 'submitted'
  | 'late'
  | 'waived'
  | 'before-tracking'
  | 'removed';

/** `untracked`: every occurrence fell before tracking began (or was removed): nothing to be done or counted. */
export type DutyOverallStatus = 'on-track' | 'overdue' | 'completed' | 'untracked' | 'cancelled' | 'removed';

/** Partner units, the report's recipient and the duty's mode, when the plan uses them. */
export interface DutyRolesView {
  partners?: { id: string; name: string }[];
  reportTo?: { id: string; name: string };
  mode?: 'on-request' | 'ongoing';
}

/** How far ahead "due soon" looks (the office's page, `kehoach status --due-soon`): a week, so a unit can still be called in time. */
export const DUE_SOON_DAYS = 7;

/**
 * Whether an item is still awaited and its deadline in force (an extension included) falls after
 * `nowMs` and within the next `DUE_SOON_DAYS` days: what the office may chase before it is overdue.
 */
export function isDueSoon(item: { status: OccurrenceStatus; dueAt: string }, nowMs: number): boolean {
  const dueMs = Date.parse(item.dueAt);
  return (item.status === 'pending' || item.status === 'extended') && dueMs > nowMs && dueMs <= nowMs + DUE_SOON_DAYS * 86_400_000;
}
