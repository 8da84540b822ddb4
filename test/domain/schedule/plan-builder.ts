/** Builds small plans on the Hà Đông 2026 calendar for expander tests. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { planFileSchema, type PlanFile } from '../../../domain/plan/schema';

const haDong = parse(readFileSync('plans/ha-dong-2026.yaml', 'utf8')) as { calendars: unknown };

export function buildPlan(duties: unknown[], extra: Record<string, unknown> = {}): PlanFile {
  return planFileSchema.parse({
    version: 1,
    plan: {
      id: 'thu-nghiem-2026',
      title: 'Kế hoạch thử nghiệm năm 2026',
      issuingBody: 'Ủy ban nhân dân xã Thử Nghiệm',
      documentNumber: '/KH-UBND',
      place: 'Thử Nghiệm',
      year: 2026,
      legalBases: ['Luật 10/2022/QH15'],
      signer: { authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', name: 'Nguyễn Văn A' },
      supervisor: 'phong',
    },
    calendars: haDong.calendars,
    units: [
      { id: 'chu-tich', name: 'Chủ tịch', kind: 'leader', emails: ['ct@x.example'] },
      { id: 'pct', name: 'Phó Chủ tịch', kind: 'leader', emails: ['pct@x.example'], reportsTo: 'chu-tich' },
      { id: 'phong', name: 'Phòng Văn hóa - Xã hội', kind: 'department', emails: ['p@x.example'], reportsTo: 'pct' },
      { id: 'truong', name: 'Trường A', kind: 'school', emails: ['a@x.example'], reportsTo: 'phong' },
    ],
    duties: duties.map((duty, index) => ({
      id: `nv-${index}`,
      title: `Nhiệm vụ ${index}`,
      kind: 'report',
      source: 'III.2',
      legalBasis: 'thử nghiệm',
      assignees: ['truong'],
      ...(duty as object),
    })),
    ...extra,
  });
}
