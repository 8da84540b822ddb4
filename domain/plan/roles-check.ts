/**
 * Checks of who takes part in a duty and who is mailed: partner units, the unit receiving the
 * report, units without an email address (they only receive reports), and duties without dates of
 * their own (on request, ongoing). Kept apart from `cross-check.ts`, which calls it.
 */
import { resolveAssignees } from './resolve';
import type { PlanDuty, PlanFile } from './schema';
import { didYouMean } from './suggest';

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/** Duties whose occurrences are not computed from the plan: requested by the office, or never due. */
export function hasNoDatesOfItsOwn(duty: PlanDuty): boolean {
  return duty.cadence.every === 'on-request' || duty.cadence.every === 'ongoing';
}

function unitsWithoutEmail(plan: PlanFile): Set<string> {
  return new Set(plan.units.filter((unit) => unit.emails.length === 0).map((unit) => unit.id));
}

export function checkSupervisorMail(plan: PlanFile, report: Report): void {
  if (unitsWithoutEmail(plan).has(plan.plan.supervisor)) {
    report(
      ['plan', 'supervisor'],
      `cơ quan thường trực "${plan.plan.supervisor}" cần ít nhất một địa chỉ thư điện tử: thư báo lỗi gửi thư và thư thay cho đơn vị không có thư đều gửi đến đây`,
    );
  }
}

export function checkDutyRoles(plan: PlanFile, duty: PlanDuty, path: Path, report: Report): void {
  const unitIds = new Set(plan.units.map((unit) => unit.id));
  const groupIds = new Set(plan.groups.map((group) => group.id));
  const noEmail = unitsWithoutEmail(plan);
  const names = new Map(plan.units.map((unit) => [unit.id, unit.name]));

  duty.assignees.forEach((assignee, index) => {
    const silent = resolveAssignees(plan, [assignee]).filter((unitId) => noEmail.has(unitId));
    if (silent.length === 0) return;
    const list = silent.map((unitId) => `"${names.get(unitId) ?? unitId}"`).join(', ');
    report(
      [...path, 'assignees', index],
      `${silent.length === 1 ? 'đơn vị' : 'các đơn vị'} ${list} không có địa chỉ thư điện tử nên không nhận được nhắc việc; ` +
        'đơn vị không có thư chỉ nhận báo cáo (reportTo, reportsTo), không được giao nhiệm vụ',
    );
  });

  const leads = new Set(resolveAssignees(plan, duty.assignees));
  duty.partners.forEach((partner, index) => {
    if (!unitIds.has(partner) && !groupIds.has(partner)) {
      report(
        [...path, 'partners', index],
        `đơn vị phối hợp "${partner}" không có trong danh sách đơn vị hoặc nhóm.${didYouMean(partner, [...unitIds, ...groupIds])}`,
      );
      return;
    }
    const both = resolveAssignees(plan, [partner]).filter((unitId) => leads.has(unitId));
    if (both.length > 0) {
      report(
        [...path, 'partners', index],
        `${both.map((unitId) => `"${names.get(unitId) ?? unitId}"`).join(', ')} đã là đơn vị được giao (chủ trì) nhiệm vụ này, không thể đồng thời là đơn vị phối hợp`,
      );
    }
  });

  if (duty.reportTo !== undefined && !unitIds.has(duty.reportTo)) {
    report([...path, 'reportTo'], `đơn vị nhận báo cáo "${duty.reportTo}" không có trong danh sách đơn vị.${didYouMean(duty.reportTo, unitIds)}`);
  }

  if (hasNoDatesOfItsOwn(duty)) {
    const what = duty.cadence.every === 'ongoing' ? 'nhiệm vụ thường xuyên (ongoing) không có ngày' : 'nhiệm vụ theo yêu cầu (on-request) lấy hạn từ từng yêu cầu';
    if (duty.deadline !== undefined) report([...path, 'deadline'], `${what}: bỏ "deadline"`);
    if (duty.event !== undefined) report([...path, 'event'], `${what}: bỏ "event"`);
    if (duty.perUnit.length > 0) report([...path, 'perUnit'], `${what}: bỏ "perUnit"`);
  }
  if (duty.cadence.every === 'ongoing' && (duty.reminders !== undefined || (duty.escalation?.length ?? 0) > 0)) {
    report([...path, duty.reminders !== undefined ? 'reminders' : 'escalation'], 'nhiệm vụ thường xuyên (ongoing) không được nhắc việc hay báo cấp trên: bỏ mục này');
  }
}
