/**
 * What a signed document says about who issues it, taken from the plan file's metadata: the same
 * body, place, signer and distribution list as the plan the report accounts for.
 */
import type { PlanFile } from '../domain/plan/schema';

export interface DocumentInfo {
  issuingBody: string;
  parentBody?: string;
  place: string;
  /** Local date of signature, YYYY-MM-DD. */
  date: string;
  /** Left blank for the clerk to fill in unless given. */
  number?: number;
  /** Symbol after the number, e.g. "BC-UBND". */
  symbol: string;
  signer: { authority: string; position: string; name: string };
  /** Lines of "Nơi nhận", without the leading dash or trailing punctuation. */
  recipients: string[];
}

/**
 * NĐ 30/2020 Phụ lục III abbreviates Báo cáo as "BC"; the part after it names the issuing body and is
 * the body's own choice, so it is taken from the plan's number ("/KH-UBND" → "BC-UBND").
 */
export function reportSymbol(planDocumentNumber: string): string {
  const bodyPart = /^[^/]*\/[^-]+-(.+)$/.exec(planDocumentNumber.trim())?.[1];
  return bodyPart ? `BC-${bodyPart}` : 'BC';
}

export function documentInfoFromPlan(plan: PlanFile['plan'], options: { date: string; number?: number }): DocumentInfo {
  return {
    issuingBody: plan.issuingBody,
    ...(plan.parentBody ? { parentBody: plan.parentBody } : {}),
    place: plan.place,
    date: options.date,
    ...(options.number !== undefined ? { number: options.number } : {}),
    symbol: reportSymbol(plan.documentNumber),
    signer: { authority: plan.signer.authority, position: plan.signer.position, name: plan.signer.name },
    recipients: plan.recipients,
  };
}
