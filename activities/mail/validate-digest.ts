/**
 * Checks a digest before anything is rendered or sent. A malformed digest is a bug in the caller,
 * never fixed by retrying, so it fails with a non-retryable `InvalidDigest`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { MAIL_FAILURE_TYPES, type DigestInput } from './types';
import { isValidTimeZone } from '../../domain/calendar';

const instant = z.iso.datetime({ message: 'phải là thời điểm ISO theo giờ UTC, ví dụ 2026-03-20T17:00:00.000Z' });
const nonEmpty = z.string().trim().min(1, { message: 'không được để trống' });

const itemSchema = z
  .object({
    id: nonEmpty,
    kind: z.enum(
      ['reminder', 'invitation', 'minutes-request', 'overdue', 'escalation', 'extension-decision', 'delivery-failure', 'partner-notice'],
      { message: 'loại việc không được hỗ trợ' },
    ),
    occurrenceKey: nonEmpty,
    dutyId: nonEmpty,
    dutyTitle: nonEmpty,
    dutyKind: nonEmpty,
    unitId: nonEmpty,
    unitName: nonEmpty,
    periodLabel: nonEmpty,
    dueAt: instant,
    eventAt: instant.optional(),
    eventEndAt: instant.optional(),
    place: z.string().optional(),
    level: z.number().int().min(1, { message: 'cấp đôn đốc phải là số nguyên từ 1' }).optional(),
    note: z.string().optional(),
    reportToName: z.string().optional(),
  })
  .superRefine((item, ctx) => {
    if (item.kind === 'invitation' && !item.eventAt) {
      ctx.addIssue({ code: 'custom', path: ['eventAt'], message: 'giấy mời họp phải có thời điểm họp (eventAt)' });
    }
    if (item.kind === 'escalation' && item.level === undefined) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'việc báo cáo vượt cấp phải có cấp đôn đốc (level)' });
    }
    if (item.kind === 'delivery-failure' && !item.note?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'thông báo thư bị từ chối phải nêu lý do (note)' });
    }
  });

const digestSchema = z
  .object({
    planId: nonEmpty,
    year: z.number().int().min(2000).max(2200),
    period: z.object({ from: z.iso.date({ message: 'phải là ngày dạng YYYY-MM-DD' }), to: z.iso.date({ message: 'phải là ngày dạng YYYY-MM-DD' }) }).optional(),
    timeZone: z.string().refine(isValidTimeZone, { message: 'múi giờ IANA không hợp lệ' }),
    recipient: z.object({
      unitId: nonEmpty,
      name: nonEmpty,
      emails: z
        .array(z.email({ message: 'địa chỉ thư không hợp lệ' }))
        .min(1, { message: 'đơn vị nhận không có địa chỉ thư nào' }),
    }),
    organizer: z.object({ name: z.string(), address: z.email({ message: 'địa chỉ thư không hợp lệ' }) }).optional(),
    localDate: z.iso.date({ message: 'phải là ngày dạng YYYY-MM-DD' }),
    batch: z.number().int().min(1, { message: 'số đợt phải là số nguyên từ 1' }),
    items: z.array(itemSchema).min(1, { message: 'bản tổng hợp không có việc nào' }),
  })
  .superRefine((digest, ctx) => {
    const seen = new Set<string>();
    digest.items.forEach((item, index) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', index, 'id'], message: 'mã việc bị trùng' });
      seen.add(item.id);
    });
  });

export function validateDigest(input: unknown): DigestInput {
  const parsed = digestSchema.safeParse(input);
  if (parsed.success) return input as DigestInput;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(gốc)'}: ${issue.message}`);
  throw ApplicationFailure.nonRetryable(
    `Bản tổng hợp thư không hợp lệ: ${problems.join('; ')}`,
    MAIL_FAILURE_TYPES.invalidDigest,
  );
}
