/** Who a duty is for and who stands above them: groups expanded to units, chains walked upwards. */
import type { PlanFile, PlanGroup } from './schema';

/** Units of a group in the plan's unit order: listed members plus every unit of the listed kinds. */
export function groupUnitIds(plan: PlanFile, group: PlanGroup): string[] {
  const members = new Set(group.members);
  const kinds = new Set<string>(group.unitKinds);
  return plan.units.filter((unit) => members.has(unit.id) || kinds.has(unit.kind)).map((unit) => unit.id);
}

/** Assignees (unit or group ids) as unit ids, without duplicates, in the plan's unit order. */
export function resolveAssignees(plan: PlanFile, assignees: readonly string[]): string[] {
  const wanted = new Set<string>();
  const unitIds = new Set(plan.units.map((unit) => unit.id));
  for (const assignee of assignees) {
    if (unitIds.has(assignee)) {
      wanted.add(assignee);
      continue;
    }
    const group = plan.groups.find((candidate) => candidate.id === assignee);
    if (group !== undefined) for (const unitId of groupUnitIds(plan, group)) wanted.add(unitId);
  }
  return plan.units.filter((unit) => wanted.has(unit.id)).map((unit) => unit.id);
}

/**
 * The units above `unitId`, nearest first: level k of an escalation is element k−1. Stops at the top
 * or at a unit already seen, so a cyclic chain (reported by the validator) cannot loop forever.
 */
export function escalationChain(reportsTo: ReadonlyMap<string, string | undefined>, unitId: string): string[] {
  const chain: string[] = [];
  const seen = new Set([unitId]);
  let next = reportsTo.get(unitId);
  while (next !== undefined && !seen.has(next)) {
    chain.push(next);
    seen.add(next);
    next = reportsTo.get(next);
  }
  return chain;
}

export function reportsToMap(plan: PlanFile): Map<string, string | undefined> {
  return new Map(plan.units.map((unit) => [unit.id, unit.reportsTo]));
}

/**
 * The chain as mail reaches it: a unit without an email address (it only receives reports) is
 * stood in for by the plan's supervising office, and a level whose recipient an earlier level (or
 * the unit itself) already is gets `undefined`, so nobody is told the same thing twice.
 */
export function mailedEscalationChain(chain: readonly string[], unitId: string, withoutEmail: ReadonlySet<string>, supervisor: string): (string | undefined)[] {
  const told = new Set([unitId]);
  return chain.map((above) => {
    const recipient = withoutEmail.has(above) ? supervisor : above;
    if (told.has(recipient)) return undefined;
    told.add(recipient);
    return recipient;
  });
}
