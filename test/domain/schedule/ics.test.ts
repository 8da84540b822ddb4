import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { agendaToIcs } from '../../../domain/ics/plan-to-ics';
import { loadPlanFile } from '../../../domain/plan/load';
import { agendaOf } from '../../../domain/schedule/agenda';
import { expandPlan } from '../../../domain/schedule/expand';

async function haDong() {
  const result = await loadPlanFile('plans/ha-dong-2026.yaml');
  if (!result.ok) throw new Error('plan rejected');
  return { plan: result.plan, expanded: expandPlan(result.plan) };
}

describe('iCalendar export', () => {
  it('parses with node-ical: one VEVENT per occurrence, stable UIDs, meetings timed, deadlines all-day', async () => {
    const { plan, expanded } = await haDong();
    const items = agendaOf(expanded);
    const text = agendaToIcs(plan, expanded, items);
    const parsed = ical.sync.parseICS(text);
    const events = Object.values(parsed).filter((entry) => entry?.type === 'VEVENT') as VEvent[];
    expect(events).toHaveLength(expanded.occurrences.length);

    const meeting = events.find((event) => event.uid === 'giao-ban-thang-truong:thcs-ha-dong:2026-02@ha-dong-2026');
    expect(meeting?.start.toISOString()).toBe(expanded.occurrences.find((o) => o.key === 'giao-ban-thang-truong:thcs-ha-dong:2026-02')?.eventAt);
    expect(String(meeting?.summary)).toContain('Họp giao ban định kỳ hằng tháng');

    const deadline = events.find((event) => event.uid === 'bao-cao-dccs-quy:phong-vhxh:2026-Q1@ha-dong-2026');
    expect(deadline?.datetype).toBe('date');
    expect(String(deadline?.summary)).toMatch(/^Hạn: /);
    expect(String(deadline?.description)).toContain('Kỳ: quý I/2026');
    expect(text).toContain('X-WR-TIMEZONE:Asia/Ho_Chi_Minh');
  });

  it('is byte-identical across runs so re-imports update instead of duplicating', async () => {
    const { plan, expanded } = await haDong();
    const items = agendaOf(expanded, { unitIds: new Set(['tdp-01']) });
    expect(agendaToIcs(plan, expanded, items)).toBe(agendaToIcs(plan, expanded, items));
  });
});
