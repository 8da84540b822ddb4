/**
 * What a plan year sends, read from the delivery ledger of a simulated run: digests per
 * unit per month, the busiest days, invitations, escalations per level. An administrator reads it
 * before starting the real plan.
 * Item ids are read by the module that builds them (domain/keys/notification-ids.ts).
 */
import { parseNotificationId } from '../domain/keys/notification-ids';
import type { ExpandedPlan } from '../domain/schedule/types';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { monthIndexInPeriod } from '../domain/plan/period';
import type { DeliveryRecord } from '../activities/mail/delivery-ledger';

export interface UnitMail {
  unitId: string;
  unitName: string;
  /** Digests per local month, index 0 = January. */
  byMonth: number[];
  total: number;
}

export interface MailPreview {
  /** Digests delivered (one email per unit per day, sometimes two). */
  digests: number;
  /** Notifications inside them. */
  items: number;
  units: UnitMail[];
  /** The 10 local days with most digests, most first (earlier day first on a tie). */
  busiestDays: { localDate: string; digests: number; items: number }[];
  invitations: number;
  /** Escalation notices per level (1 = the level right above the unit), and digests that carried one. */
  escalations: { level: number; notices: number; recipients: { unitId: string; unitName: string; notices: number }[] }[];
  overdueNotices: number;
  /** Digests of days past the plan period's twelve months (escalations of its last deadlines), counted in `total` only. */
  afterYear: number;
}

export function mailPreview(plan: ExpandedPlan, deliveries: readonly DeliveryRecord[]): MailPreview {
  const sent = deliveries.filter((d) => d.status === 'sent');
  const names = new Map(plan.units.map((unit) => [unit.id, unit.name]));
  const nameOf = (unitId: string) => names.get(unitId) ?? unitId;
  const units = new Map<string, UnitMail>();
  const days = new Map<string, { digests: number; items: number }>();
  const levels = new Map<number, Map<string, number>>();
  let invitations = 0;
  let overdueNotices = 0;
  let afterYear = 0;

  for (const delivery of sent) {
    let unit = units.get(delivery.recipientUnitId);
    if (!unit) {
      unit = { unitId: delivery.recipientUnitId, unitName: nameOf(delivery.recipientUnitId), byMonth: Array.from({ length: 12 }, () => 0), total: 0 };
      units.set(delivery.recipientUnitId, unit);
    }
    unit.total += 1;
    const [year, month] = delivery.localDate.split('-').map(Number) as [number, number];
    const index = monthIndexInPeriod(periodOfPlan(plan).from, year, month);
    if (index >= 0 && index < 12) unit.byMonth[index] = (unit.byMonth[index] ?? 0) + 1;
    else afterYear += 1;
    const day = days.get(delivery.localDate) ?? { digests: 0, items: 0 };
    day.digests += 1;
    day.items += itemCount(delivery);
    days.set(delivery.localDate, day);
    for (const { id } of delivery.items ?? []) {
      const notice = parseNotificationId(id);
      if (notice?.kind === 'invitation') invitations += 1;
      if (notice?.kind === 'overdue') overdueNotices += 1;
      if (notice?.kind !== 'escalation') continue;
      const level = notice.level;
      const byRecipient = levels.get(level) ?? new Map<string, number>();
      byRecipient.set(delivery.recipientUnitId, (byRecipient.get(delivery.recipientUnitId) ?? 0) + 1);
      levels.set(level, byRecipient);
    }
  }

  const collator = new Intl.Collator('vi', { numeric: true });
  return {
    digests: sent.length,
    items: sent.reduce((sum, d) => sum + itemCount(d), 0),
    units: [...units.values()].sort((a, b) => collator.compare(a.unitName, b.unitName)),
    busiestDays: [...days.entries()]
      .map(([localDate, day]) => ({ localDate, ...day }))
      .sort((a, b) => b.digests - a.digests || b.items - a.items || a.localDate.localeCompare(b.localDate))
      .slice(0, 10),
    invitations,
    escalations: [...levels.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([level, byRecipient]) => ({
        level,
        notices: [...byRecipient.values()].reduce((sum, n) => sum + n, 0),
        recipients: [...byRecipient.entries()]
          .map(([unitId, notices]) => ({ unitId, unitName: nameOf(unitId), notices }))
          .sort((a, b) => b.notices - a.notices || collator.compare(a.unitName, b.unitName)),
      })),
    overdueNotices,
    afterYear,
  };
}

function itemCount(delivery: DeliveryRecord): number {
  return delivery.items?.length ?? 0;
}
