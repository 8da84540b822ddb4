/** Vietnamese names of the summary outcomes, shared by the report document and the CLI. */
import type { SummaryOutcome } from './types';

export const OUTCOME_LABELS: Record<SummaryOutcome, string> = {
  'on-time': 'đúng hạn',
  late: 'muộn',
  missing: 'chưa nộp',
  waived: 'được miễn',
  'before-tracking': 'trước khi theo dõi',
  'not-due': 'chưa đến hạn',
};
