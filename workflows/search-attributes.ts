/** Typed keys of the custom search attributes declared in config/search-attributes.ts. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeName } from '../config/search-attributes';

function key<T extends SearchAttributeType>(name: SearchAttributeName, type: T) {
  return defineSearchAttributeKey(name, type);
}

export const KEHOACH_PLAN = key('KehoachPlan', SearchAttributeType.KEYWORD);
export const KEHOACH_YEAR = key('KehoachYear', SearchAttributeType.INT);
export const KEHOACH_DUTY = key('KehoachDuty', SearchAttributeType.KEYWORD);
export const KEHOACH_UNITS = key('KehoachUnits', SearchAttributeType.KEYWORD_LIST);
export const KEHOACH_STATUS = key('KehoachStatus', SearchAttributeType.KEYWORD);
export const KEHOACH_NEXT_DEADLINE = key('KehoachNextDeadline', SearchAttributeType.DATETIME);
export const KEHOACH_ALERT = key('KehoachAlert', SearchAttributeType.KEYWORD);
