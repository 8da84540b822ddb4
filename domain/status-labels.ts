/** Vietnamese names of the states a user sees, shared by the CLI and the web pages. */
import type { DutyOverallStatus, DutyRolesView, OccurrenceStatus } from './statuses';

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

/**
 * A duty's state in words. An ongoing duty is never due, and an on-request duty with nothing
 * requested has nothing to do: neither is "đã xong" (what their empty schedules would say).
 */
export function dutyStatusLabel(view: { status: DutyOverallStatus; roles?: DutyRolesView | undefined; occurrences: readonly unknown[] }): string {
  if (view.status === 'completed' || view.status === 'on-track' || view.status === 'untracked') {
    if (view.roles?.mode === 'ongoing') return 'thường xuyên, không nhắc việc';
    if (view.roles?.mode === 'on-request' && view.occurrences.length === 0) return 'theo yêu cầu, chưa có yêu cầu';
  }
  return DUTY_STATUS_LABELS[view.status];
}
