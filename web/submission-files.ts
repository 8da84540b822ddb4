/**
 * Files a unit attaches to a submission on the web form (multipart/form-data, @fastify/multipart):
 * PDF, JPEG/PNG images, Word (.docx) and Excel (.xlsx), at most MAX_FILES files of MAX_FILE_BYTES
 * each. The type is what the content is (file-type reads the bytes), never what the name or the
 * browser says: a file named .pdf that is not a PDF is refused, and so is any type not listed,
 * each with a Vietnamese message naming the file. Accepted files go to the attachment store and the
 * submission carries only their references.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { formatFileSize } from '../domain/summary/vietnamese-numbers';
import type { AttachmentRef } from '../workflows/types';
import type { AttachmentStore } from './attachment-store';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;
/** The form's file input. */
export const FILE_FIELD = 'tep';

/** Accepted media types, each with the name endings that may carry it and how people call it. */
const ACCEPTED: Record<string, { endings: string[]; label: string }> = {
  'application/pdf': { endings: ['pdf'], label: 'PDF' },
  'image/jpeg': { endings: ['jpg', 'jpeg'], label: 'ảnh JPEG' },
  'image/png': { endings: ['png'], label: 'ảnh PNG' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { endings: ['docx'], label: 'Word (.docx)' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { endings: ['xlsx'], label: 'Excel (.xlsx)' },
};
const ACCEPTED_LIST = 'PDF, ảnh JPEG hoặc PNG, Word (.docx), Excel (.xlsx)';
/** For the file input's `accept`: a hint to the browser's picker, never trusted. */
export const ACCEPT_ATTRIBUTE = '.pdf,.jpg,.jpeg,.png,.docx,.xlsx';

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
  truncated: boolean;
}

function isUploaded(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).bytes);
}

/** Multipart bodies (the submission form, the office's entry sheet): text fields as strings, files in memory up to the limits. */
export async function registerSubmissionUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 200, fieldSize: 64 * 1024, parts: 200 + MAX_FILES },
    async onFile(part: MultipartFile) {
      const bytes = await part.toBuffer();
      (part as MultipartFile & { value: UploadedFile }).value = { filename: part.filename, bytes, truncated: part.file.truncated };
    },
  });
}

/** "C:\\fakepath\\Báo cáo.pdf" → "Báo cáo.pdf": only the last part, NFC, no control characters. */
export function cleanName(filename: string): string {
  const last = filename.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return last.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
}

/** The files sent in one file input of a multipart form; an input with no file chosen sends none. */
export function uploadedFiles(body: Record<string, unknown>, field: string): UploadedFile[] {
  const raw = body[field];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(isUploaded).filter((file) => file.filename !== '' || file.bytes.length > 0);
}

export type FilesRead = { ok: true; refs: AttachmentRef[] } | { ok: false; problems: string[] };

/**
 * Every file of the form checked (all problems at once); only when all pass are they stored. An
 * empty file input (no file chosen) is no file.
 */
export async function readSubmissionFiles(body: Record<string, unknown>, store: AttachmentStore): Promise<FilesRead> {
  const files = uploadedFiles(body, FILE_FIELD);
  const problems: string[] = [];
  const accepted: { name: string; type: string; bytes: Buffer }[] = [];
  if (files.length > MAX_FILES) problems.push(`Mỗi lần nộp đính kèm tối đa ${MAX_FILES} tệp.`);
  for (const file of files) {
    const name = cleanName(file.filename) || 'tep-dinh-kem';
    if (file.truncated) {
      problems.push(`Tệp "${name}" lớn hơn giới hạn ${formatFileSize(MAX_FILE_BYTES)} cho mỗi tệp.`);
      continue;
    }
    if (file.bytes.length === 0) {
      problems.push(`Tệp "${name}" rỗng (0 byte).`);
      continue;
    }
    const detected = await fileTypeFromBuffer(file.bytes);
    const kind = detected ? ACCEPTED[detected.mime] : undefined;
    const ending = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
    const claimed = Object.values(ACCEPTED).find((candidate) => ending !== undefined && candidate.endings.includes(ending));
    if (!detected || !kind) {
      problems.push(
        claimed
          ? `Tệp "${name}" mang đuôi .${ending} nhưng nội dung không phải ${claimed.label}; tệp có thể bị hỏng hoặc bị đổi tên. Chỉ nhận ${ACCEPTED_LIST}.`
          : `Tệp "${name}" không thuộc loại được nhận. Chỉ nhận ${ACCEPTED_LIST}.`,
      );
      continue;
    }
    if (!ending || !kind.endings.includes(ending)) {
      problems.push(`Tệp "${name}" có nội dung là ${kind.label} nhưng tên lại mang đuôi ${ending ? `.${ending}` : 'khác'}; hãy đặt lại tên tệp cho đúng loại (.${kind.endings[0]}).`);
      continue;
    }
    accepted.push({ name, type: detected.mime, bytes: file.bytes });
  }
  if (problems.length > 0) return { ok: false, problems };
  const refs: AttachmentRef[] = [];
  for (const file of accepted) {
    const hash = await store.put(file.bytes);
    refs.push({ hash, name: file.name, type: file.type, size: file.bytes.length });
  }
  return { ok: true, refs };
}

