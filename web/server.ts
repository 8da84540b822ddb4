/**
 * The web app units reach through the link in their emails: `/nop/<token>` shows what is due (duty,
 * period, deadline, the report's fields) and takes the submission, which goes to the duty workflow
 * as an Update; the workflow's validator has the last word and its refusal is shown on the form.
 *
 * The signed token is the unit's credential for exactly one occurrence: a forged or altered link is
 * refused before anything is asked of Temporal.
 */
import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import basicAuth from '@fastify/basic-auth';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import { type Client, QueryNotRegisteredError } from '@temporalio/client';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_WEB_LIMITS, type WebLimits } from '../config/config';
import { formatDeadline, formatInstant, localDateOf } from '../domain/calendar';
import { loadPlanFile } from '../domain/plan/load';
import { periodYearsText } from '../domain/plan/period';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { buildYearEndReport, reportGroups } from '../reports/year-end-report';
import { registerReportVersionRoute, reportVersionRows } from './report-versions';
import { type SubmissionClaims, type SubmissionLinks, SUBMISSION_PATH } from '../domain/keys/submission-links';
import { UserError } from '../domain/user-error';
import { getDutyStatus, getMailOutage, getPlanStatus, getPlanView, RefusedError, submitReport, type PlanRef } from '../operations/plan-client';
import { periodOfRunningPlan, type CatalogPlan } from '../operations/plan-catalog';
import { AccountsFileError, type AccountBook, type SignedIn } from '../accounts/account-file';
import { DEFAULT_OFFICE_ACCOUNT } from '../accounts/default-account';
import { byRelevance, communeIdOf, currentYearAt } from '../domain/commune';
import { officeView } from './office-page';
import { registerOfficeDecisions } from './office-decisions';
import { registerCalendarFeed } from './calendar-feed';
import { registerAttachmentDownload } from './attachment-download';
import type { AttachmentStore } from './attachment-store';
import { ACCEPT_ATTRIBUTE, MAX_FILE_BYTES, MAX_FILES, FILE_FIELD, readSubmissionFiles, registerSubmissionUploads } from './submission-files';
import { registerReportRequestRoutes } from './report-request-page';
import { registerReportSheetRoutes } from './report-sheet-entry';
import { cityView, type CommunePlans } from './city-page';
import { OCCURRENCE_STATUS_LABELS } from '../domain/status-labels';
import { fieldHint, readSubmission, textMaxLength, type ReportField } from '../domain/report-fields';
import type { DutyStatusView, OccurrenceView, Receipt } from '../workflows/types';
import { tokenHash, withoutTokens } from './logging';
import { errorPage, errorText, messagePage, page, rawErrorResponse, SECURITY_HEADERS } from './pages';
import { registerYearPages } from './year-pages';
import type { DeliveryLog } from '../activities/mail/delivery-ledger';

export { SITE_NAME } from './pages';

/** Larger than any legitimate report; the workflow enforces its own, smaller limit. */
const BODY_LIMIT_BYTES = 256 * 1024;
/** Signed tokens are a few hundred characters; fastify's default limit for a path parameter is 100. */
const MAX_TOKEN_LENGTH = 2048;
/** Node's own default, stated: a longer request line plus headers is answered 431. */
const MAX_HEADER_BYTES = 16 * 1024;
/** A request (headers and body) must arrive within this; slower clients get 408. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * On close, how long handlers whose connection was already cut may still wait on Temporal before
 * their calls are abandoned: none may outlive the app and call a closed connection.
 */
const HANDLER_GRACE_MS = 3_000;
const OPEN_STATUSES = new Set<OccurrenceView['status']>(['pending', 'extended', 'overdue']);

/** The office account the embedded setup creates (accounts/default-account.ts). */
export const OFFICE_USER = DEFAULT_OFFICE_ACCOUNT;

declare module 'fastify' {
  interface FastifyRequest {
    /** The account of a signed-in request to the status pages. */
    account?: SignedIn;
  }
}

function kindNoun(dutyKind: string): string {
  if (dutyKind === 'meeting' || dutyKind === 'conference') return 'biên bản';
  if (dutyKind === 'plan-document') return 'kế hoạch';
  if (dutyKind === 'posting') return 'kết quả niêm yết';
  return 'báo cáo';
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
    reply.log.warn({ event: 'link-refused', reason: verified.reason, link: tokenHash(token) }, 'submission link refused');
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
    reply.log.warn({ event: 'link-refused', reason: 'unknown-plan', link: tokenHash(token) }, 'submission link names no running plan');
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

function formView({ duty, occurrence }: Loaded, token: string, entered: Entered = {}, uploads = false) {
  const zone = duty.timeZone;
  return {
    files: uploads ? { field: FILE_FIELD, accept: ACCEPT_ATTRIBUTE, maxFiles: MAX_FILES, maxMegabytes: MAX_FILE_BYTES / 1024 / 1024 } : undefined,
    receiptFiles: occurrence.submission?.attachments?.map((ref) => ref.name),
    pageTitle: duty.dutyTitle,
    action: `${SUBMISSION_PATH}${token}`,
    dutyTitle: duty.dutyTitle,
    unitName: occurrence.unitName,
    periodLabel: occurrence.periodLabel,
    eventTime: occurrence.eventAt ? formatInstant(occurrence.eventAt, zone, { weekday: true }) : undefined,
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

type FormBody = Record<string, unknown>;

function firstString(body: FormBody, name: string): string | undefined {
  const value = body[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function text(body: FormBody, name: string): string {
  return firstString(body, name)?.trim() ?? '';
}

/** The first value of a form field as typed, untrimmed: a refused form shows it back unchanged. */
function typed(body: FormBody, name: string): string {
  return firstString(body, name) ?? '';
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

export interface WebAppDeps {
  client: Client;
  links: SubmissionLinks;
  /** Accounts of the status pages (roles, hashed passwords); none, or an empty file, = the pages are off. */
  accounts?: AccountBook;
  /**
   * The plans this deployment runs (operations/plan-catalog.ts): what each commune's office may pick
   * while its period lasts, what the city's roll-up counts, each commune's name, and the issuer,
   * signer and recipients of a plan's year-end report. A plan started by hand from another file is
   * still shown when its link names it.
   */
  plans?: readonly CatalogPlan[];
  /** Where requests, errors, failed logins and refusals are logged (see `logging.ts`); none = silent. */
  logger?: FastifyBaseLogger;
  /** Requests per minute and login lockout, per client address. */
  limits?: WebLimits;
  /** Reverse proxies whose X-Forwarded-For names the client; none = the peer address is the client. */
  trustedProxies?: string[];
  /** The delivery ledger the workers write, read for the mail log and item histories; none = no mail shown. */
  deliveryLog?: DeliveryLog;
  /** Where files attached to submissions are kept (web/attachment-store.ts); none = the form takes no files. */
  attachments?: AttachmentStore;
  /** The data directory, where the plans' mailed year-end report versions are stored; none = not listed. */
  dataDir?: string;
}

type OfficeQuery = { 'don-vi'?: string; 'ke-hoach'?: string; nam?: string; xa?: string };

function mayView(account: SignedIn, communeId: string): boolean {
  return account.role === 'city' || account.commune === communeId;
}

/** "45 giây", "15 phút": how long to wait, as the refusal page says it. */
function waitText(seconds: number): string {
  return seconds < 90 ? `${Math.max(1, Math.ceil(seconds))} giây` : `${Math.ceil(seconds / 60)} phút`;
}

/** Node's parser errors, answered before fastify sees a request. */
function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

export async function createWebApp({
  client,
  links,
  accounts,
  plans = [],
  logger,
  limits = DEFAULT_WEB_LIMITS,
  trustedProxies = [],
  deliveryLog,
  attachments,
  dataDir,
}: WebAppDeps): Promise<FastifyInstance> {
  /** Set when the app starts closing: requests still arriving on open connections get a 503 page. */
  let closing = false;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // One line per request from the onResponse hook below, instead of fastify's own lines (which
    // would carry raw URLs, tokens included).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    return503OnClosing: false,
    routerOptions: { maxParamLength: MAX_TOKEN_LENGTH },
    // Bad percent-encoding, an over-long token: errors the router meets before any route or hook.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      request.log.warn(
        { event: 'refused', status, code: error.code, method: request.method, url: withoutTokens(request.raw.url ?? ''), ip: request.ip },
        'request refused by the router',
      );
      return errorPage(reply, status);
    },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const status = clientErrorStatus(error.code);
      logger?.warn({ event: 'refused', status, code: error.code, ip: socket.remoteAddress }, 'request refused by the HTTP parser');
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      socket.once('finish', () => socket.destroy());
      socket.end(rawErrorResponse(status));
    },
  });

  // Every handler's Temporal calls run under one abort signal, and the app knows which are running.
  const handlersRunning = new Set<Promise<unknown>>();
  const abandonHandlers = new AbortController();
  // Each Temporal call under way listens on this one signal (a status page queries every duty at
  // once): dozens of listeners are expected, not a leak.
  setMaxListeners(0, abandonHandlers.signal);
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const running = client.withAbortSignal(abandonHandlers.signal, async () => handler.call(this, request, reply));
      handlersRunning.add(running);
      const settled = () => handlersRunning.delete(running);
      running.then(settled, settled);
      return running;
    };
  });
  app.addHook('onClose', async () => {
    const abandon = setTimeout(() => abandonHandlers.abort(), HANDLER_GRACE_MS);
    await Promise.allSettled([...handlersRunning]);
    clearTimeout(abandon);
  });

  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (closing) {
      reply.header('connection', 'close').header('retry-after', '60');
      return errorPage(reply, 503);
    }
    return undefined;
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    request.log[level](
      { event: 'request', method: request.method, url: withoutTokens(request.url), status, ms: Math.round(reply.elapsedTime), ip: request.ip },
      'request',
    );
  });

  // Only the encodings of the pages' own forms (a JSON body is refused with 415): urlencoded, and
  // multipart for files (attachments of a submission, the office's entry sheet).
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  await registerSubmissionUploads(app);
  await app.register(rateLimit, {
    global: false,
    // Refusals during a flood count too, so a client must pause for a whole window to get back in.
    continueExceeding: true,
    onExceeded: (request) => request.log.warn({ event: 'rate-limited', url: withoutTokens(request.url), ip: request.ip }, 'rate limit reached'),
  });
  const minute = 60_000;
  const submissionRate = app.rateLimit({ max: limits.requestsPerMinute, timeWindow: minute });
  const officeRate = app.rateLimit({ max: limits.requestsPerMinute, timeWindow: minute });
  // Counts failed logins per address; exceeded once `loginMaxFailures` failures fall within the window.
  const loginFailures = app.createRateLimit({ max: limits.loginMaxFailures - 1, timeWindow: limits.loginLockoutMinutes * minute });

  app.decorateRequest('account', undefined);
  await app.register(basicAuth, {
    authenticate: { realm: 'kehoach-theo-doi' },
    validate: async (username, password, request) => {
      const account = await accounts?.check(username, password);
      if (account) {
        request.account = account;
        return;
      }
      const counted = await loginFailures(request);
      request.log.warn(
        { event: 'login-failed', ip: request.ip, knownUser: accounts?.knows(username) ?? false, lockedOut: !counted.isAllowed && counted.isExceeded },
        'failed login to the status page',
      );
      throw Object.assign(new Error('unauthorised'), { statusCode: 401 });
    },
  });

  /** Too many failed logins from this address: refused before the password is even looked at. */
  async function loginLockout(request: FastifyRequest, reply: FastifyReply) {
    const state = await loginFailures(request, { increment: false });
    if (state.isAllowed || !state.isExceeded) return undefined;
    // This attempt counts too, so guessing on during the lockout keeps it going.
    const counted = await loginFailures(request);
    const retryAfter = counted.isAllowed ? 60 : counted.ttlInSeconds;
    request.log.warn({ event: 'login-locked', ip: request.ip, retryAfterSeconds: retryAfter }, 'status page locked for this address');
    reply.header('retry-after', String(retryAfter));
    return errorPage(reply, 429, {
      heading: 'Tạm khóa đăng nhập',
      message:
        `Đăng nhập sai ${limits.loginMaxFailures} lần nên trang theo dõi tạm khóa với địa chỉ này. ` +
        `Xin thử lại sau ${waitText(retryAfter)}; nếu quên mật khẩu, hãy hỏi quản trị viên.`,
    });
  }

  const officeOnly = [
    officeRate,
    async (request: FastifyRequest, reply: FastifyReply) => {
      let open: boolean;
      try {
        open = accounts?.hasAccounts() ?? false;
      } catch (err) {
        if (!(err instanceof AccountsFileError)) throw err;
        // A broken accounts file decides no login: every sign-in waits until an administrator fixes it.
        request.log.error({ event: 'accounts-unreadable', problems: err.problems }, 'the accounts file cannot be used');
        reply.header('retry-after', '300');
        return errorPage(reply, 503, {
          heading: 'Tạm thời chưa đăng nhập được',
          message: 'Tệp tài khoản của hệ thống đang có lỗi nên chưa kiểm tra được đăng nhập. Quản trị viên đã được ghi nhận lỗi trong nhật ký; xin thử lại sau.',
        });
      }
      if (!open) {
        return messagePage(
          reply,
          404,
          'Trang theo dõi chưa được bật',
          'Chưa có tài khoản nào. Quản trị viên tạo tài khoản bằng lệnh "kehoach account add" (hoặc đặt KEHOACH_OFFICE_PASSWORD) để bật trang theo dõi.',
        );
      }
      return undefined;
    },
    loginLockout,
    app.basicAuth,
  ];

  function signedInAccount(request: FastifyRequest): SignedIn {
    if (!request.account) throw new Error('status page reached without a signed-in account');
    return request.account;
  }

  const communeNameOf = (communeId: string) => plans.find((known) => known.communeId === communeId)?.communeName ?? `xã "${communeId}"`;
  const catalogEntry = (ref: PlanRef) => plans.find((known) => known.plan.planId === ref.planId && known.plan.year === ref.year);

  /** The plans of the deployment whose period lasts, most relevant first; of one commune, or all. */
  function currentPlans(nowIso: string, communeId?: string): CatalogPlan[] {
    const lasting = plans.filter((entry) => Date.parse(entry.closesAt) > Date.parse(nowIso) && (communeId === undefined || entry.communeId === communeId));
    return byRelevance(lasting, currentYearAt(nowIso), (entry) => entry.plan.year);
  }

  async function notFound(request: FastifyRequest, reply: FastifyReply, message: string) {
    request.log.warn({ event: 'refused', status: 404, reason: 'unknown-plan' }, 'status page asked for a plan that does not exist');
    await messagePage(reply, 404, 'Không tìm thấy kế hoạch', message);
    return undefined;
  }

  /**
   * The plan the signed-in account means and may see: the one named (`ke-hoach`, `nam`), else the
   * most relevant plan of the commune named (`xa`, the city's drill-down) or of the office's own
   * commune; with the commune's other plans for the picker. Another commune's plan is refused (403)
   * before anything about it is looked up, so whether it exists is not told either.
   */
  async function officePlan(request: FastifyRequest<{ Querystring: OfficeQuery }>, reply: FastifyReply) {
    const account = signedInAccount(request);
    const query = request.query;
    const year = query.nam && /^\d{4}$/.test(query.nam) ? Number(query.nam) : undefined;
    if (query.nam && year === undefined) return notFound(request, reply, `Năm "${query.nam}" không hợp lệ: năm gồm 4 chữ số, ví dụ 2026.`);
    const planId = query['ke-hoach'] || undefined;
    const now = new Date().toISOString();
    // A plan named without its year: the most relevant one of that id.
    const named = planId && !year ? currentPlans(now).find((entry) => entry.plan.planId === planId)?.plan : undefined;
    const ref: PlanRef | undefined = planId && year ? { planId, year } : named ? { planId: named.planId, year: named.year } : undefined;
    const communeId = ref ? communeIdOf(ref.planId, ref.year) : planId ? planId : query.xa || account.commune;
    if (communeId === undefined) {
      // The city without a commune in mind: its own page lists them all.
      await reply.redirect('/thanh-pho', 303);
      return undefined;
    }
    if (!mayView(account, communeId)) {
      request.log.warn({ event: 'forbidden', account: account.name, commune: communeId }, 'account asked for another commune');
      await errorPage(reply, 403);
      return undefined;
    }
    const choices: PlanRef[] = currentPlans(now, communeId).map((entry) => ({ planId: entry.plan.planId, year: entry.plan.year }));
    const chosen = ref ?? (planId ? undefined : choices[0]);
    if (!chosen) {
      return notFound(
        request,
        reply,
        planId
          ? `Không có kế hoạch "${planId}" đang chạy. Hãy mở trang theo dõi không kèm tham số để xem các kế hoạch của xã.`
          : `${communeNameOf(communeId)} chưa có kế hoạch nào đang chạy.`,
      );
    }
    let view;
    try {
      view = await getPlanView(client, chosen);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return notFound(request, reply, `Không có kế hoạch "${chosen.planId}" năm ${chosen.year} trong hệ thống. Hãy mở trang theo dõi không kèm tham số để xem các kế hoạch của xã.`);
    }
    const same = (a: PlanRef) => a.planId === chosen.planId && a.year === chosen.year;
    if (!choices.some(same)) choices.unshift(chosen);
    return { account, ref: chosen, view, communeId, choices, same };
  }

  /** "Năm 2026", or "2026–2027" for a plan across two years. */
  const pickerYears = (plan: { year: number; period?: { from: string; to: string } }) => {
    const years = periodYearsText(periodOfPlan(plan));
    return years.charAt(0).toUpperCase() + years.slice(1);
  };
  const planLink = (ref: PlanRef) => `/theo-doi?ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}`;

  app.get<{ Querystring: OfficeQuery }>('/theo-doi', { onRequest: officeOnly }, async (request, reply) => {
    const found = await officePlan(request, reply);
    if (!found) return reply;
    const { account, ref, view: plan, communeId, choices, same } = found;
    const [duties, outage] = await Promise.all([getPlanStatus(client, ref), getMailOutage(client, plan)]);
    const unitId = request.query['don-vi'] || undefined;
    const reportLink = catalogEntry(ref) ? `/theo-doi/bao-cao-tong-ket.docx?ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}` : undefined;
    const reportVersions = await reportVersionRows(dataDir, ref, plan.timeZone);
    const office = officeView(plan.title, duties, unitId, new Date().toISOString(), outage);
    return page(reply, 200, 'office', {
      reportVersions,
      hasReportVersions: reportVersions.length > 0,
      ...office,
      duties: office.duties.map((duty) => ({ ...duty, historyLink: `/theo-doi/nhiem-vu/${encodeURIComponent(duty.dutyId)}?${planLink(ref).split('?')[1]}` })),
      planId: ref.planId,
      year: ref.year,
      reportLink,
      communeName: communeNameOf(communeId),
      readOnly: account.role === 'city',
      hasPlanChoice: choices.length > 1,
      planChoices: choices.map((choice) => ({
        label: `${pickerYears(catalogEntry(choice)?.plan ?? choice)}: ${same(choice) ? plan.title : (catalogEntry(choice)?.plan.title ?? choice.planId)}`,
        link: planLink(choice),
        current: same(choice),
      })),
    });
  });

  const planPeriod = (ref: PlanRef) => periodOfRunningPlan(plans, ref);
  /** The office's plan as the office forms need it: who asks, which plan, its title. */
  const titledOfficePlan = async (request: FastifyRequest<{ Querystring: OfficeQuery }>, reply: FastifyReply) => {
    const found = await officePlan(request, reply);
    return found && { account: found.account, ref: found.ref, title: found.view.title };
  };
  registerReportRequestRoutes(app, {
    client,
    links,
    onRequest: officeOnly,
    planPeriod,
    officePlan: titledOfficePlan,
  });

  registerReportSheetRoutes(app, {
    client,
    links,
    onRequest: officeOnly,
    officePlan: titledOfficePlan,
  });

  app.get('/thanh-pho', { onRequest: officeOnly }, async (request, reply) => {
    const account = signedInAccount(request);
    if (account.role !== 'city') {
      request.log.warn({ event: 'forbidden', account: account.name, path: '/thanh-pho' }, 'office account asked for the city page');
      return errorPage(reply, 403, {
        heading: 'Không có quyền xem',
        message: 'Trang tổng hợp các xã chỉ dành cho tài khoản thành phố. Tài khoản văn phòng xã xem kế hoạch của xã mình tại trang theo dõi.',
      });
    }
    const byCommune = new Map<string, CommunePlans>();
    for (const { plan, communeId, communeName } of currentPlans(new Date().toISOString())) {
      const duties = await getPlanStatus(client, plan).catch((err: unknown) => {
        // Not started on this namespace (yet): nothing of it to count.
        if (err instanceof UserError) return undefined;
        throw err;
      });
      if (!duties) continue;
      const entry = byCommune.get(communeId) ?? { communeId, communeName, plans: [] };
      entry.plans.push({ year: plan.year, ...(plan.period ? { period: plan.period } : {}), duties });
      byCommune.set(communeId, entry);
    }
    return page(reply, 200, 'city', cityView([...byCommune.values()], new Date().toISOString(), 'Asia/Ho_Chi_Minh'));
  });

  app.get<{ Querystring: OfficeQuery }>('/theo-doi/bao-cao-tong-ket.docx', { onRequest: officeOnly }, async (request, reply) => {
    const found = await officePlan(request, reply);
    if (!found) return reply;
    const { ref } = found;
    const planFile = catalogEntry(ref)?.file;
    const loaded = planFile ? await loadPlanFile(planFile) : undefined;
    if (!loaded?.ok || loaded.plan.plan.id !== ref.planId || loaded.plan.plan.year !== ref.year) {
      return messagePage(reply, 409, 'Chưa lập được báo cáo', 'Tệp của kế hoạch này không có trong thư mục kế hoạch đang cấu hình, nên không có thông tin cơ quan ban hành và người ký. Hãy dùng lệnh "kehoach summary --file …".');
    }
    const views = await getPlanStatus(client, ref);
    const now = new Date().toISOString();
    const { docx } = await buildYearEndReport({
      plan: loaded.plan.plan,
      groups: reportGroups(loaded.plan),
      views,
      asOf: now,
      date: localDateOf(now, loaded.plan.plan.timeZone),
    });
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header('content-disposition', `attachment; filename="bao-cao-tong-ket-${ref.planId}-${ref.year}.docx"`)
      .send(docx);
  });

  registerYearPages(app, { client, officeOnly, officePlan, catalogEntry, ...(deliveryLog ? { deliveryLog } : {}) });
  registerOfficeDecisions(app, { client, links, officeOnly, planPeriod });
  registerCalendarFeed(app, { client, links, rate: submissionRate });
  if (attachments) registerAttachmentDownload(app, { client, store: attachments, officeOnly });
  registerReportVersionRoute(app, { dataDir, onRequest: officeOnly, officePlan });

  app.get('/healthz', async () => ({ ok: true }));

  app.get<{ Params: { token: string } }>(`${SUBMISSION_PATH}:token`, { onRequest: submissionRate }, async (request, reply) => {
    const loaded = await load(client, links, request.params.token, reply);
    if (!loaded) return reply;
    return page(reply, 200, 'submission', formView(loaded, request.params.token, {}, attachments !== undefined));
  });

  app.post<{ Params: { token: string }; Body: FormBody }>(`${SUBMISSION_PATH}:token`, { onRequest: submissionRate }, async (request, reply) => {
    const { token } = request.params;
    const loaded = await load(client, links, token, reply);
    if (!loaded) return reply;
    const body = request.body ?? {};
    const submittedBy = text(body, 'submittedBy');
    const note = text(body, 'note');
    const parsed = parseFields(loaded.duty, body);
    const uploads = attachments !== undefined;
    if (parsed.fieldErrors) {
      return page(reply, 422, 'submission', formView(loaded, token, { values: parsed.values, fieldErrors: parsed.fieldErrors, submittedBy, note }, uploads));
    }
    const files = attachments ? await readSubmissionFiles(body, attachments) : { ok: true as const, refs: [] };
    if (!files.ok) {
      request.log.info({ event: 'attachment-refused', link: tokenHash(token) }, 'attached files refused');
      const error = `Chưa nộp được vì tệp đính kèm: ${files.problems.join(' ')} Những gì đã nhập vẫn được giữ nguyên; xin chọn lại tệp.`;
      return page(reply, 422, 'submission', formView(loaded, token, { values: parsed.values, submittedBy, note, error }, uploads));
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
        ...(files.refs.length > 0 ? { attachments: files.refs } : {}),
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      request.log.info(
        { event: 'submission-refused', link: tokenHash(token), code: err instanceof RefusedError ? err.code : undefined },
        'the duty workflow refused the submission',
      );
      return page(reply, 422, 'submission', formView(loaded, token, { values: parsed.values, submittedBy, note, error: err.message }, uploads));
    }
    request.log.info({ event: 'submitted', link: tokenHash(token), reference: receipt.reference, late: receipt.late }, 'submission recorded');
    const noun = kindNoun(loaded.duty.dutyKind);
    return page(reply, 200, 'receipt', {
      pageTitle: 'Đã tiếp nhận',
      kindNounCapitalised: noun.charAt(0).toUpperCase() + noun.slice(1),
      unitName: loaded.occurrence.unitName,
      periodLabel: loaded.occurrence.periodLabel,
      dutyTitle: loaded.duty.dutyTitle,
      files: files.refs.map((ref) => ref.name),
      ...receiptView(receipt, loaded.duty.timeZone),
    });
  });

  app.setNotFoundHandler((_request, reply) => errorPage(reply, 404));
  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof QueryNotRegisteredError) {
      // A workflow started a moment ago has not run its first task yet: not a failure, just early.
      request.log.warn({ event: 'refused', status: 503, reason: 'workflow-starting' }, 'workflow not answering queries yet');
      reply.header('retry-after', '5');
      return errorPage(reply, 503, {
        heading: 'Kế hoạch đang khởi động',
        message: 'Kế hoạch vừa được khởi chạy và chưa sẵn sàng trả lời. Xin tải lại trang sau ít giây.',
      });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ event: 'error', err: error }, 'request failed');
    else request.log.warn({ event: 'refused', status, code: error.code }, 'request refused');
    if (status === 429) {
      const retryAfter = Number(reply.getHeader('retry-after')) || 60;
      return errorPage(reply, 429, { ...errorText(429), message: `Có quá nhiều yêu cầu từ địa chỉ này trong thời gian ngắn. Xin thử lại sau ${waitText(retryAfter)}.` });
    }
    return errorPage(reply, status);
  });
  return app;
}
