/**
 * Turns "who should get which items on which day" into the exact digests and email subjects the
 * system must produce, and reads back what it did produce (mailroom records and the SMTP server).
 */
import type { DigestInput, DigestItem, DigestItemKind } from '../../activities/mail/types';
import { digestSubject } from '../../activities/mail/render-digest';
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

export function expectedMailLines(plan: ExpandedPlan, expected: ExpectedDigest[]): string[] {
  return expected
    .map((d) => {
      const unit = plan.units.find((u) => u.id === d.unitId);
      if (!unit) throw new Error(`unknown unit ${d.unitId}`);
      const input: DigestInput = {
        planId: plan.planId,
        year: plan.year,
        timeZone: plan.timeZone,
        recipient: { unitId: unit.id, name: unit.name, emails: unit.emails },
        localDate: d.localDate,
        batch: d.batch,
        items: d.itemIds.map((id) => ({ id, kind: kindOfItemId(id) }) as DigestItem),
      };
      return `${[...unit.emails].sort().join(',')} | ${digestSubject(input)}`;
    })
    .sort();
}

export function receivedMailLines(smtp: TestSmtpServer): string[] {
  return smtp.messages.map((m) => `${[...m.envelope.to].sort().join(',')} | ${m.parsed.subject ?? ''}`).sort();
}
