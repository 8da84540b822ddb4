import ical, { type VEvent } from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { agendaToIcs } from '../../../domain/ics/plan-to-ics';
import { loadPlanFile } from '../../../domain/plan/load';
import type { PlanFile } from '../../../domain/plan/schema';
import { agendaOf } from '../../../domain/schedule/agenda';
import { expandPlan } from '../../../domain/schedule/expand';
import { contentLines, ical4jProblems, strictIcsProblems } from '../../support/ics-strict';

let haDong: PlanFile;

beforeAll(async () => {
  const result = await loadPlanFile('plans/ha-dong-2026.yaml');
  if (!result.ok) throw new Error('plan rejected');
  haDong = result.plan;
});

function feedOf(plan: PlanFile): string {
  const expanded = expandPlan(plan);
  return agendaToIcs(plan, expanded, agendaOf(expanded));
}

function eventsOf(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((entry) => entry?.type === 'VEVENT') as VEvent[];
}

/** The Hà Đông plan with texts that need every TEXT escape: comma, semicolon, backslash, line break. */
function planWithAwkwardTexts(): PlanFile {
  const plan = structuredClone(haDong);
  const duty = plan.duties.find((candidate) => candidate.id === 'hoi-nghi-doi-thoai')!;
  duty.title = 'Hội nghị đối thoại; trao đổi, góp ý \\ kiến nghị';
  duty.note = 'Dòng một, có dấu phẩy;\nDòng hai: C:\\thu-muc';
  duty.event = { ...duty.event!, place: 'Hội trường UBND xã, tầng 2; phòng A' };
  return plan;
}

describe('the plan feed (plan calendar --format ics)', () => {
  it('is strict RFC 5545 line by line: CRLF, at most 75 octets, folds between characters, TEXT escaped', () => {
    expect(strictIcsProblems(feedOf(haDong))).toEqual([]);
    expect(strictIcsProblems(feedOf(planWithAwkwardTexts()))).toEqual([]);
  });

  it('keeps commas, semicolons, backslashes and line breaks through a real parser', () => {
    const events = eventsOf(feedOf(planWithAwkwardTexts()));
    const meeting = events.find((event) => event.uid === 'hoi-nghi-doi-thoai:van-phong:2026-10-15@ha-dong-2026');
    expect(String(meeting?.summary)).toBe('Hội nghị đối thoại; trao đổi, góp ý \\ kiến nghị – Văn phòng HĐND và UBND xã');
    expect(String(meeting?.location)).toBe('Hội trường UBND xã, tầng 2; phòng A');
    expect(String(meeting?.description)).toContain('Ghi chú: Dòng một, có dấu phẩy;\nDòng hai: C:\\thu-muc');
  });

  it('writes a comma inside a category escaped, so "Niêm yết, công khai" stays one category', () => {
    const text = feedOf(haDong);
    const posting = contentLines(text).filter((line) => line.name === 'CATEGORIES' && line.value.startsWith('Niêm yết'));
    expect(posting.length).toBeGreaterThan(0);
    for (const line of posting) expect(line.value).toBe('Niêm yết\\, công khai');
  });

  it('gives meetings their place and length from the plan, and every event the supervising office as organiser', () => {
    const events = eventsOf(feedOf(haDong));
    const minutes = (event: VEvent) => (event.end!.getTime() - event.start.getTime()) / 60_000;
    const byDuty = (dutyId: string) => events.filter((event) => event.uid.startsWith(`${dutyId}:`));
    // durationMinutes 150 and a place; 240 without a place; 90; 180 with a place.
    for (const event of byDuty('hoi-nghi-tdp')) {
      expect(minutes(event)).toBe(150);
      expect(String(event.location)).toBe('Nhà văn hóa tổ dân phố');
    }
    for (const event of byDuty('hoi-nghi-vc-truong')) expect(minutes(event)).toBe(240);
    for (const event of byDuty('giao-ban-thang-truong')) expect(minutes(event)).toBe(90);
    for (const event of byDuty('hoi-nghi-doi-thoai')) {
      expect(minutes(event)).toBe(180);
      expect(String(event.location)).toBe('Hội trường UBND xã');
    }
    expect(byDuty('hoi-nghi-tdp').length).toBeGreaterThan(0);
    const organizers = new Set(contentLines(feedOf(haDong)).filter((l) => l.name === 'ORGANIZER').map((l) => `${l.params}:${l.value}`));
    expect([...organizers]).toEqual([';CN=Phòng Văn hóa - Xã hội:mailto:vhxh@ha-dong.example']);
    expect(contentLines(feedOf(haDong)).filter((l) => l.name === 'ORGANIZER')).toHaveLength(events.length);
  });

  it('passes ical4j 4.0.8 in strict mode: parse and validate, iTIP rules of METHOD:PUBLISH included', async () => {
    const problems = await ical4jProblems({
      'ha-dong-2026.ics': feedOf(haDong),
      'awkward-texts.ics': feedOf(planWithAwkwardTexts()),
    });
    expect(problems).toEqual({});
  });
});
