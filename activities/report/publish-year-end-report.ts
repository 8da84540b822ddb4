/**
 * The `publishYearEndReport` activity: one version of the plan's year-end report, built from the
 * duties' status as of the slot the plan chose, stored in the plan's report folder
 * (reports/report-versions.ts) and mailed once to the supervising office with the .docx attached.
 *
 * Exactly once, like digests: the Message-ID names the plan, year and version, the attempt claims
 * it in the delivery ledger before any SMTP traffic, and a version already answered is not sent
 * again. A retried attempt reuses the version's stored document instead of building another.
 * Figures are as of the slot (`asOf`), not of the attempt, so a retry reports the same numbers.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { getPlanStatus } from '../../operations/plan-client';
import { localDateOf } from '../../domain/calendar';
import { summarise } from '../../domain/summary/aggregate';
import { buildYearEndReport } from '../../reports/year-end-report';
import { contentHash, findReportVersion, markReportVersionSent, readReportDocx, storeReportVersion, type StoredReportVersion } from '../../reports/report-versions';
import type { DutyStatusView, YearEndReportPlan } from '../../workflows/types';
import { classifySmtpError } from '../mail/classify-smtp-error';
import type { DeliveryLedger } from '../mail/delivery-ledger';
import { domainOf, parseMailbox } from '../mail/mailbox';
import type { Mailer } from '../mail/mailer';
import { attemptOwner, ledgerStep, throwIfCancelled, whileHeartbeating, type ActivityLogger } from '../mail/send-digest';
import { MAIL_FAILURE_TYPES } from '../mail/types';
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
  const log: ActivityLogger = deps.logger ?? {
    info: (message, attrs) => Context.current().log.info(message, attrs),
    warn: (message, attrs) => Context.current().log.warn(message, attrs),
  };

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
    const owner = attemptOwner();
    const claim = await ledgerStep(deps.ledger.claim(messageId, owner), `Chưa gửi báo cáo tổng kết tới ${setup.office.name}: không đọc được sổ gửi thư`);
    const stored = await findReportVersion(dataDir, input.planId, input.year, input.version);
    if (claim.kind === 'answered') {
      log.info('report version already mailed, not sending again', where);
      // A worker that died between the ledger and the version's record: the record catches up.
      if (stored && !stored.sentAt && claim.record.status === 'sent') await markReportVersionSent(dataDir, stored, claim.record.at);
      const outcome = claim.record.status === 'rejected' ? 'rejected' : 'already-sent';
      return { file: stored?.file ?? '', hash: stored?.hash ?? '', messageId, outcome, submissions };
    }
    if (claim.kind === 'busy') {
      throw ApplicationFailure.create({
        message: `Báo cáo tổng kết phiên bản ${input.version} đang được một tiến trình khác gửi; sẽ thử lại.`,
        type: MAIL_FAILURE_TYPES.digestBeingSent,
        nonRetryable: false,
        nextRetryDelay: claim.retryInMs + 1_000,
      });
    }

    let version: StoredReportVersion;
    let docx: Buffer;
    if (stored) {
      version = stored;
      docx = await readReportDocx(dataDir, stored);
    } else {
      ({ docx } = await buildYearEndReport({ plan: setup.document, views, asOf: input.asOf, date: localDateOf(input.asOf, input.timeZone), groups: setup.groups }));
      const hash = contentHash(docx);
      version = { planId: input.planId, year: input.year, version: input.version, asOf: input.asOf, file: `v${input.version}-${hash}.docx`, hash, messageId };
      await storeReportVersion(dataDir, version, docx);
    }
    const period = setup.document.period;
    const summary = summarise({ planId: input.planId, year: input.year, ...(period ? { period } : {}), title: input.title, timeZone: input.timeZone }, views, {
      asOf: input.asOf,
      groups: setup.groups,
    });
    const rendered = renderReportMail({
      summary,
      officeName: setup.office.name,
      version: input.version,
      fileName,
      ...(input.replaces ? { replaces: input.replaces } : {}),
    });
    const ledgerBase = {
      messageId,
      planId: input.planId,
      recipientUnitId: setup.office.unitId,
      localDate: localDateOf(input.asOf, input.timeZone),
      batch: input.version,
      to: setup.office.emails,
    };
    let report;
    try {
      throwIfCancelled();
      report = await whileHeartbeating(
        deps.mailer.send({
          from: sender,
          to: setup.office.emails.map((address) => ({ name: setup.office.name, address })),
          messageId,
          ...rendered,
          attachments: [{ filename: fileName, content: docx, contentType: DOCX_CONTENT_TYPE }],
        }),
      );
    } catch (err) {
      const failure = err instanceof CancelledFailure ? undefined : classifySmtpError(err);
      if (failure?.kind === 'permanent') {
        await ledgerStep(deps.ledger.record({ ...ledgerBase, status: 'rejected', at: new Date().toISOString(), reason: failure.reason }), 'Chưa ghi được vào sổ gửi thư');
        log.warn('report permanently rejected by the mail server', { ...where, reason: failure.reason });
        return { file: version.file, hash: version.hash, messageId, outcome: 'rejected', submissions };
      }
      await deps.ledger.release(messageId, owner).catch(() => undefined);
      if (!failure) throw err;
      throw ApplicationFailure.create({
        message: `Chưa gửi được báo cáo tổng kết tới ${setup.office.name} (sẽ thử lại): ${failure.reason}`,
        type: MAIL_FAILURE_TYPES.transientSmtp,
        nonRetryable: false,
      });
    }
    const sentAt = new Date().toISOString();
    await ledgerStep(
      deps.ledger.record({ ...ledgerBase, status: 'sent', at: sentAt, response: report.response }),
      `Máy chủ thư đã nhận báo cáo tổng kết nhưng chưa ghi được vào sổ gửi thư (lần thử lại có thể gửi lại thư này)`,
    );
    await markReportVersionSent(dataDir, version, sentAt);
    log.info('year-end report mailed', { ...where, file: version.file });
    return { file: version.file, hash: version.hash, messageId, outcome: 'sent', submissions };
  };
}

/** Submissions received by `asOf`, per duty. */
function submissionsByDuty(views: DutyStatusView[], asOf: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const view of views) {
    counts[view.dutyId] = view.occurrences.filter((o) => o.submission !== undefined && Date.parse(o.submission.receivedAt) <= Date.parse(asOf)).length;
  }
  return counts;
}
