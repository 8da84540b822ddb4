/** Vietnamese names of the states a user sees, shared by the CLI and the web pages. */
import type { DutyOverallStatus, OccurrenceStatus } from './statuses';

export const OCCURRENCE_STATUS_LABELS: Record<OccurrenceStatus, string> = {
  pending: 'đang chờ',
  extended: 'đã gia hạn',
  overdue: 'QUÁ HẠN',
  submitted: 'đã nộp',
  late: 'nộp muộn',
  waived: 'được miễn',
  'before-tracking': 'trước khi theo dõi',
  removed: 'đã bỏ khỏi kế hoạch',
};

export const DUTY_STATUS_LABELS: Record<DutyOverallStatus, string> = {
  'on-track': 'đúng tiến độ',
  overdue: 'có việc quá hạn',
  completed: 'đã xong',
  untracked: 'không có kỳ nào trong thời gian theo dõi',
  cancelled: 'đã hủy',
  removed: 'đã bỏ khỏi kế hoạch',
};
