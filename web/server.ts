/**
 * The web app units reach through the link in their emails: `/nop/<token>` shows what is due (duty,
 * period, deadline, the report's fields) and takes the submission, which goes to the duty workflow
 * as an Update; the workflow's validator has the last word and its refusal is shown on the form.
 *
 * The signed token is the unit's credential for exactly one occurrence: a forged or altered link is
 * refused before anything is asked of Temporal.
 */
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import basicAuth from '@fastify/basic-auth';
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { formatDateWithWeekday, formatDeadline, localDateOf, localDateTimeOf } from '../domain/calendar';
import { loadPlanFile } from '../domain/plan/load';
import { buildYearEndReport } from '../reports/year-end-report';
import { type SubmissionClaims, type SubmissionLinks, SUBMISSION_PATH } from '../domain/links';
import { compileTemplate } from '../domain/templates';
import { UserError } from '../client/cli-output';
import { getDutyStatus, getPlanStatus, getPlanView, type PlanRef, resolvePlanRef, submitReport } from '../client/plan-client';
import { officeView } from './office-page';
import { OCCURRENCE_STATUS_LABELS } from '../client/status-labels';
import { fieldHint, readSubmission, textMaxLength, type ReportField } from '../domain/report-fields';
import type { DutyStatusView, OccurrenceView, Receipt } from '../workflows/types';

export const SITE_NAME = 'Hệ thống theo dõi kế hoạch – UBND xã';

/** Larger than any legitimate report; the workflow enforces its own, smaller limit. */
const BODY_LIMIT_BYTES = 256 * 1024;
/** Signed tokens are a few hundred characters; fastify's default limit for a path parameter is 100. */
const MAX_TOKEN_LENGTH = 2048;
const OPEN_STATUSES = new Set<OccurrenceView['status']>(['pending', 'extended', 'overdue']);

const source = (name: string) => readFileSync(new URL(`./templates/${name}.html`, import.meta.url), 'utf8');
const layout = compileTemplate(source('layout'), 'html');
const partials = {
  submission: source('submission'),
  receipt: source('receipt'),
  message: source('message'),
  office: source('office'),
};

/** User name of the supervising office's status page; the password comes from the config. */
export const OFFICE_USER = 'theodoi';

function page(reply: FastifyReply, status: number, content: keyof typeof partials, view: Record<string, unknown>) {
  const html = layout.render({ siteName: SITE_NAME, ...view }, { content: partials[content] });
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(html);
}

function messagePage(reply: FastifyReply, status: number, heading: string, message: string) {
  return page(reply, status, 'message', { pageTitle: heading, heading, message });
}

function kindNoun(dutyKind: string): string {
  if (dutyKind === 'meeting' || dutyKind === 'conference') return 'biên bản';
  if (dutyKind === 'plan-document') return 'kế hoạch';
  if (dutyKind === 'posting') return 'kết quả niêm yết';
  return 'báo cáo';
}

function formatInstant(instant: string, zone: string): string {
  const { date, time } = localDateTimeOf(instant, zone);
  return `${time}, ${formatDateWithWeekday(date)}`;
}

interface Loaded {
  claims: SubmissionClaims;
  duty: DutyStatusView;
  occurrence: OccurrenceView;
}

/** Verify the link and find its occurrence; on failure, answer with a page and return undefined. */
async function load(client: Client, links: SubmissionLinks, token: string, reply: FastifyReply): Promise<Loaded | undefined> {
  const verified = links.verify(token);
  if (!verified.ok) {
    await messagePage(reply, 400, 'Đường dẫn không hợp lệ', verified.message);
    return undefined;
  }
  const { claims } = verified;
  const dutyId = claims.occurrenceKey.split(':')[0] ?? '';
  let duty: DutyStatusView;
  try {
    duty = await getDutyStatus(client, claims, dutyId, { unitId: claims.unitId });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    await messagePage(reply, 404, 'Không tìm thấy', 'Không tìm thấy kế hoạch hoặc nhiệm vụ của đường dẫn này; có thể kế hoạch đã kết thúc.');
    return undefined;
  }
  const occurrence = duty.occurrences.find((o) => o.key === claims.occurrenceKey && o.unitId === claims.unitId);
  if (!occurrence) {
    await messagePage(reply, 404, 'Không tìm thấy', 'Kỳ báo cáo của đường dẫn này không còn trong kế hoạch (kế hoạch có thể đã được điều chỉnh).');
    return undefined;
  }
  return { claims, duty, occurrence };
}

function receiptView(receipt: Receipt, zone: string) {
  return { reference: receipt.reference, receivedAt: formatInstant(receipt.receivedAt, zone), late: receipt.late };
}

interface Entered {
  /** What the person typed in each field, shown again as typed when the form comes back. */
  values?: Record<string, string>;
  /** Refusals by field id, shown next to their field. */
  fieldErrors?: Record<string, string>;
  submittedBy?: string;
  note?: string;
  /** A refusal that is about the whole submission (from the workflow). */
  error?: string;
}

/** Inputs that suit each field type: digits keyboards for numbers, a choice for yes/no, a text box for text. */
function fieldView(field: ReportField, value: string, error: string | undefined) {
  const signed = field.type === 'number' && (field.min === undefined || field.min < 0);
  const inputMode = field.type === 'count' || field.type === 'money' ? 'numeric' : (field.type === 'number' && !signed) || field.type === 'percent' ? 'decimal' : 'text';
  const chosen = value.normalize('NFC').trim().toLowerCase();
  return {
    id: field.id,
    label: field.label,
    required: field.required,
    value,
    hint: fieldHint(field),
    error,
    isText: field.type === 'text',
    isYesNo: field.type === 'yesno',
    isInput: field.type !== 'text' && field.type !== 'yesno',
    isYes: chosen === 'có',
    isNo: chosen === 'không',
    inputMode,
    placeholder: field.type === 'date' ? 'ngày/tháng/năm' : undefined,
    maxLength: field.type === 'text' ? textMaxLength(field) : undefined,
  };
}

function formView({ duty, occurrence }: Loaded, token: string, entered: Entered = {}) {
  const zone = duty.timeZone;
  return {
    pageTitle: duty.dutyTitle,
    action: `${SUBMISSION_PATH}${token}`,
    dutyTitle: duty.dutyTitle,
    unitName: occurrence.unitName,
    periodLabel: occurrence.periodLabel,
    eventTime: occurrence.eventAt ? formatInstant(occurrence.eventAt, zone) : undefined,
    deadline: formatDeadline(occurrence.dueAt, zone),
    status: occurrence.status,
    statusLabel: OCCURRENCE_STATUS_LABELS[occurrence.status],
    open: OPEN_STATUSES.has(occurrence.status),
    receipt: occurrence.submission ? receiptView(occurrence.submission, zone) : undefined,
    kindNoun: kindNoun(duty.dutyKind),
    fields: duty.fields.map((field) => fieldView(field, entered.values?.[field.id] ?? '', entered.fieldErrors?.[field.id])),
    submittedBy: entered.submittedBy ?? '',
    note: entered.note ?? '',
    error: entered.error,
    fieldErrorCount: Object.keys(entered.fieldErrors ?? {}).length || undefined,
  };
}

type FormBody = Record<string, string | string[] | undefined>;

function text(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** The first value of a form field as typed, untrimmed: a refused form shows it back unchanged. */
function typed(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * Every field read with the rules the workflow's validator re-checks (domain/report-fields); all
 * refusals at once, and every typed value kept for the form to show again.
 */
function parseFields(duty: DutyStatusView, body: FormBody) {
  const values = Object.fromEntries(duty.fields.map((field) => [field.id, typed(body, `field_${field.id}`)]));
  const { values: fields, problems } = readSubmission(duty.fields, values);
  const fieldErrors = Object.fromEntries(problems.map((problem) => [problem.fieldId, problem.message]));
  return { values, fields, fieldErrors: problems.length > 0 ? fieldErrors : undefined };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WebAppDeps {
  client: Client;
  links: SubmissionLinks;
  /** Password of the status page; without one the page is off. */
  officePassword?: string;
  /** The running plan's file: issuer, signer and recipients of the year-end report. */
  planFile?: string;
}

type OfficeQuery = { 'don-vi'?: string; 'ke-hoach'?: string; nam?: string };

export async function createWebApp({ client, links, officePassword, planFile }: WebAppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, routerOptions: { maxParamLength: MAX_TOKEN_LENGTH } });
  await app.register(formbody);
  await app.register(basicAuth, {
    authenticate: { realm: 'kehoach-theo-doi' },
    validate: async (username, password) => {
      if (!officePassword || username !== OFFICE_USER || !sameSecret(password, officePassword)) {
        throw Object.assign(new Error('unauthorised'), { statusCode: 401 });
      }
    },
  });

  const officeOnly = [
    async (_request: FastifyRequest, reply: FastifyReply) => {
      if (!officePassword) {
        return messagePage(reply, 404, 'Trang theo dõi chưa được bật', 'Quản trị viên cần đặt KEHOACH_OFFICE_PASSWORD để bật trang theo dõi.');
      }
    },
    app.basicAuth,
  ];

  /** The plan the office means: the one named in the query, or the only one running. */
  async function officePlan(query: OfficeQuery, reply: FastifyReply): Promise<PlanRef | undefined> {
    try {
      return await resolvePlanRef(client, {
        ...(query['ke-hoach'] ? { planId: query['ke-hoach'] } : {}),
        ...(query.nam ? { year: Number(query.nam) } : {}),
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      await messagePage(reply, 404, 'Chưa có kế hoạch', err.message);
      return undefined;
    }
  }

  app.get<{ Querystring: OfficeQuery }>('/theo-doi', { onRequest: officeOnly }, async (request, reply) => {
    const ref = await officePlan(request.query, reply);
    if (!ref) return reply;
    const [plan, duties] = await Promise.all([getPlanView(client, ref), getPlanStatus(client, ref)]);
    const unitId = request.query['don-vi'] || undefined;
    const reportLink = planFile ? `/theo-doi/bao-cao-tong-ket.docx?ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}` : undefined;
    return page(reply, 200, 'office', {
      ...officeView(plan.title, duties, unitId, new Date().toISOString()),
      planId: ref.planId,
      year: ref.year,
      reportLink,
    });
  });

  app.get<{ Querystring: OfficeQuery }>('/theo-doi/bao-cao-tong-ket.docx', { onRequest: officeOnly }, async (request, reply) => {
    const ref = await officePlan(request.query, reply);
    if (!ref) return reply;
    const loaded = planFile ? await loadPlanFile(planFile) : undefined;
    if (!loaded?.ok || loaded.plan.plan.id !== ref.planId || loaded.plan.plan.year !== ref.year) {
      return messagePage(reply, 409, 'Chưa lập được báo cáo', 'Tệp kế hoạch đang cấu hình không phải kế hoạch đang chạy, nên không có thông tin cơ quan ban hành và người ký. Hãy dùng lệnh "kehoach summary --file …".');
    }
    const views = await getPlanStatus(client, ref);
    const now = new Date().toISOString();
    const { docx } = await buildYearEndReport({
      plan: loaded.plan.plan,
      views,
      asOf: now,
      date: localDateOf(now, loaded.plan.plan.timeZone),
    });
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header('content-disposition', `attachment; filename="bao-cao-tong-ket-${ref.planId}-${ref.year}.docx"`)
      .send(docx);
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.get<{ Params: { token: string } }>(`${SUBMISSION_PATH}:token`, async (request, reply) => {
    const loaded = await load(client, links, request.params.token, reply);
    if (!loaded) return reply;
    return page(reply, 200, 'submission', formView(loaded, request.params.token));
  });

  app.post<{ Params: { token: string }; Body: FormBody }>(`${SUBMISSION_PATH}:token`, async (request, reply) => {
    const { token } = request.params;
    const loaded = await load(client, links, token, reply);
    if (!loaded) return reply;
    const body = request.body ?? {};
    const submittedBy = text(body, 'submittedBy');
    const note = text(body, 'note');
    const parsed = parseFields(loaded.duty, body);
    if (parsed.fieldErrors) {
      return page(reply, 422, 'submission', formView(loaded, token, { values: parsed.values, fieldErrors: parsed.fieldErrors, submittedBy, note }));
    }
    let receipt: Receipt;
    try {
      receipt = await submitReport(client, loaded.claims, {
        dutyId: loaded.duty.dutyId,
        unitId: loaded.claims.unitId,
        periodKey: loaded.occurrence.periodKey,
        fields: parsed.fields,
        ...(submittedBy ? { submittedBy } : {}),
        ...(note ? { note } : {}),
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return page(reply, 422, 'submission', formView(loaded, token, { values: parsed.values, submittedBy, note, error: err.message }));
    }
    const noun = kindNoun(loaded.duty.dutyKind);
    return page(reply, 200, 'receipt', {
      pageTitle: 'Đã tiếp nhận',
      kindNounCapitalised: noun.charAt(0).toUpperCase() + noun.slice(1),
      unitName: loaded.occurrence.unitName,
      periodLabel: loaded.occurrence.periodLabel,
      dutyTitle: loaded.duty.dutyTitle,
      ...receiptView(receipt, loaded.duty.timeZone),
    });
  });

  app.setNotFoundHandler((_request, reply) =>
    messagePage(reply, 404, 'Không tìm thấy trang', 'Trang này không tồn tại. Hãy mở đường dẫn nộp báo cáo trong thư điện tử.'),
  );
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    reply.log.error(error);
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 401) {
      return messagePage(reply, 401, 'Cần đăng nhập', 'Trang theo dõi chỉ dành cho cơ quan thường trực: hãy đăng nhập bằng tài khoản "theodoi" và mật khẩu được cấp.');
    }
    const message =
      status === 413
        ? 'Nội dung gửi lên quá lớn.'
        : status < 500
          ? 'Yêu cầu không hợp lệ.'
          : 'Hệ thống đang gặp sự cố, xin thử lại sau ít phút. Nội dung chưa được ghi nhận.';
    return messagePage(reply, status, 'Không thực hiện được', message);
  });
  return app;
}
