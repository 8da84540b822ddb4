/**
 * The simulation takes the script's actions of one instant duty by duty, the duties at once: each
 * duty must still see its own actions in script order, and no action may be lost or moved.
 */
import { describe, expect, it } from 'vitest';
import { expandPlanFile } from '../../operations/plan-client';
import { actionsByInstant, dutySteps } from '../../simulation/run-simulation';
import { buildScript, DEFAULT_MIX, type ScriptedAction } from '../../simulation/script';

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

  it("takes a duty's reports in a row as one call and everything else alone, in script order", () => {
    const submit = (n: number): ScriptedAction => ({ kind: 'submit', at: 'T', occurrenceKey: `d:u${n}:K1`, fields: {} });
    const waive = (n: number): ScriptedAction => ({ kind: 'waive', at: 'T', occurrenceKey: `d:u${n}:K1` });
    const keys = (steps: ReturnType<typeof dutySteps>) =>
      steps.map((step) => ('one' in step ? step.one.occurrenceKey : step.reports.map((action) => action.occurrenceKey).join('+')));
    expect(keys(dutySteps([submit(1)]))).toEqual(['d:u1:K1']);
    expect(keys(dutySteps([submit(1), submit(2), waive(3), submit(4), waive(5), submit(6), submit(7), submit(8)]))).toEqual([
      'd:u1:K1+d:u2:K1',
      'd:u3:K1',
      'd:u4:K1',
      'd:u5:K1',
      'd:u6:K1+d:u7:K1+d:u8:K1',
    ]);
    // A run longer than one update may carry is cut, still in order.
    const many = Array.from({ length: 250 }, (_, n) => submit(n));
    const steps = dutySteps(many);
    expect(steps.map((step) => ('reports' in step ? step.reports.length : 1))).toEqual([100, 100, 50]);
    expect(steps.flatMap((step) => ('reports' in step ? step.reports : [step.one]))).toEqual(many);
  });
});
