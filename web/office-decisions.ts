/**
 * The office's decisions on the web: approve or refuse a unit's pending extension request, and
 * waive an item with a reason. Each goes in two steps that work without JavaScript: a confirmation
 * page (GET) shows the item and what will change, and only its form (POST) decides. The decision is
 * the same Update the CLI sends (operations/plan-client.ts), so the duty workflow's validator judges it
 * and its Vietnamese refusal is shown on the confirmation page; the record it keeps (who decided,
 * when, the note) is what the item's timeline shows.
 *
 * Forgery: the office signs in with HTTP Basic, which a browser would replay on a request another
 * site makes it send. A decision is therefore taken only with the token its confirmation page
 * issued (web/confirmation-token.ts), naming the account, the decision and the item, valid for a
 * few hours; and a request whose Origin or Sec-Fetch-Site says another site sent it is
 * refused outright. City accounts read only; an office decides only for its own commune.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { SignedIn } from '../accounts/account-file';
import { UserError } from '../domain/user-error';
import { decideExtension, getDutyStatus, RefusedError, waiveOccurrence, type PlanRef } from '../operations/plan-client';
import type { PlanPeriod } from '../domain/plan/period';
import { OCCURRENCE_STATUS_LABELS } from '../domain/status-labels';
import { formatDeadline, formatInstant } from '../domain/calendar';
import { communeIdOf } from '../domain/commune';
import type { SubmissionLinks } from '../domain/keys/submission-links';
import type { DutyStatusView, OccurrenceView } from '../workflows/types';
import { confirmationTokens, sentFromAnotherSite } from './confirmation-token';
import { errorPage, messagePage, page } from './pages';

export const DECISION_PATH = '/theo-doi/quyet-dinh';

export type DecisionAction = 'duyet' | 'tu-choi' | 'mien';

/** How long a confirmation page's form stays usable: long enough to read and think, no longer. */
const CONFIRMATION_VALID_MS = 4 * 3_600_000;
const MAX_NOTE_LENGTH = 2_000;

const ACTIONS: Record<DecisionAction, { heading: string; button: string; noteLabel: string; reasonRequired: boolean }> = {
  duyet: { heading: 'Đồng ý gia hạn', button: 'Xác nhận đồng ý gia hạn', noteLabel: 'Ghi chú gửi đơn vị (không bắt buộc)', reasonRequired: false },
  'tu-choi': { heading: 'Không đồng ý gia hạn', button: 'Xác nhận không đồng ý', noteLabel: 'Lý do không đồng ý, gửi đơn vị (không bắt buộc)', reasonRequired: false },
  mien: { heading: 'Miễn nộp kỳ này', button: 'Xác nhận miễn', noteLabel: 'Lý do miễn (bắt buộc)', reasonRequired: true },
};

const OPEN = new Set<OccurrenceView['status']>(['pending', 'extended', 'overdue']);

interface Target extends PlanRef {
  dutyId: string;
  unitId: string;
  periodKey: string;
  action: DecisionAction;
}

type Fields = Record<string, string | string[] | undefined>;

function first(fields: Fields, name: string): string {
  const value = fields[name];
  return ((Array.isArray(value) ? value[0] : value) ?? '').trim();
}

function targetOf(fields: Fields): Target | undefined {
  const action = first(fields, 'viec');
  const year = first(fields, 'nam');
  const target = {
    planId: first(fields, 'ke-hoach'),
    year: Number(year),
    dutyId: first(fields, 'nhiem-vu'),
    unitId: first(fields, 'don-vi'),
    periodKey: first(fields, 'ky'),
    action: action as DecisionAction,
  };
  if (!(action in ACTIONS) || !/^\d{4}$/.test(year) || !target.planId || !target.dutyId || !target.unitId || !target.periodKey) return undefined;
  return target;
}

function query(target: Target): string {
  const params = new URLSearchParams({
    'ke-hoach': target.planId,
    nam: String(target.year),
    'nhiem-vu': target.dutyId,
    'don-vi': target.unitId,
    ky: target.periodKey,
    viec: target.action,
  });
  return params.toString();
}

/** The link that opens the confirmation of one decision on one item. */
export function decisionLink(duty: Pick<DutyStatusView, 'planId' | 'year' | 'dutyId'>, occurrence: Pick<OccurrenceView, 'unitId' | 'periodKey'>, action: DecisionAction): string {
  return `${DECISION_PATH}?${query({ planId: duty.planId, year: duty.year, dutyId: duty.dutyId, unitId: occurrence.unitId, periodKey: occurrence.periodKey, action })}`;
}

/** The decisions the office may take on an item as it stands (links to their confirmations). */
export function decisionsFor(duty: DutyStatusView, occurrence: OccurrenceView): { label: string; link: string }[] {
  if (!OPEN.has(occurrence.status)) return [];
  const actions: { label: string; link: string }[] = [];
  if (occurrence.extensions.some((record) => record.status === 'pending')) {
    actions.push({ label: 'Duyệt gia hạn', link: decisionLink(duty, occurrence, 'duyet') });
    actions.push({ label: 'Từ chối gia hạn', link: decisionLink(duty, occurrence, 'tu-choi') });
  }
  actions.push({ label: 'Miễn', link: decisionLink(duty, occurrence, 'mien') });
  return actions;
}

function officeLink(target: Target): string {
  return `/theo-doi?${new URLSearchParams({ 'ke-hoach': target.planId, nam: String(target.year), 'don-vi': target.unitId }).toString()}`;
}

function formInstant(instant: string, zone: string): string {
  return formatInstant(instant, zone, { weekday: true });
}

export interface DecisionDeps {
  client: Client;
  links: SubmissionLinks;
  /** The office pages' sign-in (rate limit, lockout, Basic auth). */
  officeOnly: onRequestHookHandler[];
  /** The plan's period, from its file: where an approved extension's reminders may start. */
  planPeriod: (ref: PlanRef) => PlanPeriod;
}

export function registerOfficeDecisions(app: FastifyInstance, { client, links, officeOnly, planPeriod }: DecisionDeps): void {
  const tokens = confirmationTokens(links);
  /** What a confirmation binds: this account taking this decision on this item. */
  const claimsOf = (account: SignedIn, target: Target) =>
    [account.name, target.action, target.planId, target.year, target.dutyId, target.unitId, target.periodKey];
  const issueToken = (account: SignedIn, target: Target) => tokens.sign('office-decision', claimsOf(account, target), CONFIRMATION_VALID_MS);
  const tokenValid = (token: string, account: SignedIn, target: Target): boolean =>
    JSON.stringify(tokens.verify('office-decision', token)) === JSON.stringify(claimsOf(account, target));

  /** The item to decide on, if this account may decide on it; otherwise a page has been sent. */
  async function authorised(request: FastifyRequest, reply: FastifyReply, fields: Fields) {
    const account = request.account;
    if (!account) throw new Error('decision reached without a signed-in account');
    const target = targetOf(fields);
    if (!target) {
      await messagePage(reply, 400, 'Yêu cầu không hợp lệ', 'Đường dẫn quyết định thiếu kế hoạch, năm, nhiệm vụ, đơn vị, kỳ hoặc việc cần làm. Hãy mở lại từ trang theo dõi.');
      return undefined;
    }
    if (account.role !== 'office' || account.commune !== communeIdOf(target.planId, target.year)) {
      request.log.warn({ event: 'forbidden', account: account.name, plan: target.planId, action: target.action }, 'account may not decide for this plan');
      await errorPage(reply, 403, {
        heading: 'Không có quyền quyết định',
        message: 'Chỉ văn phòng xã có kế hoạch này mới duyệt gia hạn hoặc miễn nộp; tài khoản thành phố chỉ xem.',
      });
      return undefined;
    }
    let duty: DutyStatusView;
    try {
      duty = await getDutyStatus(client, target, target.dutyId, { unitId: target.unitId });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      await messagePage(reply, 404, 'Không tìm thấy', `Không có nhiệm vụ "${target.dutyId}" của kế hoạch "${target.planId}" năm ${target.year} trong hệ thống.`);
      return undefined;
    }
    const occurrence = duty.occurrences.find((o) => o.periodKey === target.periodKey);
    if (!occurrence) {
      await messagePage(reply, 404, 'Không tìm thấy', `Đơn vị "${target.unitId}" không có kỳ "${target.periodKey}" trong nhiệm vụ "${duty.dutyTitle}".`);
      return undefined;
    }
    return { account, target, duty, occurrence };
  }

  function confirmation(
    reply: FastifyReply,
    status: number,
    { account, target, duty, occurrence }: { account: SignedIn; target: Target; duty: DutyStatusView; occurrence: OccurrenceView },
    entered: { note?: string; error?: string } = {},
  ) {
    const zone = duty.timeZone;
    const action = ACTIONS[target.action];
    const pending = occurrence.extensions.find((record) => record.status === 'pending');
    return page(reply, status, 'decision', {
      pageTitle: action.heading,
      heading: action.heading,
      dutyTitle: duty.dutyTitle,
      unitName: occurrence.unitName,
      periodLabel: occurrence.periodLabel,
      deadline: formatDeadline(occurrence.dueAt, zone),
      statusLabel: OCCURRENCE_STATUS_LABELS[occurrence.status],
      extension: target.action !== 'mien' && pending
        ? { until: formatDeadline(pending.until, zone), reason: pending.reason, requestedAt: formInstant(pending.requestedAt, zone), requestedBy: pending.requestedBy }
        : undefined,
      effect:
        target.action === 'duyet'
          ? pending ? `Hạn nộp sẽ chuyển sang ${formatDeadline(pending.until, zone)}; lịch nhắc việc theo hạn mới; đơn vị được báo kết quả.` : undefined
          : target.action === 'tu-choi'
            ? 'Hạn nộp giữ nguyên; đơn vị được báo kết quả.'
            : 'Kỳ này không còn phải nộp, không nhắc và không báo quá hạn nữa; lý do được ghi vào hồ sơ.',
      error: entered.error,
      action: DECISION_PATH,
      hidden: Object.entries(Object.fromEntries(new URLSearchParams(query(target)))).map(([name, value]) => ({ name, value })),
      token: issueToken(account, target),
      noteLabel: action.noteLabel,
      note: entered.note ?? '',
      reasonRequired: action.reasonRequired,
      maxNoteLength: MAX_NOTE_LENGTH,
      button: action.button,
      back: officeLink(target),
    });
  }

  app.get<{ Querystring: Fields }>(DECISION_PATH, { onRequest: officeOnly }, async (request, reply) => {
    const found = await authorised(request, reply, request.query);
    if (!found) return reply;
    return confirmation(reply, 200, found);
  });

  app.post<{ Body: Fields }>(DECISION_PATH, { onRequest: officeOnly }, async (request, reply) => {
    if (sentFromAnotherSite(request.headers)) {
      request.log.warn({ event: 'forged-form', site: request.headers['sec-fetch-site'], origin: request.headers.origin }, 'decision sent from another site');
      return errorPage(reply, 403, { heading: 'Yêu cầu bị từ chối', message: 'Quyết định chỉ được gửi từ trang xác nhận của chính hệ thống này.' });
    }
    const body = request.body ?? {};
    const found = await authorised(request, reply, body);
    if (!found) return reply;
    const { account, target, duty, occurrence } = found;
    if (!tokenValid(first(body, 'xac-nhan'), account, target)) {
      request.log.warn({ event: 'forged-form', account: account.name, action: target.action }, 'decision without a valid confirmation');
      return confirmation(reply, 403, found, {
        error: 'Trang xác nhận đã hết hạn hoặc không phải do hệ thống cấp, nên chưa có gì thay đổi. Hãy xem lại thông tin dưới đây rồi xác nhận lại.',
      });
    }
    const note = first(body, 'ghi-chu').normalize('NFC').slice(0, MAX_NOTE_LENGTH);
    try {
      if (target.action === 'mien') {
        const record = await waiveOccurrence(client, target, { dutyId: target.dutyId, unitId: target.unitId, periodKey: target.periodKey, reason: note, waivedBy: account.name });
        request.log.info({ event: 'waived', account: account.name, duty: target.dutyId, unit: target.unitId, period: target.periodKey }, 'item waived');
        return result(reply, target, 'Đã miễn nộp', `Đã miễn ${occurrence.periodLabel} của ${occurrence.unitName} (${duty.dutyTitle}). Lý do: ${record.reason}`);
      }
      const approve = target.action === 'duyet';
      const record = await decideExtension(client, target, {
        dutyId: target.dutyId,
        unitId: target.unitId,
        periodKey: target.periodKey,
        approve,
        decidedBy: account.name,
        ...(note ? { note } : {}),
      }, planPeriod(target));
      request.log.info({ event: 'extension-decided', account: account.name, approve, duty: target.dutyId, unit: target.unitId, period: target.periodKey }, 'extension decided');
      return approve
        ? result(reply, target, 'Đã đồng ý gia hạn', `${occurrence.unitName}, ${occurrence.periodLabel} (${duty.dutyTitle}): hạn mới ${formatDeadline(record.until, duty.timeZone)}.`)
        : result(reply, target, 'Đã từ chối gia hạn', `${occurrence.unitName}, ${occurrence.periodLabel} (${duty.dutyTitle}): hạn nộp giữ nguyên ${formatDeadline(occurrence.dueAt, duty.timeZone)}.`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      request.log.info({ event: 'decision-refused', code: err instanceof RefusedError ? err.code : undefined, action: target.action }, 'the duty workflow refused the decision');
      // The item as it stands now, with the workflow's reason.
      const fresh = await authorised(request, reply, body);
      if (!fresh) return reply;
      return confirmation(reply, 422, fresh, { note, error: err.message });
    }
  });
}

function result(reply: FastifyReply, target: Target, heading: string, message: string) {
  return page(reply, 200, 'decision-done', { pageTitle: heading, heading, message, back: officeLink(target) });
}
