/**
 * The custom search attributes the workflows keep current, so the Web UI and
 * `temporal workflow list --query ...` find work without a second database. This list is the one
 * definition: the embedded dev server and the test servers register it, and `kehoach run` and the
 * standalone worker check an external namespace against it at start-up
 * (operations/search-attributes.ts).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const KEHOACH_PLAN = defineSearchAttributeKey('KehoachPlan', SearchAttributeType.KEYWORD);
export const KEHOACH_YEAR = defineSearchAttributeKey('KehoachYear', SearchAttributeType.INT);
export const KEHOACH_DUTY = defineSearchAttributeKey('KehoachDuty', SearchAttributeType.KEYWORD);
export const KEHOACH_UNITS = defineSearchAttributeKey('KehoachUnits', SearchAttributeType.KEYWORD_LIST);
export const KEHOACH_STATUS = defineSearchAttributeKey('KehoachStatus', SearchAttributeType.KEYWORD);
export const KEHOACH_NEXT_DEADLINE = defineSearchAttributeKey('KehoachNextDeadline', SearchAttributeType.DATETIME);
/** Set while a workflow needs the office's attention (e.g. 'mailroom-unreachable'). */
export const KEHOACH_ALERT = defineSearchAttributeKey('KehoachAlert', SearchAttributeType.KEYWORD);

export const KEHOACH_SEARCH_ATTRIBUTES = [
  KEHOACH_PLAN,
  KEHOACH_YEAR,
  KEHOACH_DUTY,
  KEHOACH_UNITS,
  KEHOACH_STATUS,
  KEHOACH_NEXT_DEADLINE,
  KEHOACH_ALERT,
] as const;
