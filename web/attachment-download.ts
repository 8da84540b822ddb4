/**
 * `/theo-doi/tep/<hash>`: a file a unit attached, served to signed-in office and city accounts
 * only (units have no account; their submission link does not open files, and neither does anyone
 * else). A file is reached through the submission that references it: the query names the item,
 * the account must be allowed to see its commune, and the item's submission must list the hash.
 * Sent as a download (never rendered inline) under the name the unit gave it.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { UserError } from '../domain/user-error';
import { getDutyStatus } from '../operations/plan-client';
import { communeIdOf } from '../domain/commune';
import type { AttachmentRef, DutyStatusView, OccurrenceView } from '../workflows/types';
import type { AttachmentStore } from './attachment-store';
import { errorPage, messagePage } from './pages';

export const ATTACHMENT_PATH = '/theo-doi/tep/';

export function attachmentLink(duty: Pick<DutyStatusView, 'planId' | 'year' | 'dutyId'>, occurrence: Pick<OccurrenceView, 'unitId' | 'periodKey'>, ref: AttachmentRef): string {
  const query = new URLSearchParams({ 'ke-hoach': duty.planId, nam: String(duty.year), 'nhiem-vu': duty.dutyId, 'don-vi': occurrence.unitId, ky: occurrence.periodKey });
  return `${ATTACHMENT_PATH}${ref.hash}?${query.toString()}`;
}

/** RFC 6266: an ASCII fallback name, and the real (Vietnamese) one percent-encoded in UTF-8. */
function contentDisposition(name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

type Query = Record<string, string | undefined>;

export interface AttachmentDownloadDeps {
  client: Client;
  store: AttachmentStore;
  officeOnly: onRequestHookHandler[];
}

export function registerAttachmentDownload(app: FastifyInstance, { client, store, officeOnly }: AttachmentDownloadDeps): void {
  app.get<{ Params: { hash: string }; Querystring: Query }>(`${ATTACHMENT_PATH}:hash`, { onRequest: officeOnly }, async (request, reply) => {
    const account = request.account;
    if (!account) throw new Error('attachment reached without a signed-in account');
    const { hash } = request.params;
    const q = request.query;
    const year = Number(q.nam);
    const planId = q['ke-hoach'] ?? '';
    if (!/^[0-9a-f]{64}$/.test(hash) || !planId || !Number.isInteger(year) || !q['nhiem-vu'] || !q['don-vi'] || !q.ky) {
      return messagePage(reply, 400, 'Yêu cầu không hợp lệ', 'Đường dẫn tệp đính kèm thiếu thông tin. Hãy mở tệp từ trang theo dõi.');
    }
    if (account.role !== 'city' && account.commune !== communeIdOf(planId, year)) {
      request.log.warn({ event: 'forbidden', account: account.name, plan: planId }, 'account asked for another commune\'s attachment');
      return errorPage(reply, 403);
    }
    let duty: DutyStatusView;
    try {
      duty = await getDutyStatus(client, { planId, year }, q['nhiem-vu'], { unitId: q['don-vi'] });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return errorPage(reply, 404);
    }
    const ref = duty.occurrences.find((o) => o.periodKey === q.ky)?.submission?.attachments?.find((candidate) => candidate.hash === hash);
    const bytes = ref ? await store.get(hash) : undefined;
    if (!ref || !bytes) {
      return messagePage(reply, 404, 'Không tìm thấy tệp', 'Bài nộp này không có tệp đính kèm như vậy, hoặc tệp không còn trong kho lưu trữ.');
    }
    request.log.info({ event: 'attachment-served', account: account.name, hash }, 'attachment served');
    return reply
      .header('content-type', ref.type)
      .header('content-disposition', contentDisposition(ref.name))
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(bytes);
  });
}
