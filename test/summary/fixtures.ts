/** Hand-made status views: small enough to count by hand in the assertions. */
import type { ReportField } from '../../domain/schedule/types';
import type { DocumentInfo } from '../../reports/document-info';
import type { DutyStatusView, FieldValue, OccurrenceStatus, OccurrenceView } from '../../workflows/types';

export const AS_OF = '2026-12-14T17:00:00.000Z';

/** The signing block of a commune's report, without a parent body. */
export const DOCUMENT_INFO: DocumentInfo = {
  issuingBody: 'Ủy ban nhân dân xã Hà Đông',
  place: 'Hà Đông',
  date: '2027-01-05',
  symbol: 'BC-UBND',
  signer: { authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', name: 'Hoàng Văn Đại' },
  recipients: ['Lưu: VT, VHXH'],
};

const UNIT_NAMES: Record<string, string> = {
  'thon-1': 'Tổ dân phố số 1',
  'thon-2': 'Tổ dân phố số 2',
  'thon-10': 'Tổ dân phố số 10',
  'tram-y-te': 'Trạm Y tế xã',
  'truong-mn': 'Trường Mầm non Hà Đông',
};

interface OccurrenceSpec {
  unit: string;
  period: string;
  status: OccurrenceStatus;
  dueAt?: string;
  receivedAt?: string;
  fields?: Record<string, FieldValue>;
  waivedAt?: string;
}

export function occurrence(dutyId: string, spec: OccurrenceSpec): OccurrenceView {
  const dueAt = spec.dueAt ?? '2026-06-30T17:00:00.000Z';
  const submitted = spec.status === 'submitted' || spec.status === 'late' || (spec.status === 'removed' && spec.receivedAt);
  return {
    key: `${dutyId}:${spec.unit}:${spec.period}`,
    unitId: spec.unit,
    unitName: UNIT_NAMES[spec.unit] ?? spec.unit,
    periodKey: spec.period,
    periodLabel: spec.period.replace(/^(\d{4})-Q(\d)$/, 'quý $2/$1'),
    scheduledDueAt: dueAt,
    dueAt,
    status: spec.status,
    ...(submitted
      ? {
          submission: {
            reference: `BN-${spec.unit}-${spec.period}`,
            receivedAt: spec.receivedAt ?? '2026-06-29T03:00:00.000Z',
            late: spec.status === 'late',
            fields: spec.fields ?? {},
          },
        }
      : {}),
    ...(spec.status === 'waived' ? { waiver: { reason: 'Đơn vị sáp nhập', waivedAt: spec.waivedAt ?? '2026-06-01T03:00:00.000Z' } } : {}),
    extensions: [],
    escalatedLevels: [],
  };
}

export function dutyView(dutyId: string, title: string, fields: ReportField[], occurrences: OccurrenceSpec[], kind = 'report'): DutyStatusView {
  return {
    planId: 'ha-dong-2026',
    year: 2026,
    timeZone: 'Asia/Ho_Chi_Minh',
    dutyId,
    dutyTitle: title,
    dutyKind: kind,
    fields,
    status: 'on-track',
    occurrences: occurrences.map((spec) => occurrence(dutyId, spec)),
    runs: 1,
  };
}

export const PLAN_INFO = {
  planId: 'ha-dong-2026',
  year: 2026,
  title: 'Kế hoạch thực hiện dân chủ cơ sở trên địa bàn xã Hà Đông năm 2026',
  timeZone: 'Asia/Ho_Chi_Minh',
};

/** Two duties, four units, every outcome at least once. */
export function sampleViews(): DutyStatusView[] {
  const quarterly = dutyView(
    'bao-cao-quy',
    'Báo cáo kết quả thực hiện dân chủ ở cơ sở theo quý',
    [
      { id: 'so-hoi-nghi', label: 'Số cuộc họp, hội nghị', type: 'number', required: true, sum: true },
      { id: 'so-don-vi', label: 'Số đơn vị đã báo cáo', type: 'number', required: false },
      { id: 'kho-khan', label: 'Khó khăn, vướng mắc', type: 'text', required: false },
    ],
    [
      { unit: 'thon-1', period: '2026-Q1', status: 'submitted', fields: { 'so-hoi-nghi': 3, 'so-don-vi': 7, 'kho-khan': 'Thiếu loa truyền thanh' } },
      { unit: 'thon-1', period: '2026-Q2', status: 'late', fields: { 'so-hoi-nghi': 2, 'kho-khan': '  ' } },
      { unit: 'thon-2', period: '2026-Q1', status: 'overdue' },
      { unit: 'thon-2', period: '2026-Q2', status: 'overdue' },
      { unit: 'thon-10', period: '2026-Q1', status: 'submitted', fields: { 'so-hoi-nghi': 1234.5 } },
      { unit: 'thon-10', period: '2026-Q2', status: 'waived' },
      { unit: 'tram-y-te', period: '2026-Q1', status: 'before-tracking', dueAt: '2026-01-05T17:00:00.000Z' },
      { unit: 'tram-y-te', period: '2026-Q4', status: 'pending', dueAt: '2026-12-16T17:00:00.000Z' },
    ],
  );
  const conference = dutyView(
    'hoi-nghi',
    'Hội nghị cán bộ, công chức, viên chức, người lao động',
    [{ id: 'so-nguoi-du', label: 'Số người dự hội nghị', type: 'number', required: true, sum: true }],
    [
      { unit: 'tram-y-te', period: '2026-Y', status: 'submitted', fields: { 'so-nguoi-du': 25 } },
      { unit: 'truong-mn', period: '2026-Y', status: 'overdue' },
      // Submitted after the cut-off: at 14/12 it was still missing.
      { unit: 'thon-2', period: '2026-Y', status: 'late', receivedAt: '2026-12-20T03:00:00.000Z', fields: { 'so-nguoi-du': 40 } },
    ],
    'conference',
  );
  return [quarterly, conference];
}
