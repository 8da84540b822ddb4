/**
 * The office enters a morning's paper reports on the web (`/theo-doi/nhap-bao-cao`), as
 * `kehoach submit-many` does on the command line: choose a duty, download the entry sheet of the
 * reports still awaited (reports/report-sheet.ts), fill in what arrived in Excel, upload it. Every
 * filled row is read, its fields judged by the web form's rules, and the lot goes to the duty in one
 * all-or-nothing update: a wrong row (its number is named) records nothing, and a sheet sent twice
 * is refused the second time, since its reports are no longer awaited.
 *
 * The upload changes records, so, like the office's decisions, it is taken only with the token the
 * page issued (naming the account, the plan and the duty) and never from another site. City
 * accounts read only; an office enters reports only for its own commune.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { SignedIn } from '../accounts/account-file';
import { formatInstant } from '../domain/calendar';
import { UserError } from '../domain/user-error';
import type { SubmissionLinks } from '../domain/keys/submission-links';
import { getDutyStatus, getPlanStatus, readFieldLists, RefusedError, submitReports, type PlanRef } from '../operations/plan-client';
import { awaitedReports, readReportSheet, reportSheetTemplate, type SheetReport } from '../reports/report-sheet';
import { toXlsx } from '../reports/table-export';
import type { Receipt } from '../workflows/types';
import { confirmationTokens, sentFromAnotherSite } from './confirmation-token';
import { errorPage, page } from './pages';
import { cleanName, FILE_FIELD, uploadedFiles } from './submission-files';

export const REPORT_SHEET_PATH = '/theo-doi/nhap-bao-cao';
const TEMPLATE_PATH = `${REPORT_SHEET_PATH}/bang-nhap.xlsx`;

/** Long enough to fill in a morning's paper reports between downloading the sheet and sending it. */
const FORM_VALID_MS = 8 * 3_600_000;
const MAX_ENTERED_BY_LENGTH = 200;

type Query = Record<string, string | undefined>;
type FormBody = Record<string, unknown>;

export interface ReportSheetRoutesDeps {
  client: Client;
  links: SubmissionLinks;
  onRequest: onRequestHookHandler[];
  /** The plan the signed-in account means and may see (answers the page itself when it may not). */
  officePlan(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply): Promise<{ account: SignedIn; ref: PlanRef; title: string } | undefined>;
}

interface Entered {
  error?: string;
  problems?: string[];
  done?: { rows: SheetReport[]; receipts: Receipt[] };
  enteredBy?: string;
}

function text(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

export function registerReportSheetRoutes(app: FastifyInstance, deps: ReportSheetRoutesDeps): void {
  const tokens = confirmationTokens(deps.links);
  const claimsOf = (account: SignedIn, ref: PlanRef, dutyId: string) => [account.name, ref.planId, ref.year, dutyId];
  const planQuery = (ref: PlanRef, dutyId?: string) =>
    new URLSearchParams({ 'ke-hoach': ref.planId, nam: String(ref.year), ...(dutyId ? { 'nhiem-vu': dutyId } : {}) }).toString();

  /** The office's own plan and the duty asked for (the first with report fields when none is); otherwise a page has been sent. */
  async function found(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) {
    const plan = await deps.officePlan(request, reply);
    if (!plan) return undefined;
    if (plan.account.role !== 'office') {
      request.log.warn({ event: 'forbidden', account: plan.account.name, path: REPORT_SHEET_PATH }, 'city account asked to enter reports');
      await errorPage(reply, 403, {
        heading: 'Không có quyền nhập báo cáo',
        message: 'Tài khoản thành phố chỉ xem. Báo cáo giấy do văn phòng của xã, phường nhập.',
      });
      return undefined;
    }
    const duties = (await getPlanStatus(deps.client, plan.ref, { withoutOccurrences: true })).filter((duty) => duty.fields.length > 0);
    const asked = request.query['nhiem-vu'];
    const dutyId = asked ?? duties[0]?.dutyId;
    if (asked !== undefined && !duties.some((duty) => duty.dutyId === asked)) {
      await errorPage(reply, 404, {
        heading: 'Không tìm thấy nhiệm vụ',
        message: `Kế hoạch "${plan.title}" không có nhiệm vụ mã "${asked}" có báo cáo số liệu. Hãy chọn nhiệm vụ từ danh sách.`,
      });
      return undefined;
    }
    const duty = dutyId === undefined ? undefined : await getDutyStatus(deps.client, plan.ref, dutyId);
    return { ...plan, duties, duty };
  }

  function entryPage(reply: FastifyReply, status: number, { account, ref, title, duties, duty }: NonNullable<Awaited<ReturnType<typeof found>>>, entered: Entered = {}) {
    const zone = duty?.timeZone ?? 'Asia/Ho_Chi_Minh';
    const reports = duty ? awaitedReports(duty, Date.now()) : [];
    const awaited = reports.length;
    /** The periods with reports awaited, each with its own sheet: a morning's paper reports are usually of one period. */
    const periods = new Map<string, { key: string; label: string; count: number }>();
    for (const report of reports) {
      const entry = periods.get(report.periodKey) ?? { key: report.periodKey, label: report.periodLabel, count: 0 };
      entry.count += 1;
      periods.set(entry.key, entry);
    }
    const templateLink = duty ? `${TEMPLATE_PATH}?${planQuery(ref, duty.dutyId)}` : '';
    const place = (unitId: string, periodKey: string) => duty?.occurrences.find((o) => o.unitId === unitId && o.periodKey === periodKey);
    const done = entered.done;
    return page(reply, status, 'report-sheet', {
      pageTitle: 'Nhập báo cáo giấy từ bảng tính',
      planTitle: title,
      planId: ref.planId,
      year: ref.year,
      path: REPORT_SHEET_PATH,
      hasDuties: duty !== undefined,
      duties: duties.map((candidate) => ({ id: candidate.dutyId, title: candidate.dutyTitle, selected: candidate.dutyId === duty?.dutyId })),
      awaitedText: awaited === 0
        ? 'Hiện không còn báo cáo nào của nhiệm vụ này đang chờ nộp; bảng nhập sẽ trống.'
        : `Còn ${awaited} báo cáo của nhiệm vụ này đang chờ nộp; bảng nhập có mỗi báo cáo một dòng.`,
      templateLink,
      periodSheets: duty && periods.size > 1
        ? [...periods.values()].map((period) => ({ ...period, link: `${templateLink}&${new URLSearchParams({ ky: period.key }).toString()}` }))
        : [],
      action: duty ? `${REPORT_SHEET_PATH}?${planQuery(ref, duty.dutyId)}` : '',
      token: duty ? tokens.sign('report-sheet', claimsOf(account, ref, duty.dutyId), FORM_VALID_MS) : '',
      enteredBy: entered.enteredBy ?? account.name,
      error: entered.error,
      problems: (entered.problems ?? []).map((problem) => ({ text: problem })),
      done: done && {
        count: done.receipts.length,
        receipts: done.receipts.map((receipt, i) => {
          const row = done.rows[i] as SheetReport;
          const occurrence = place(row.unit, row.period);
          return {
            row: row.row,
            unitName: occurrence?.unitName ?? row.unit,
            periodLabel: occurrence?.periodLabel ?? row.period,
            reference: receipt.reference,
            receivedAt: formatInstant(receipt.receivedAt, zone),
            late: receipt.late,
          };
        }),
      },
      officeLink: `/theo-doi?${planQuery(ref)}`,
    });
  }

  app.get<{ Querystring: Query }>(REPORT_SHEET_PATH, { onRequest: deps.onRequest }, async (request, reply) => {
    const entry = await found(request, reply);
    if (!entry) return reply;
    return entryPage(reply, 200, entry);
  });

  app.get<{ Querystring: Query }>(TEMPLATE_PATH, { onRequest: deps.onRequest }, async (request, reply) => {
    const entry = await found(request, reply);
    if (!entry) return reply;
    if (!entry.duty) return entryPage(reply, 404, entry);
    const period = typeof request.query.ky === 'string' ? request.query.ky : undefined;
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="bang-nhap-${entry.duty.dutyId}${period ? `-${period.replace(/[^A-Za-z0-9-]/g, '')}` : ''}.xlsx"`)
      .send(await toXlsx(reportSheetTemplate(entry.duty, Date.now(), period || undefined)));
  });

  app.post<{ Querystring: Query; Body: FormBody }>(REPORT_SHEET_PATH, { onRequest: deps.onRequest }, async (request, reply) => {
    if (sentFromAnotherSite(request.headers)) {
      request.log.warn({ event: 'forged-form', site: request.headers['sec-fetch-site'], origin: request.headers.origin }, 'entry sheet sent from another site');
      return errorPage(reply, 403, { heading: 'Yêu cầu bị từ chối', message: 'Bảng nhập chỉ được gửi từ trang nhập báo cáo của chính hệ thống này.' });
    }
    const entry = await found(request, reply);
    if (!entry) return reply;
    const { account, ref, duty } = entry;
    const body = (request.body ?? {}) as FormBody;
    const enteredBy = text(body, 'nguoi-nhap').normalize('NFC').slice(0, MAX_ENTERED_BY_LENGTH);
    const refuse = (status: number, error: string, problems: string[] = []) => entryPage(reply, status, entry, { error, problems, enteredBy });
    if (!duty) return refuse(404, 'Kế hoạch này không có nhiệm vụ nào có báo cáo số liệu.');
    if (JSON.stringify(tokens.verify('report-sheet', text(body, 'xac-nhan'))) !== JSON.stringify(claimsOf(account, ref, duty.dutyId))) {
      request.log.warn({ event: 'forged-form', account: account.name, duty: duty.dutyId }, 'entry sheet without a valid token');
      return refuse(403, 'Trang nhập đã hết hạn hoặc không phải do hệ thống cấp, nên chưa có gì thay đổi. Hãy chọn lại tệp rồi nộp.');
    }
    const files = uploadedFiles(body, FILE_FIELD);
    const file = files[0];
    if (files.length !== 1 || !file) return refuse(422, 'Chưa nộp được: hãy chọn đúng một tệp bảng nhập (.xlsx).');
    const name = cleanName(file.filename) || 'bang-nhap.xlsx';
    if (file.truncated) return refuse(413, `Chưa nộp được: tệp "${name}" quá lớn so với một bảng nhập.`);
    let rows: SheetReport[] = [];
    let receipts: Receipt[];
    const where = (i: number) => `Dòng ${rows[i]?.row} (đơn vị ${rows[i]?.unit}, kỳ ${rows[i]?.period}): `;
    try {
      rows = await readReportSheet(file.bytes, name);
      const fields = readFieldLists(duty.fields, rows.map((row) => row.fields), where);
      receipts = await submitReports(
        deps.client,
        ref,
        duty.dutyId,
        rows.map((row, i) => ({ unitId: row.unit, periodKey: row.period, fields: fields[i] ?? {}, submittedBy: enteredBy || account.name })),
      );
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      request.log.info({ event: 'entry-sheet-refused', account: account.name, duty: duty.dutyId, code: err instanceof RefusedError ? err.code : undefined }, 'entry sheet refused');
      // The duty names the refused report by its place in the batch; the office knows it by its row.
      const inSheet = err instanceof RefusedError && err.batchIndex !== undefined ? where(err.batchIndex) : '';
      const problems = err.message.split('\n').filter((line) => line.trim() !== '').map((line) => `${inSheet}${line}`);
      return refuse(422, `Chưa nộp được tệp "${name}", chưa báo cáo nào được ghi:`, problems);
    }
    request.log.info({ event: 'entry-sheet-submitted', account: account.name, duty: duty.dutyId, reports: receipts.length }, 'paper reports entered from a sheet');
    // The page as it stands now: the reports just entered are no longer awaited.
    const fresh = { ...entry, duty: await getDutyStatus(deps.client, ref, duty.dutyId) };
    return entryPage(reply, 200, fresh, { done: { rows, receipts }, enteredBy });
  });
}
