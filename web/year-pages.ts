/**
 * The supervising office's pages beyond the duty list, behind the same sign-in and plan choice as
 * `/theo-doi`:
 * - `/theo-doi/luoi`: the year at a glance (units × months, `year-grid.ts`), filtered by duty,
 *   unit group and state; `.xlsx` and `.csv` of the grid and of the item list.
 * - `/theo-doi/nhiem-vu/<duty>` and `/theo-doi/don-vi/<unit>`: every item's history (`item-history.ts`).
 * - `/theo-doi/thu`: the plan's mail, by recipient unit, day and outcome, from the delivery ledger.
 *
 * Filters are plain GET forms, so every view has an address to bookmark or send; an unknown duty,
 * unit, group, state or a malformed day gets a Vietnamese 400/404 page, never an empty table that
 * looks like "nothing happened".
 */
import { stat } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { DeliveryLog } from '../activities/mail/delivery-ledger';
import { type PlanRef, getFailedDeliveries, getPlanStatus } from '../operations/plan-client';
import type { CatalogPlan } from '../operations/plan-catalog';
import type { PlanPeriod } from '../domain/plan/period';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { formatDeadline, formatInstant, formatShortDate, isValidLocalDate, localDateTimeOf } from '../domain/calendar';
import { loadPlanFile } from '../domain/plan/load';
import { reportGroups } from '../reports/year-end-report';
import type { DutyStatusView, PlanView } from '../workflows/types';
import { deliveriesOf, itemHistories, MAIL_KIND_LABELS, OUTCOME_TEXT, type MailDelivery } from './item-history';
import { messagePage, page } from './pages';
import { toCsv, toXlsx, type ExportTable } from '../reports/table-export';
import { cellDetail, cellText, ITEM_STATE_TEXT, ITEM_STATES, type ItemState, monthLabel, monthName, percentText, yearGrid, type GridFilter } from './year-grid';

export interface FoundPlan {
  ref: PlanRef;
  view: PlanView;
}

export interface YearPagesDeps {
  client: Client;
  /** Sign-in, rate limit and lockout of the office pages. */
  officeOnly: onRequestHookHandler[];
  /** The plan the request names and its account may see; answers the request itself when there is none. */
  officePlan(request: FastifyRequest, reply: FastifyReply): Promise<FoundPlan | undefined>;
  catalogEntry(ref: PlanRef): CatalogPlan | undefined;
  /** The delivery ledger read back; none = the mail log and histories show no mail. */
  deliveryLog?: DeliveryLog;
}

type Query = Record<string, string | undefined>;

const STATE_PARAM: Record<string, ItemState> = {
  'qua-han': 'overdue',
  'gia-han': 'extended',
  'cho-nop': 'pending',
  'chua-den-ky': 'not-yet-due',
  muon: 'late',
  'dung-han': 'on-time',
  mien: 'waived',
  'truoc-theo-doi': 'before-tracking',
};
const PARAM_OF_STATE = Object.fromEntries(Object.entries(STATE_PARAM).map(([param, state]) => [state, param])) as Record<ItemState, string>;

interface Group {
  id: string;
  name: string;
  unitIds: string[];
}

/** Groups of units as the plan file names them (for the filter); cached per file until it changes. */
const groupCache = new Map<string, { modifiedMs: number; groups: Group[] }>();

async function groupsOf(entry: CatalogPlan | undefined): Promise<Group[]> {
  if (!entry) return [];
  const modifiedMs = await stat(entry.file).then((info) => info.mtimeMs, () => -1);
  const cached = groupCache.get(entry.file);
  if (cached?.modifiedMs === modifiedMs) return cached.groups;
  const loaded = modifiedMs >= 0 ? await loadPlanFile(entry.file) : undefined;
  const groups = loaded?.ok ? reportGroups(loaded.plan).map((group, index) => ({ id: loaded.plan.groups[index]?.id ?? String(index + 1), name: group.name, unitIds: group.unitIds })) : [];
  groupCache.set(entry.file, { modifiedMs, groups });
  return groups;
}

class BadFilter extends Error {}

function planQuery(ref: PlanRef): string {
  return `ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}`;
}

function withQuery(path: string, ref: PlanRef, extra: Record<string, string | undefined> = {}): string {
  const rest = Object.entries(extra)
    .filter(([, value]) => value)
    .map(([key, value]) => `&${key}=${encodeURIComponent(value as string)}`)
    .join('');
  return `${path}?${planQuery(ref)}${rest}`;
}

function asOf(nowIso: string, zone: string): string {
  return formatInstant(nowIso, zone, { weekday: true });
}

/** The grid's filters read from the query; a value that names nothing is refused, not ignored. */
function readGridFilter(query: Query, duties: DutyStatusView[], groups: Group[]): { filter: GridFilter; group?: Group } {
  const filter: GridFilter = {};
  const dutyId = query['nhiem-vu'];
  if (dutyId) {
    if (!duties.some((duty) => duty.dutyId === dutyId)) throw new BadFilter(`Kế hoạch không có nhiệm vụ mã "${dutyId}". Hãy chọn nhiệm vụ trong danh sách.`);
    filter.dutyId = dutyId;
  }
  const groupId = query.nhom;
  let group: Group | undefined;
  if (groupId) {
    group = groups.find((candidate) => candidate.id === groupId);
    if (!group) throw new BadFilter(`Không có nhóm đơn vị mã "${groupId}". Hãy chọn nhóm trong danh sách.`);
    filter.unitIds = new Set(group.unitIds);
  }
  const stateParam = query['tinh-trang'];
  if (stateParam) {
    const state = STATE_PARAM[stateParam];
    if (!state) throw new BadFilter(`Tình trạng "${stateParam}" không có. Hãy chọn tình trạng trong danh sách.`);
    filter.state = state;
  }
  return group ? { filter, group } : { filter };
}

function filterWords(filter: GridFilter, duties: DutyStatusView[], group: Group | undefined): string {
  const words = [
    filter.dutyId ? `nhiệm vụ: ${duties.find((duty) => duty.dutyId === filter.dutyId)?.dutyTitle ?? filter.dutyId}` : 'tất cả nhiệm vụ',
    group ? `nhóm: ${group.name}` : 'tất cả đơn vị',
    ...(filter.state ? [`tình trạng: ${ITEM_STATE_TEXT[filter.state].word.toLowerCase()}`] : []),
  ];
  return words.join('; ');
}

function gridTables(plan: PlanView, period: PlanPeriod, duties: DutyStatusView[], filter: GridFilter, group: Group | undefined, nowIso: string) {
  const grid = yearGrid(duties, period, nowIso, filter);
  const zone = plan.timeZone;
  const caption = [plan.title, `Số liệu tại thời điểm ${asOf(nowIso, zone)}; ${filterWords(filter, duties, group)}.`];
  const gridTable: ExportTable = {
    sheet: 'Lưới theo tháng',
    caption,
    headers: ['Đơn vị', ...grid.months.map((month) => `Tháng ${monthLabel(month, plan.year).slice(1)}`), 'Phải nộp', 'Đúng hạn', 'Muộn', 'Chưa nộp', 'Tỉ lệ đúng hạn'],
    rows: grid.rows.map((row) => [
      row.unitName,
      ...row.cells.map(cellText),
      row.rates.owed,
      row.counts['on-time'],
      row.counts.late,
      row.counts.missing,
      percentText(row.rates.onTime),
    ]),
    widths: [34, ...grid.months.map(() => 16), 10, 10, 8, 10, 14],
  };
  const itemTable: ExportTable = {
    sheet: 'Danh sách việc',
    caption,
    headers: ['Nhiệm vụ', 'Đơn vị', 'Kỳ', 'Hạn chót', 'Tình trạng', 'Ngày nộp', 'Số tiếp nhận', 'Người nộp', 'Đã báo cấp trên', 'Gia hạn', 'Lý do miễn'],
    rows: grid.items.map((item) => {
      const occ = item.occurrence;
      return [
        item.dutyTitle,
        occ.unitName,
        occ.periodLabel,
        formatDeadline(occ.dueAt, zone),
        ITEM_STATE_TEXT[item.state].word,
        occ.submission ? formatInstant(occ.submission.receivedAt, zone) : '',
        occ.submission?.reference ?? '',
        occ.submission?.submittedBy ?? '',
        item.escalatedLevel > 0 ? `cấp ${occ.escalatedLevels.join(', ')}` : '',
        occ.extensions.length > 0 ? occ.extensions.map((e) => `${formatShortDate(localDateTimeOf(e.until, zone).date)} (${e.status === 'approved' ? 'đồng ý' : e.status === 'refused' ? 'không đồng ý' : 'chờ quyết định'})`).join('; ') : '',
        occ.waiver?.reason ?? '',
      ];
    }),
    widths: [40, 30, 16, 28, 14, 18, 14, 24, 14, 24, 30],
  };
  return { grid, gridTable, itemTable };
}

async function sendExport(reply: FastifyReply, table: ExportTable, name: string, format: 'xlsx' | 'csv') {
  if (format === 'csv') {
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(table));
  }
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${name}.xlsx"`)
    .send(await toXlsx(table));
}

async function planDeliveries(deps: YearPagesDeps, ref: PlanRef): Promise<MailDelivery[]> {
  const [ledger, failed] = await Promise.all([deps.deliveryLog?.list(ref.planId) ?? [], getFailedDeliveries(deps.client, ref)]);
  return deliveriesOf(
    ledger.filter((record) => record.year === undefined || record.year === ref.year),
    failed,
  );
}

export function registerYearPages(app: FastifyInstance, deps: YearPagesDeps): void {
  const { client, officeOnly } = deps;
  /** The plan's period, from its file (a plan whose file is not known: its calendar year). */
  const periodOf = (ref: PlanRef) => periodOfPlan(deps.catalogEntry(ref)?.plan ?? ref);

  /** Runs a page with its plan found; a refused filter becomes a Vietnamese 400 page. */
  function route(path: string, build: (found: FoundPlan, request: FastifyRequest<{ Querystring: Query; Params: Record<string, string> }>, reply: FastifyReply) => Promise<unknown>) {
    app.get<{ Querystring: Query; Params: Record<string, string> }>(path, { onRequest: officeOnly }, async (request, reply) => {
      const found = await deps.officePlan(request, reply);
      if (!found) return reply;
      try {
        return await build(found, request, reply);
      } catch (err) {
        if (!(err instanceof BadFilter)) throw err;
        request.log.warn({ event: 'refused', status: 400, reason: 'bad-filter' }, 'office page asked with a filter that names nothing');
        return messagePage(reply, 400, 'Bộ lọc không hợp lệ', err.message);
      }
    });
  }

  const navOf = (ref: PlanRef, current: string) => ({
    items: [
      { label: 'Các nhiệm vụ', link: withQuery('/theo-doi', ref), id: 'tong-quan' },
      { label: 'Lưới theo tháng', link: withQuery('/theo-doi/luoi', ref), id: 'luoi' },
      { label: 'Thư đã gửi', link: withQuery('/theo-doi/thu', ref), id: 'thu' },
    ].map((item) => ({ ...item, current: item.id === current })),
  });

  route('/theo-doi/luoi', async ({ ref, view: plan }, request, reply) => {
    const nowIso = new Date().toISOString();
    const [duties, groups] = await Promise.all([getPlanStatus(client, ref), groupsOf(deps.catalogEntry(ref))]);
    const { filter, group } = readGridFilter(request.query, duties, groups);
    const { grid } = gridTables(plan, periodOf(ref), duties, filter, group, nowIso);
    const kept = { 'nhiem-vu': filter.dutyId, nhom: group?.id, 'tinh-trang': filter.state ? PARAM_OF_STATE[filter.state] : undefined };
    return page(reply, 200, 'grid', {
      pageTitle: 'Lưới theo dõi theo tháng',
      wide: true,
      navMenu: navOf(ref, 'luoi'),
      planTitle: plan.title,
      planId: ref.planId,
      year: ref.year,
      asOf: asOf(nowIso, plan.timeZone),
      filterWords: filterWords(filter, duties, group),
      duties: duties.map((duty) => ({ id: duty.dutyId, title: duty.dutyTitle, selected: duty.dutyId === filter.dutyId })),
      groups: groups.map((candidate) => ({ ...candidate, selected: candidate.id === group?.id })),
      hasGroups: groups.length > 0,
      states: ITEM_STATES.map((state) => ({ param: PARAM_OF_STATE[state], state, ...ITEM_STATE_TEXT[state], selected: state === filter.state, count: grid.byState[state] })),
      months: grid.months.map((month) => ({ label: monthLabel(month, plan.year), name: monthName(month) })),
      rows: grid.rows.map((row) => ({
        unitName: row.unitName,
        historyLink: withQuery(`/theo-doi/don-vi/${encodeURIComponent(row.unitId)}`, ref),
        cells: row.cells.map((cell) => ({
          month: monthLabel(cell.month, plan.year),
          monthName: monthName(cell.month),
          state: cell.state ?? 'empty',
          text: cellText(cell),
          detail: cellDetail(cell),
        })),
        owed: row.rates.owed,
        done: row.counts['on-time'] + row.counts.late,
        onTime: percentText(row.rates.onTime),
      })),
      unitCount: grid.rows.length,
      owed: grid.rates.owed,
      onTimeCount: grid.counts['on-time'],
      lateCount: grid.counts.late,
      missingCount: grid.counts.missing,
      untrackedCount: grid.counts['before-tracking'],
      completion: percentText(grid.rates.completion),
      onTimeRate: percentText(grid.rates.onTime),
      exports: [
        { label: 'Lưới (.xlsx)', link: withQuery('/theo-doi/luoi.xlsx', ref, kept), id: 'xuat-luoi-xlsx' },
        { label: 'Lưới (.csv)', link: withQuery('/theo-doi/luoi.csv', ref, kept), id: 'xuat-luoi-csv' },
        { label: 'Danh sách việc (.xlsx)', link: withQuery('/theo-doi/danh-sach.xlsx', ref, kept), id: 'xuat-ds-xlsx' },
        { label: 'Danh sách việc (.csv)', link: withQuery('/theo-doi/danh-sach.csv', ref, kept), id: 'xuat-ds-csv' },
      ],
      dutyLinks: (filter.dutyId ? duties.filter((duty) => duty.dutyId === filter.dutyId) : []).map((duty) => ({
        title: duty.dutyTitle,
        link: withQuery(`/theo-doi/nhiem-vu/${encodeURIComponent(duty.dutyId)}`, ref),
      })),
    });
  });

  for (const [path, which, format] of [
    ['/theo-doi/luoi.xlsx', 'grid', 'xlsx'],
    ['/theo-doi/luoi.csv', 'grid', 'csv'],
    ['/theo-doi/danh-sach.xlsx', 'items', 'xlsx'],
    ['/theo-doi/danh-sach.csv', 'items', 'csv'],
  ] as const) {
    route(path, async ({ ref, view: plan }, request, reply) => {
      const [duties, groups] = await Promise.all([getPlanStatus(client, ref), groupsOf(deps.catalogEntry(ref))]);
      const { filter, group } = readGridFilter(request.query, duties, groups);
      const tables = gridTables(plan, periodOf(ref), duties, filter, group, new Date().toISOString());
      const name = `${which === 'grid' ? 'luoi-theo-doi' : 'danh-sach-viec'}-${ref.planId}-${ref.year}`;
      return sendExport(reply, which === 'grid' ? tables.gridTable : tables.itemTable, name, format);
    });
  }

  const historyPage = async (found: FoundPlan, reply: FastifyReply, scope: { dutyId?: string; unitId?: string }) => {
    const { ref, view: plan } = found;
    const [duties, deliveries] = await Promise.all([getPlanStatus(client, ref, scope.unitId ? { unitId: scope.unitId } : {}), planDeliveries(deps, ref)]);
    const duty = scope.dutyId ? duties.find((candidate) => candidate.dutyId === scope.dutyId) : undefined;
    if (scope.dutyId && !duty) return messagePage(reply, 404, 'Không tìm thấy nhiệm vụ', `Kế hoạch không có nhiệm vụ mã "${scope.dutyId}".`);
    const histories = itemHistories(duties, deliveries, scope);
    if (scope.unitId && histories.length === 0) return messagePage(reply, 404, 'Không tìm thấy đơn vị', `Kế hoạch không giao việc nào cho đơn vị mã "${scope.unitId}".`);
    const heading = duty ? duty.dutyTitle : `Các việc của ${histories[0]?.unitName ?? scope.unitId}`;
    return page(reply, 200, 'history', {
      pageTitle: heading,
      wide: true,
      navMenu: navOf(ref, ''),
      heading,
      planTitle: plan.title,
      asOf: asOf(new Date().toISOString(), plan.timeZone),
      byDuty: Boolean(duty),
      count: histories.length,
      items: histories.map((history) => ({
        ...history,
        heading: duty ? `${history.unitName} – ${history.periodLabel}` : `${history.dutyTitle} – ${history.periodLabel}`,
        otherLink: duty
          ? { label: `Các việc của ${history.unitName}`, link: withQuery(`/theo-doi/don-vi/${encodeURIComponent(history.unitId)}`, ref) }
          : { label: 'Cả nhiệm vụ', link: withQuery(`/theo-doi/nhiem-vu/${encodeURIComponent(history.dutyId)}`, ref) },
        hasEvents: history.events.length > 0,
        hasPlanned: history.planned.length > 0,
        hasAttachments: history.attachments.length > 0,
      })),
    });
  };

  route('/theo-doi/nhiem-vu/:duty', async (found, request, reply) => historyPage(found, reply, { dutyId: request.params.duty ?? '' }));
  route('/theo-doi/don-vi/:unit', async (found, request, reply) => historyPage(found, reply, { unitId: request.params.unit ?? '' }));

  route('/theo-doi/thu', async ({ ref, view: plan }, request, reply) => {
    const query = request.query;
    const day = query.ngay || undefined;
    if (day && !isValidLocalDate(day)) throw new BadFilter(`Ngày "${day}" không hợp lệ; hãy chọn ngày trên lịch hoặc viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2027-03-15.`);
    const outcome = query['ket-qua'] || undefined;
    if (outcome && !(outcome in OUTCOME_TEXT)) throw new BadFilter(`Kết quả "${outcome}" không có. Hãy chọn trong danh sách.`);
    const deliveries = await planDeliveries(deps, ref);
    const names = new Map<string, string>();
    for (const delivery of deliveries) if (delivery.recipientName) names.set(delivery.recipientUnitId, delivery.recipientName);
    const unitId = query['don-vi'] || undefined;
    if (unitId && !names.has(unitId) && !deliveries.some((delivery) => delivery.recipientUnitId === unitId)) {
      throw new BadFilter(`Chưa có thư nào gửi tới đơn vị mã "${unitId}". Hãy chọn đơn vị trong danh sách.`);
    }
    const shown = deliveries
      .filter((d) => (!unitId || d.recipientUnitId === unitId) && (!day || d.localDate === day) && (!outcome || d.outcome === outcome))
      .reverse();
    const zone = plan.timeZone;
    const LIMIT = 500;
    return page(reply, 200, 'mail-log', {
      pageTitle: 'Thư đã gửi',
      wide: true,
      navMenu: navOf(ref, 'thu'),
      planTitle: plan.title,
      planId: ref.planId,
      year: ref.year,
      asOf: asOf(new Date().toISOString(), zone),
      day: day ?? '',
      units: [...new Set(deliveries.map((d) => d.recipientUnitId))]
        .map((id) => ({ id, name: names.get(id) ?? id, selected: id === unitId }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
      outcomes: Object.entries(OUTCOME_TEXT).map(([id, label]) => ({ id, label, selected: id === outcome })),
      total: shown.length,
      truncated: shown.length > LIMIT ? LIMIT : undefined,
      rows: shown.slice(0, LIMIT).map((delivery) => {
        const { date, time } = localDateTimeOf(delivery.at, zone);
        const kinds = new Map<string, number>();
        for (const item of delivery.items ?? []) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
        return {
          when: `${time}, ${formatShortDate(date)}`,
          recipient: delivery.recipientName ?? names.get(delivery.recipientUnitId) ?? delivery.recipientUnitId,
          to: delivery.to.join(', '),
          content: delivery.items
            ? [...kinds].map(([kind, count]) => `${count} ${(MAIL_KIND_LABELS[kind] ?? kind).replace(/^Thư /, '')}`).join(', ')
            : 'không rõ (thư ghi trước khi sổ lưu nội dung)',
          outcome: delivery.outcome,
          outcomeText: OUTCOME_TEXT[delivery.outcome],
          detail: delivery.outcome === 'sent' ? '' : (delivery.detail ?? ''),
        };
      }),
    });
  });
}
