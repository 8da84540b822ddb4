/**
 * The `publishYearEndReport` activity: one version of the plan's year-end report, built from the
 * duties' status as of the slot the plan chose, stored in the plan's report folder
 * (reports/report-versions.ts) and mailed once to the supervising office with the .docx attached.
 *
 * Exactly once, like digests (mail/deliver-once.ts): the Message-ID names the plan, year and
 * version, and a version already answered is not sent again. The document is built under the
 * ledger's claim; a retried attempt reuses the version's stored document instead of building another.
 * Figures are as of the slot (`asOf`), not of the attempt, so a retry reports the same numbers.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { getPlanStatus } from '../../operations/plan-client';
import { localDateOf } from '../../domain/calendar';
import { summarise } from '../../domain/summary/aggregate';
import { buildYearEndReport } from '../../reports/year-end-report';
import { contentHash, findReportVersion, markReportVersionSent, readReportDocx, storeReportVersion, type StoredReportVersion } from '../../reports/report-versions';
import type { DutyStatusView, YearEndReportPlan } from '../../workflows/types';
import type { DeliveryLedger } from '../mail/delivery-ledger';
import { domainOf, parseMailbox } from '../mail/mailbox';
import type { Mailer } from '../mail/mailer';
import { deliverOnce, temporalActivityLogger, whileHeartbeating, type ActivityLogger } from '../mail/deliver-once';
import { renderReportMail } from './render-report-mail';

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface PublishReportInput {
  planId: string;
  year: number;
  title: string;
  timeZone: string;
  version: number;
  /** The slot this version is for: figures as of this instant, signed on its local day. */
  asOf: string;
  replaces?: { version: number; asOf: string };
  setup: YearEndReportPlan;
}

export interface PublishReportResult {
  file: string;
  hash: string;
  messageId: string;
  outcome: 'sent' | 'already-sent' | 'rejected';
  /** Submissions received by `asOf`, per duty: what this version counts. */
  submissions: Record<string, number>;
}

export interface PublishReportDeps {
  mailer: Mailer;
  ledger: DeliveryLedger;
  from: string;
  /** Where report versions are stored; unset (a bare test double) = this activity refuses. */
  dataDir?: string;
  /** The Temporal client to read the duties with; by default the worker's own (activity context). */
  client?: () => Client;
  logger?: ActivityLogger;
}

/** Same plan, year and version: the same message, whichever attempt or worker sends it. */
export function reportMessageId(input: Pick<PublishReportInput, 'planId' | 'year' | 'version'>, senderDomain: string): string {
  const digest = createHash('sha256').update(JSON.stringify(['year-end-report', input.planId, input.year, input.version]), 'utf8').digest('hex').slice(0, 32);
  return `<bao-cao-${digest}@kehoach.${senderDomain}>`;
}

export function reportAttachmentName(planId: string, year: number, version: number): string {
  return `bao-cao-tong-ket-${planId}-${year}-phien-ban-${version}.docx`;
}

export function createPublishYearEndReport(deps: PublishReportDeps): (input: PublishReportInput) => Promise<PublishReportResult> {
  const sender = parseMailbox(deps.from);
  const senderDomain = domainOf(sender);
  const log = deps.logger ?? temporalActivityLogger;

  return async function publishYearEndReport(input: PublishReportInput): Promise<PublishReportResult> {
    const dataDir = deps.dataDir;
    if (!dataDir) {
      throw ApplicationFailure.create({ message: 'Chưa cấu hình thư mục dữ liệu để lưu báo cáo tổng kết.', nonRetryable: true });
    }
    const { setup } = input;
    const messageId = reportMessageId(input, senderDomain);
    const where = { messageId, planId: input.planId, year: input.year, version: input.version };
    const fileName = reportAttachmentName(input.planId, input.year, input.version);

    const client = deps.client ? deps.client() : Context.current().client;
    const views = await whileHeartbeating(getPlanStatus(client, { planId: input.planId, year: input.year }));
    const submissions = submissionsByDuty(views, input.asOf);
    const ledgerBase = {
      planId: input.planId,
      recipientUnitId: setup.office.unitId,
      localDate: localDateOf(input.asOf, input.timeZone),
      batch: input.version,
      to: setup.office.emails,
    };
    let version: StoredReportVersion | undefined;
    const delivered = await deliverOnce(
      { ledger: deps.ledger, messageId, entry: ledgerBase, mail: `báo cáo tổng kết phiên bản ${input.version} tới ${setup.office.name}`, noun: 'year-end report', log, where },
      async () => {
        // Built under the claim: a retried attempt reuses the version's stored document.
        const built = await storedOrBuiltVersion(dataDir, input, views, messageId);
        version = built.version;
        const summary = summarise(
          { planId: input.planId, year: input.year, ...(setup.document.period ? { period: setup.document.period } : {}), title: input.title, timeZone: input.timeZone },
          views,
          { asOf: input.asOf, groups: setup.groups },
        );
        const rendered = renderReportMail({ summary, officeName: setup.office.name, version: input.version, fileName, ...(input.replaces ? { replaces: input.replaces } : {}) });
        return deps.mailer.send({
          from: sender,
          to: setup.office.emails.map((address) => ({ name: setup.office.name, address })),
          messageId,
          ...rendered,
          attachments: [{ filename: fileName, content: built.docx, contentType: DOCX_CONTENT_TYPE }],
        });
      },
    );
    if (delivered.outcome === 'answered') {
      log.info('report version already mailed, not sending again', where);
      const stored = await findReportVersion(dataDir, input.planId, input.year, input.version);
      // A worker that died between the ledger and the version's record: the record catches up.
      if (stored && !stored.sentAt && delivered.record.status === 'sent') await markReportVersionSent(dataDir, stored, delivered.record.at);
      const outcome = delivered.record.status === 'rejected' ? 'rejected' : 'already-sent';
      return { file: stored?.file ?? '', hash: stored?.hash ?? '', messageId, outcome, submissions };
    }
    // The mail was handed to the server, so its version was stored first.
    const mailed = version as StoredReportVersion;
    if (delivered.outcome === 'rejected') return { file: mailed.file, hash: mailed.hash, messageId, outcome: 'rejected', submissions };
    await markReportVersionSent(dataDir, mailed, delivered.at);
    log.info('year-end report mailed', { ...where, file: mailed.file });
    return { file: mailed.file, hash: mailed.hash, messageId, outcome: 'sent', submissions };
  };
}

/** The version's stored document, or a new one built from the duties as of `asOf` and stored. */
async function storedOrBuiltVersion(
  dataDir: string,
  input: PublishReportInput,
  views: DutyStatusView[],
  messageId: string,
): Promise<{ version: StoredReportVersion; docx: Buffer }> {
  const stored = await findReportVersion(dataDir, input.planId, input.year, input.version);
  if (stored) return { version: stored, docx: await readReportDocx(dataDir, stored) };
  const { setup } = input;
  const { docx } = await buildYearEndReport({ plan: setup.document, views, asOf: input.asOf, date: localDateOf(input.asOf, input.timeZone), groups: setup.groups });
  const hash = contentHash(docx);
  const version = { planId: input.planId, year: input.year, version: input.version, asOf: input.asOf, file: `v${input.version}-${hash}.docx`, hash, messageId };
  await storeReportVersion(dataDir, version, docx);
  return { version, docx };
}

/** Submissions received by `asOf`, per duty. */
function submissionsByDuty(views: DutyStatusView[], asOf: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const view of views) {
    counts[view.dutyId] = view.occurrences.filter((o) => o.submission !== undefined && Date.parse(o.submission.receivedAt) <= Date.parse(asOf)).length;
  }
  return counts;
}
