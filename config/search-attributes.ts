/**
 * Custom search attributes the workflows keep current, so the dashboard and
 * `temporal workflow list --query ...` find work without a second database.
 * The embedded dev server is started with these registered; an external cluster needs them
 * registered once by an operator (see README).
 */
export const SEARCH_ATTRIBUTES = {
  KehoachPlan: 'Keyword',
  KehoachYear: 'Int',
  KehoachDuty: 'Keyword',
  KehoachUnits: 'KeywordList',
  KehoachStatus: 'Keyword',
  KehoachNextDeadline: 'Datetime',
  /** Set while a workflow needs the office's attention (e.g. 'mailroom-unreachable'). */
  KehoachAlert: 'Keyword',
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;
