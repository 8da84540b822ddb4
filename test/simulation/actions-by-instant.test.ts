/**
 * The simulation takes the script's actions of one instant duty by duty, the duties at once: each
 * duty must still see its own actions in script order, and no action may be lost or moved.
 */
import { describe, expect, it } from 'vitest';
import { expandPlanFile } from '../../operations/plan-client';
import { actionsByInstant } from '../../simulation/run-simulation';
import { buildScript, DEFAULT_MIX } from '../../simulation/script';

describe('the script instant by instant, duty by duty', () => {
  it('keeps every action, each duty in script order, instants in order', async () => {
    const plan = await expandPlanFile('plans/ha-dong-2026.yaml');
    const script = buildScript(plan, { seed: 7, mix: { ...DEFAULT_MIX, extension: 25, 'on-time': 40 }, startedAt: Date.parse('2025-12-31T17:00:00Z') });
    const dutyOf = (key: string) => key.split(':')[0];
    const grouped = actionsByInstant(plan, script.actions);

    expect(grouped.map((instant) => instant.at)).toEqual([...new Set(script.actions.map((action) => action.at))]);
    for (let i = 1; i < grouped.length; i += 1) expect(Date.parse(grouped[i]!.at)).toBeGreaterThan(Date.parse(grouped[i - 1]!.at));
    for (const { at, byDuty } of grouped) {
      const duties = byDuty.map((actions) => dutyOf(actions[0]!.occurrenceKey));
      expect(new Set(duties).size).toBe(duties.length);
      for (const actions of byDuty) {
        const duty = dutyOf(actions[0]!.occurrenceKey);
        expect(actions).toEqual(script.actions.filter((action) => action.at === at && dutyOf(action.occurrenceKey) === duty));
      }
    }
    expect(grouped.flatMap((instant) => instant.byDuty.flat())).toHaveLength(script.actions.length);
    // The case the grouping is for: several duties acting at one instant.
    expect(grouped.some((instant) => instant.byDuty.length > 1)).toBe(true);
  });
});
