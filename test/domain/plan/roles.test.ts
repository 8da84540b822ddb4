/**
 * Lead and partner units, the report's recipient, on-request and ongoing duties and units without
 * email, on the ward example (plans/examples/phuong-le-chan-2026.yaml) and one edit of it at a
 * time. Expected messages and chains are written out here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../domain/plan/load';
import { formatProblem } from '../../../domain/plan/problems';
import { expandPlan } from '../../../domain/schedule/expand';

const FILE = 'plans/examples/phuong-le-chan-2026.yaml';
const ward = readFileSync(FILE, 'utf8');

function edited(from: string, to: string): string {
  if (!ward.includes(from)) throw new Error(`the ward plan has no "${from}"`);
  return ward.replace(from, to);
}

function problems(text: string): string[] {
  const result = parsePlan(text, 'phuong.yaml');
  if (result.ok) throw new Error('accepted a broken plan');
  return result.problems.map(formatProblem).map((line) => line.replace(/^phuong\.yaml:\d+:\d+ {2}/, ''));
}

describe('the ward example', () => {
  it('validates, and its duties carry partners, recipients and modes; only dated duties have occurrences', () => {
    const result = parsePlan(ward, FILE);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const plan = expandPlan(result.plan);
    const duty = (id: string) => plan.duties.find((candidate) => candidate.id === id);
    expect(duty('bc-quy-tdp')).toMatchObject({ partnerUnitIds: ['ubmttq'], reportTo: 'phong-vhxh' });
    expect(duty('bc-quy-tdp')?.mode).toBeUndefined();
    expect(duty('cong-khai-thong-tin')).toMatchObject({ mode: 'ongoing', partnerUnitIds: ['tdp-1', 'tdp-2', 'tdp-3'] });
    expect(duty('bc-nam-ubnd')).toMatchObject({ reportTo: 'tt-hdnd' });
    expect(duty('bc-dot-xuat')?.request).toEqual({
      deadlineWorkingDays: 5,
      // The city's Fatherland Front has no email: level 2 of the board goes to the supervising
      // office. Chủ tịch's chain is empty; the others climb to the Chairman.
      escalationChains: {
        'ban-ttnd': ['ubmttq', 'phong-vhxh'],
        'tdp-1': ['van-phong', 'chu-tich'],
        'tdp-2': ['van-phong', 'chu-tich'],
        'tdp-3': ['van-phong', 'chu-tich'],
      },
      unitNames: { 'ban-ttnd': 'Ban Thanh tra nhân dân phường', 'tdp-1': 'Tổ dân phố số 1', 'tdp-2': 'Tổ dân phố số 2', 'tdp-3': 'Tổ dân phố số 3' },
      groups: { 'to-dan-pho': { name: 'Các tổ dân phố', unitIds: ['tdp-1', 'tdp-2', 'tdp-3'] } },
    });
    expect([...new Set(plan.occurrences.map((occ) => occ.dutyId))]).toEqual(['bc-quy-tdp', 'bc-nam-ubnd']);
    // Escalations of the Fatherland Front's own chain would reach its email-less superior: none are planned.
    expect(plan.units.find((unit) => unit.id === 'tt-hdnd')?.emails).toEqual([]);
  });
});

describe('refused', () => {
  it('a duty given to a unit that has no email', () => {
    expect(problems(edited('    assignees: [van-phong]\n    partners: [phong-vhxh]', '    assignees: [tt-hdnd]\n    partners: [phong-vhxh]'))).toEqual([
      'duties[1].assignees[0]  đơn vị "Thường trực HĐND phường" không có địa chỉ thư điện tử nên không nhận được nhắc việc; ' +
        'đơn vị không có thư chỉ nhận báo cáo (reportTo, reportsTo), không được giao nhiệm vụ',
    ]);
  });

  it('an unknown partner, with the id that was meant, and a partner that also leads', () => {
    expect(problems(edited('    partners: [ubmttq]\n    reportTo: phong-vhxh\n    cadence: { every: quarterly }', '    partners: [ubmtq, tdp-2]\n    reportTo: phong-vhxh\n    cadence: { every: quarterly }'))).toEqual([
      'duties[0].partners[0]  đơn vị phối hợp "ubmtq" không có trong danh sách đơn vị hoặc nhóm. Có phải ý bạn là "ubmttq"?',
      'duties[0].partners[1]  "Tổ dân phố số 2" đã là đơn vị được giao (chủ trì) nhiệm vụ này, không thể đồng thời là đơn vị phối hợp',
    ]);
  });

  it('an unknown recipient, a deadline on an on-request duty and a supervising office without email', () => {
    const text = edited('    reportTo: tt-hdnd', '    reportTo: tt-hdn')
      .replace('cadence: { every: on-request, deadlineWorkingDays: 5 }', 'cadence: { every: on-request }\n    deadline: { rule: daysAfter, from: periodEnd, days: 3 }')
      .replace('emails: [vhxh@le-chan.example]', 'emails: []');
    expect(problems(text)).toEqual([
      'plan.supervisor  cơ quan thường trực "phong-vhxh" cần ít nhất một địa chỉ thư điện tử: thư báo lỗi gửi thư và thư thay cho đơn vị không có thư đều gửi đến đây',
      'duties[1].reportTo  đơn vị nhận báo cáo "tt-hdn" không có trong danh sách đơn vị. Có phải ý bạn là "tt-hdnd"?',
      'duties[3].deadline  nhiệm vụ theo yêu cầu (on-request) lấy hạn từ từng yêu cầu: bỏ "deadline"',
    ]);
  });
});
