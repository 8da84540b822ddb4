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
