/**
 * The office's form for an ad-hoc report request (`/theo-doi/yeu-cau`): choose an on-request duty,
 * units or groups, a deadline and the wording; a preview shows what will be sent (deadline, first
 * mail, units); only its "Xác nhận" sends the request, the same way as `kehoach request`.
 *
 * The status pages sign in with HTTP Basic, which a browser also sends with a form posted from
 * another site. So the confirmation carries a signed token (web/confirmation-token.ts, as the
 * decisions' confirmations) naming the account, the plan and the exact request, valid for 15
 * minutes: a forged post cannot produce it,
 * and a repeated one sends the same request id, which adds nothing. City accounts only read.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { formatDateWithWeekday, localDateTimeOf } from '../domain/calendar';
import { UserError } from '../domain/user-error';
import { getDutyStatus, getPlanStatus, type PlanRef } from '../operations/plan-client';
import { describeDeadline, prepareReportRequest, sendReportRequest, type ReportRequestInput } from '../operations/report-requests';
import type { SignedIn } from '../accounts/account-file';
import type { SubmissionLinks } from '../domain/keys/submission-links';
import type { PlanPeriod } from '../domain/plan/period';
import { confirmationTokens } from './confirmation-token';
import { errorPage, page } from './pages';

const CONFIRMATION_TTL_MS = 15 * 60_000;
const MAX_CONTENT_LENGTH = 500;

type Query = Record<string, string | undefined>;
type FormBody = Record<string, string | string[] | undefined>;

export interface ReportRequestRoutesDeps {
  client: Client;
  links: SubmissionLinks;
  onRequest: onRequestHookHandler[];
  /** The plan's period, from its file: a request counts from its first working day at the earliest. */
  planPeriod: (ref: PlanRef) => PlanPeriod;
  /** The plan the signed-in account means and may see (answers the page itself when it may not). */
  officePlan(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply): Promise<{ account: SignedIn; ref: PlanRef; title: string } | undefined>;
}

interface Confirmation {
  account: string;
  planId: string;
  year: number;
  input: ReportRequestInput & { requestId: string };
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => item.trim()).filter((item) => item !== '');
}

function one(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

export function registerReportRequestRoutes(app: FastifyInstance, deps: ReportRequestRoutesDeps): void {
  const tokens = confirmationTokens(deps.links);
  const seal = (confirmation: Confirmation) => tokens.sign('report-request', confirmation, CONFIRMATION_TTL_MS);
  // Only this deployment signs report-request tokens, and only with a Confirmation inside.
  const open = (token: string) => tokens.verify('report-request', token) as Confirmation | undefined;

  const planQuery = (ref: PlanRef) => `ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}`;

  /** The office's own plan, for an office account; the city reads only. */
  async function mayRequest(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) {
    const found = await deps.officePlan(request, reply);
    if (!found) return undefined;
    if (found.account.role !== 'office') {
      await errorPage(reply, 403, {
        heading: 'Không có quyền yêu cầu báo cáo',
        message: 'Tài khoản thành phố chỉ xem. Yêu cầu báo cáo đột xuất do văn phòng của xã, phường gửi.',
      });
      return undefined;
    }
    return found;
  }

  async function formView(ref: PlanRef, title: string, chosen: { dutyId?: string; targets?: string[]; deadline?: string; content?: string }) {
    const views = await getPlanStatus(deps.client, ref, { withoutOccurrences: true });
    const onRequest = views.filter((view) => view.roles?.mode === 'on-request');
    const dutyId = chosen.dutyId && onRequest.some((view) => view.dutyId === chosen.dutyId) ? chosen.dutyId : onRequest[0]?.dutyId;
    const rules = dutyId ? (await getDutyStatus(deps.client, ref, dutyId, { withRules: true, withoutOccurrences: true })).rules?.request : undefined;
    const checked = new Set(chosen.targets ?? []);
    return {
      pageTitle: 'Yêu cầu báo cáo đột xuất',
      planTitle: title,
      action: `/theo-doi/yeu-cau?${planQuery(ref)}`,
      officeLink: `/theo-doi?${planQuery(ref)}`,
      hasDuties: onRequest.length > 0,
      duties: onRequest.map((view) => ({ id: view.dutyId, title: view.dutyTitle, selected: view.dutyId === dutyId })),
      targets: [
        ...Object.entries(rules?.groups ?? {}).map(([id, group]) => ({ id, name: `${group.name} (cả nhóm)`, checked: checked.has(id) })),
        ...Object.entries(rules?.unitNames ?? {}).map(([id, name]) => ({ id, name, checked: checked.has(id) })),
      ],
      deadline: chosen.deadline ?? '',
      content: chosen.content ?? '',
    };
  }

  app.get<{ Querystring: Query }>('/theo-doi/yeu-cau', { onRequest: deps.onRequest }, async (request, reply) => {
    const found = await mayRequest(request, reply);
    if (!found) return reply;
    return page(reply, 200, 'request', await formView(found.ref, found.title, {}));
  });

  app.post<{ Querystring: Query; Body: FormBody }>('/theo-doi/yeu-cau', { onRequest: deps.onRequest }, async (request, reply) => {
    const found = await mayRequest(request, reply);
    if (!found) return reply;
    const body = request.body ?? {};
    const chosen = { dutyId: one(body, 'nhiem-vu'), targets: list(body['don-vi']), deadline: one(body, 'han'), content: one(body, 'noi-dung') };
    const again = async (message: string) => page(reply, 400, 'request', { ...(await formView(found.ref, found.title, chosen)), error: message });
    if (chosen.content.length > MAX_CONTENT_LENGTH) return again(`Nội dung yêu cầu dài quá ${MAX_CONTENT_LENGTH} ký tự.`);
    if (chosen.targets.length === 0) return again('Hãy chọn ít nhất một đơn vị hoặc nhóm được yêu cầu báo cáo.');
    const input: ReportRequestInput = {
      dutyId: chosen.dutyId,
      targets: chosen.targets,
      ...(chosen.deadline ? { deadline: chosen.deadline } : {}),
      ...(chosen.content ? { content: chosen.content } : {}),
      requestedBy: found.account.name,
    };
    let placed;
    try {
      placed = await prepareReportRequest(deps.client, found.ref, input, deps.planPeriod(found.ref));
    } catch (err) {
      if (err instanceof UserError) return again(`Chưa gửi được: ${err.message}.`);
      throw err;
    }
    const first = placed.occurrences[0];
    const zone = placed.timeZone;
    const firstMail = first?.remindAt[0];
    const token = seal({
      account: found.account.name,
      planId: found.ref.planId,
      year: found.ref.year,
      input: { ...input, requestId: placed.requestId },
    });
    const view = await formView(found.ref, found.title, chosen);
    return page(reply, 200, 'request', {
      ...view,
      confirm: true,
      dutyTitle: placed.dutyTitle,
      deadlineText: first ? `hết ngày ${describeDeadline(first, zone)}` : '',
      firstMail: firstMail ? `${localDateTimeOf(firstMail, zone).time}, ${formatDateWithWeekday(localDateTimeOf(firstMail, zone).date)}` : 'không có (hạn quá gần)',
      unitCount: placed.occurrences.length,
      unitList: placed.occurrences.map((occ) => placed.unitNames[occ.unitId] ?? occ.unitId).join(', '),
      requestId: placed.requestId,
      token,
      confirmAction: `/theo-doi/yeu-cau/xac-nhan?${planQuery(found.ref)}`,
      backLink: `/theo-doi/yeu-cau?${planQuery(found.ref)}`,
    });
  });

  app.post<{ Querystring: Query; Body: FormBody }>('/theo-doi/yeu-cau/xac-nhan', { onRequest: deps.onRequest }, async (request, reply) => {
    const found = await mayRequest(request, reply);
    if (!found) return reply;
    const confirmation = open(one(request.body ?? {}, 'ma-xac-nhan'));
    const valid =
      confirmation !== undefined &&
      confirmation.account === found.account.name &&
      confirmation.planId === found.ref.planId &&
      confirmation.year === found.ref.year;
    if (!valid) {
      request.log.warn({ event: 'refused', reason: 'bad-confirmation', account: found.account.name }, 'report request confirmation refused');
      return page(reply, 400, 'request', {
        ...(await formView(found.ref, found.title, {})),
        error: 'Mã xác nhận không hợp lệ hoặc đã hết hạn (15 phút). Chưa gửi yêu cầu nào; hãy xem trước và xác nhận lại.',
      });
    }
    let result;
    try {
      const placed = await prepareReportRequest(deps.client, found.ref, confirmation.input, deps.planPeriod(found.ref));
      result = { placed, sent: await sendReportRequest(deps.client, found.ref, placed) };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return page(reply, 400, 'request', { ...(await formView(found.ref, found.title, {})), error: `Chưa gửi được: ${err.message}` });
    }
    const { placed, sent } = result;
    request.log.info({ event: 'report-requested', account: found.account.name, requestId: placed.requestId, units: sent.keys.length }, 'ad-hoc report requested');
    const names = placed.occurrences.map((occ) => placed.unitNames[occ.unitId] ?? occ.unitId).join(', ');
    const first = placed.occurrences[0];
    const deadline = first ? describeDeadline(first, placed.timeZone) : '';
    return page(reply, 200, 'request', {
      ...(await formView(found.ref, found.title, {})),
      done:
        sent.added.length === 0
          ? `Yêu cầu "${placed.requestId}" đã được gửi trước đó; không gửi thêm.`
          : `Đã gửi yêu cầu "${placed.requestId}" — ${placed.dutyTitle}: ${names}; hạn nộp hết ngày ${deadline}.`,
    });
  });
}
