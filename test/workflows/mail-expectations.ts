/**
 * Turns "who should get which items on which day" into the exact digests and email subjects the
 * system must produce, and reads back what it did produce (mailroom records and the SMTP server).
 */
import type { DigestItemKind } from '../../activities/mail/types';
import type { ExpandedPlan } from '../../domain/schedule/types';
import type { DeliveryRecord } from '../../workflows/types';
import type { TestSmtpServer } from '../support/smtp-server';

export interface ExpectedDigest {
  unitId: string;
  localDate: string;
  batch: number;
  itemIds: string[];
}

export function kindOfItemId(id: string): DigestItemKind {
  if (id.includes(':delivery-failure:')) return 'delivery-failure';
  const kind = id.split(':')[3];
  return kind as DigestItemKind;
}

export function digestLine(d: { unitId: string; localDate: string; batch: number; itemIds: string[] }): string {
  return `${d.localDate} ${d.unitId} #${d.batch}: ${[...d.itemIds].sort().join(' ')}`;
}

export function deliveredLines(deliveries: DeliveryRecord[]): string[] {
  return deliveries
    .filter((d) => d.outcome === 'sent' || d.outcome === 'already-sent')
    .map((d) => digestLine({ unitId: d.recipientUnitId, localDate: d.localDate, batch: d.batch, itemIds: d.itemIds }))
    .sort();
}

export function expectedLines(expected: ExpectedDigest[]): string[] {
  return expected.map(digestLine).sort();
}

/**
 * The subject each digest must carry, written out here rather than produced by the renderer:
 * "[Kế hoạch năm 2026] 3 việc cần thực hiện (1 việc quá hạn) – Tổ dân phố số 5 – 04/01/2027 (đợt 2)";
 * a plan whose period crosses the new year is "[Kế hoạch 2026–2027] …".
 */
export function expectedSubject(plan: Pick<ExpandedPlan, 'year' | 'period'>, unitName: string, digest: ExpectedDigest): string {
  const overdue = digest.itemIds.filter((id) => kindOfItemId(id) === 'overdue').length;
  const count = `${digest.itemIds.length} việc cần thực hiện${overdue > 0 ? ` (${overdue} việc quá hạn)` : ''}`;
  const [y, m, d] = digest.localDate.split('-');
  const [fromYear, toYear] = [plan.period?.from.slice(0, 4), plan.period?.to.slice(0, 4)];
  const label = fromYear !== undefined && fromYear !== toYear ? `${fromYear}–${toYear}` : `năm ${plan.year}`;
  return `[Kế hoạch ${label}] ${count} – ${unitName} – ${d}/${m}/${y}${digest.batch > 1 ? ` (đợt ${digest.batch})` : ''}`;
}

export function expectedMailLines(plan: ExpandedPlan, expected: ExpectedDigest[]): string[] {
  return expected
    .map((d) => {
      const unit = plan.units.find((u) => u.id === d.unitId);
      if (!unit) throw new Error(`unknown unit ${d.unitId}`);
      return `${[...unit.emails].sort().join(',')} | ${expectedSubject(plan, unit.name, d)}`;
    })
    .sort();
}

export function receivedMailLines(smtp: TestSmtpServer, keep: (message: TestSmtpServer['messages'][number]) => boolean = () => true): string[] {
  return smtp.messages.filter(keep).map((m) => `${[...m.envelope.to].sort().join(',')} | ${m.parsed.subject ?? ''}`).sort();
}
