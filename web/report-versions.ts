/**
 * The year-end report versions the plan mailed to the supervising office (stored by the plan's
 * report activity, reports/report-versions.ts): listed on the office page with the instant of
 * their figures and a download link, and served from the disk exactly as mailed. Reached only
 * through the office page's own access rules (office role of the plan's commune, or the city).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { formatInstant } from '../domain/calendar';
import { findReportVersion, listReportVersions, readReportDocx } from '../reports/report-versions';
import { messagePage } from './pages';

interface PlanRef {
  planId: string;
  year: number;
}

export interface ReportVersionRow {
  version: number;
  asOf: string;
  sent: string;
  link: string;
}

/** The office page's query (plan, year, commune, unit) and the version asked for. */
type VersionQuery = { 'don-vi'?: string; 'ke-hoach'?: string; nam?: string; xa?: string; 'phien-ban'?: string };

export function reportVersionLink(ref: PlanRef, version: number): string {
  return `/theo-doi/bao-cao-tong-ket/phien-ban.docx?ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}&phien-ban=${version}`;
}

/** Newest first: the office wants the latest version on top. */
export async function reportVersionRows(dataDir: string | undefined, ref: PlanRef, zone: string): Promise<ReportVersionRow[]> {
  if (!dataDir) return [];
  const versions = await listReportVersions(dataDir, ref.planId, ref.year);
  return versions.reverse().map((stored) => ({
    version: stored.version,
    asOf: formatInstant(stored.asOf, zone),
    sent: stored.sentAt ? formatInstant(stored.sentAt, zone) : 'chưa gửi được',
    link: reportVersionLink(ref, stored.version),
  }));
}

/**
 * `officePlan` resolves the plan the signed-in account asks for and may see (answering 403/404
 * itself); only then is the version looked up.
 */
export function registerReportVersionRoute(
  app: FastifyInstance,
  options: {
    dataDir: string | undefined;
    onRequest: onRequestHookHandler[];
    officePlan: (request: FastifyRequest<{ Querystring: VersionQuery }>, reply: FastifyReply) => Promise<{ ref: PlanRef } | undefined>;
  },
): void {
  app.get<{ Querystring: VersionQuery }>('/theo-doi/bao-cao-tong-ket/phien-ban.docx', { onRequest: options.onRequest }, async (request, reply) => {
    const found = await options.officePlan(request, reply);
    if (!found) return reply;
    const { ref } = found;
    const wanted = request.query['phien-ban'] ?? '';
    const stored = /^\d{1,6}$/.test(wanted) && options.dataDir ? await findReportVersion(options.dataDir, ref.planId, ref.year, Number(wanted)) : undefined;
    if (!stored || !options.dataDir) {
      return messagePage(
        reply,
        404,
        'Không có phiên bản báo cáo này',
        `Kế hoạch ${ref.planId} năm ${ref.year} không có phiên bản báo cáo tổng kết "${wanted}". Các phiên bản đã gửi được liệt kê trên trang theo dõi.`,
      );
    }
    const docx = await readReportDocx(options.dataDir, stored);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header('content-disposition', `attachment; filename="bao-cao-tong-ket-${ref.planId}-${ref.year}-phien-ban-${stored.version}.docx"`)
      .send(docx);
  });
}
