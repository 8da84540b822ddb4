/**
 * The year-end summary report as a .docx, laid out as NĐ 30/2020/NĐ-CP Phụ lục I prescribes for a
 * "văn bản có tên loại" (Mẫu 1.4): header block with issuing body, number, Quốc hiệu, Tiêu ngữ,
 * place and date; document type and trích yếu; body; signer block and "Nơi nhận"; an appendix.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  ImageRun,
  NumberFormat,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IBorderOptions,
} from 'docx';
import { formatDocumentDate } from '../domain/calendar/vietnamese-format';
import { isCalendarYear, periodSpanText } from '../domain/plan/period';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { OUTCOME_LABELS } from '../domain/summary/outcome-labels';
import type { DutySummary, OutcomeCounts, Rates, YearSummary } from '../domain/summary/types';
import { formatFileSize, formatVietnameseNumber } from '../domain/summary/vietnamese-numbers';
import type { DocumentInfo } from './document-info';
import { drawRateChart } from './rate-chart';
import {
  dutiesWithShortfall,
  dutyShortfallLine,
  fieldTotalsLine,
  dutyRolesLine,
  inSentence,
  overallParagraph,
  rateText,
  shortcomingsParagraph,
  unitShortfallLine,
} from './year-end-text';

const FONT = 'Times New Roman';
const TWIPS_PER_MM = 1440 / 25.4;
const mm = (value: number) => Math.round(value * TWIPS_PER_MM);
/** docx sizes are half-points. */
const pt = (value: number) => value * 2;

export const PAGE = {
  width: mm(210),
  height: mm(297),
  margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) },
} as const;
const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;
const BODY_SIZE = pt(14);
const FIRST_LINE_INDENT = mm(12.7);
const AFTER_PARAGRAPH = 6 * 20;
/** How many units and duties section II names before pointing to the appendix. */
const SHORTFALL_LIST_LIMIT = 10;

const NO_BORDER: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER, insideHorizontal: NO_BORDER, insideVertical: NO_BORDER };
const RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };

interface RunStyle {
  size?: number;
  bold?: boolean;
  italics?: boolean;
}

function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({ text, font: FONT, size: style.size ?? BODY_SIZE, bold: style.bold ?? false, italics: style.italics ?? false });
}

function centred(text: string, style: RunStyle = {}, spacingAfter = 0): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: spacingAfter }, children: [run(text, style)] });
}

/** A centred rule of `width` twips inside a column of `columnWidth`: an empty paragraph's bottom border. */
function rule(columnWidth: number, width: number): Paragraph {
  const side = Math.max(0, Math.round((columnWidth - width) / 2));
  return new Paragraph({ indent: { left: side, right: side }, border: { bottom: RULE }, spacing: { after: 0 }, children: [] });
}

function bodyParagraph(text: string, style: RunStyle = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE_INDENT },
    spacing: { after: AFTER_PARAGRAPH, line: 300 },
    children: [run(text, style)],
  });
}

function heading(text: string): Paragraph {
  return bodyParagraph(text, { bold: true });
}

/** Narrow cell margins: the NĐ 30 header lines and the table headings must fit their columns. */
const CELL_MARGINS = { left: 57, right: 57, top: 0, bottom: 0 };

function cell(children: Paragraph[], width: number, options: { borders?: boolean } = {}): TableCell {
  const layoutCell = options.borders === false;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: layoutCell ? VerticalAlign.TOP : VerticalAlign.CENTER,
    margins: layoutCell ? { left: 0, right: 0, top: 0, bottom: 0 } : CELL_MARGINS,
    ...(layoutCell ? { borders: NO_BORDERS } : {}),
    children,
  });
}

// ----- header block (ô 1–4) -----

const LEFT_COLUMN = Math.round(TEXT_WIDTH * 0.44);
const RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN;

export function numberLine(info: DocumentInfo): string {
  const number = info.number === undefined ? '      ' : String(info.number).padStart(2, '0');
  return `Số: ${number}/${info.symbol}`;
}

function headerBlock(info: DocumentInfo): Table {
  const left = [
    // 12 pt, the low end NĐ 30 allows, keeps "ỦY BAN NHÂN DÂN XÃ …" on one line beside the Quốc hiệu.
    ...(info.parentBody ? [centred(info.parentBody.toUpperCase(), { size: pt(12) })] : []),
    centred(info.issuingBody.toUpperCase(), { size: pt(12), bold: true }),
    rule(LEFT_COLUMN, Math.round(LEFT_COLUMN * 0.35)),
  ];
  const right = [
    centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: pt(12), bold: true }),
    centred('Độc lập - Tự do - Hạnh phúc', { size: pt(13), bold: true }),
    rule(RIGHT_COLUMN, mm(57)),
  ];
  const dateLine = `${info.place}, ${formatDocumentDate(info.date)}`;
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [LEFT_COLUMN, RIGHT_COLUMN],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [
      new TableRow({ children: [cell(left, LEFT_COLUMN, { borders: false }), cell(right, RIGHT_COLUMN, { borders: false })] }),
      new TableRow({
        children: [
          cell([centred(numberLine(info), { size: pt(13) }, 0)], LEFT_COLUMN, { borders: false }),
          cell([centred(dateLine, { size: pt(14), italics: true })], RIGHT_COLUMN, { borders: false }),
        ],
      }),
    ],
  });
}

// ----- tables -----

const TABLE_TEXT = pt(11);

const TABLE_HEADING_TEXT = pt(10);

function tableCell(text: string, width: number, style: RunStyle & { align?: 'left' | 'center' | 'right' } = {}): TableCell {
  const alignment = style.align === 'left' ? AlignmentType.LEFT : style.align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER;
  return cell([new Paragraph({ alignment, spacing: { before: 40, after: 40 }, children: [run(text, { size: TABLE_TEXT, ...style })] })], width);
}

interface Column<T> {
  title: string;
  /** Share of the text width. */
  share: number;
  value: (row: T, index: number) => string;
  align?: 'left' | 'center' | 'right';
}

function dataTable<T>(columns: Column<T>[], rows: T[], total?: { label: string; row: T }): Table {
  const widths = columns.map((column) => Math.round(TEXT_WIDTH * column.share));
  const header = new TableRow({
    tableHeader: true,
    children: columns.map((column, i) => tableCell(column.title, widths[i] ?? 0, { bold: true, size: TABLE_HEADING_TEXT })),
  });
  const body = rows.map(
    (row, index) =>
      new TableRow({
        cantSplit: true,
        children: columns.map((column, i) => tableCell(column.value(row, index), widths[i] ?? 0, { align: column.align ?? 'center' })),
      }),
  );
  const totalRow = total
    ? [
        new TableRow({
          cantSplit: true,
          children: columns.map((column, i) =>
            tableCell(i === 0 ? '' : i === 1 ? total.label : column.value(total.row, -1), widths[i] ?? 0, { bold: true, align: i === 1 ? 'left' : 'center' }),
          ),
        }),
      ]
    : [];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [header, ...body, ...totalRow],
  });
}

const num = (value: number) => formatVietnameseNumber(value);
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

interface CountedRow {
  name: string;
  counts: OutcomeCounts;
  rates: Rates;
}

/** Outcome columns only where some row has one: a column of zeros says nothing. */
function outcomeColumns<T extends CountedRow>(nameTitle: string, rows: readonly T[]): Column<T>[] {
  const outcomes = (['on-time', 'late', 'missing', 'waived', 'before-tracking', 'not-due'] as const)
    .filter((outcome) => rows.some((row) => row.counts[outcome] > 0))
    .map((outcome): Column<T> => ({ title: capitalise(OUTCOME_LABELS[outcome]), share: 0.085, value: (row) => num(row.counts[outcome]) }));
  const fixed = 0.05 + 0.085 + outcomes.length * 0.085 + 0.11;
  return [
    { title: 'TT', share: 0.05, value: (_row, index) => (index < 0 ? '' : String(index + 1)) },
    { title: nameTitle, share: 1 - fixed, value: (row) => row.name, align: 'left' },
    { title: 'Số lượt', share: 0.085, value: (row) => num(row.counts.total) },
    ...outcomes,
    { title: 'Tỷ lệ hoàn thành', share: 0.11, value: (row) => rateText(row.rates.completion, row.rates.owed) },
  ];
}

function countedTable(nameTitle: string, rows: CountedRow[], summary: YearSummary): Table {
  const shown = rows.filter((row) => row.counts.total > 0);
  return dataTable(outcomeColumns(nameTitle, shown), shown, {
    label: 'Tổng cộng',
    row: { name: 'Tổng cộng', counts: summary.totals.counts, rates: summary.totals.rates },
  });
}

function dutyTable(summary: YearSummary): Table {
  return countedTable('Nhiệm vụ', summary.duties.map((duty) => ({ name: duty.title, counts: duty.counts, rates: duty.rates })), summary);
}

function unitTable(summary: YearSummary): Table {
  return countedTable('Cơ quan, đơn vị', summary.units.map((unit) => ({ name: unit.unitName, counts: unit.counts, rates: unit.rates })), summary);
}

/** Summed fields with something to show: a field that adds up to zero everywhere gets no column. */
function reportedFields(duty: DutySummary): DutySummary['fieldTotals'] {
  return duty.fieldTotals.filter((field) => field.total !== 0);
}

/** Per unit, the summed fields of one duty side by side; units whose every value is zero are left out. */
function fieldsByUnitTable(duty: DutySummary): Table {
  const fields = reportedFields(duty);
  const units = new Map<string, string>();
  for (const field of fields) for (const row of field.byUnit) if (row.total !== 0) units.set(row.unitId, row.unitName);
  const rows = [...units.entries()].map(([unitId, unitName]) => ({ unitId, unitName }));
  const fieldShare = Math.min(0.2, 0.6 / Math.max(1, fields.length));
  const columns: Column<{ unitId: string; unitName: string }>[] = [
    { title: 'TT', share: 0.05, value: (_row, index) => (index < 0 ? '' : String(index + 1)) },
    { title: 'Cơ quan, đơn vị', share: 1 - 0.05 - fieldShare * fields.length, value: (row) => row.unitName, align: 'left' },
    ...fields.map((field) => ({
      title: field.label,
      share: fieldShare,
      value: (row: { unitId: string }) => {
        if (row.unitId === '') return field.totalText;
        const found = field.byUnit.find((entry) => entry.unitId === row.unitId);
        return found ? found.totalText : '—';
      },
    })),
  ];
  return dataTable(columns, rows, { label: 'Tổng cộng', row: { unitId: '', unitName: 'Tổng cộng' } });
}

// ----- document -----

export interface YearEndReportOptions {
  /** Trích yếu; by default "Tổng kết việc thực hiện <plan title>". */
  subject?: string;
  /** A simulated year: every page's header and the document type say "MÔ PHỎNG". */
  simulation?: boolean;
}

export const SIMULATION_MARK = 'MÔ PHỎNG – KHÔNG PHẢI SỐ LIỆU THẬT';

export function reportSubject(summary: YearSummary, options: YearEndReportOptions = {}): string {
  if (options.subject) return options.subject;
  return `Tổng kết việc thực hiện ${inSentence(summary.plan.title)}`;
}

function signatureBlock(info: DocumentInfo): Table {
  const recipients = info.recipients.map((line, index) => {
    const trimmed = line.trim().replace(/[;.]+$/, '');
    const last = index === info.recipients.length - 1;
    return new Paragraph({ spacing: { after: 0 }, children: [run(`- ${trimmed}${last ? '.' : ';'}`, { size: pt(11) })] });
  });
  const left = [new Paragraph({ spacing: { after: 0 }, children: [run('Nơi nhận:', { size: pt(12), bold: true, italics: true })] }), ...recipients];
  const right = [
    centred(info.signer.authority.toUpperCase(), { size: pt(14), bold: true }),
    centred(info.signer.position.toUpperCase(), { size: pt(14), bold: true }),
    ...Array.from({ length: 4 }, () => centred('')),
    centred(info.signer.name, { size: pt(14), bold: true }),
  ];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [Math.round(TEXT_WIDTH * 0.5), TEXT_WIDTH - Math.round(TEXT_WIDTH * 0.5)],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [cell(left, Math.round(TEXT_WIDTH * 0.5), { borders: false }), cell(right, TEXT_WIDTH - Math.round(TEXT_WIDTH * 0.5), { borders: false })],
      }),
    ],
  });
}

/** "năm 2026", or "trong thời gian 01/09/2026–31/05/2027" for a plan with its own period. */
function resultsSpan(summary: YearSummary): string {
  const period = periodOfPlan(summary.plan);
  return isCalendarYear(period) ? periodSpanText(period) : `trong ${periodSpanText(period)}`;
}

/** "I. …" sections: results, shortcomings; the appendix carries per-unit detail. */
function body(summary: YearSummary, info: DocumentInfo, subject: string): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  out.push(
    bodyParagraph(
      `Thực hiện ${summary.plan.title}, ${info.issuingBody} báo cáo kết quả thực hiện ${resultsSpan(summary)} như sau:`,
    ),
  );
  out.push(heading('I. KẾT QUẢ THỰC HIỆN'));
  out.push(heading('1. Tình hình thực hiện các nhiệm vụ'));
  out.push(bodyParagraph(overallParagraph(summary)));
  if (summary.duties.length > 0) {
    out.push(bodyParagraph('Kết quả theo từng nhiệm vụ (số lượt việc):', { italics: true }));
    out.push(dutyTable(summary));
    out.push(new Paragraph({ spacing: { after: AFTER_PARAGRAPH }, children: [] }));
  }
  const roles = summary.duties.map(dutyRolesLine).filter((line): line is string => line !== undefined);
  if (roles.length > 0) {
    out.push(bodyParagraph('Nơi nhận báo cáo, đơn vị phối hợp và yêu cầu đột xuất:', { italics: true }));
    for (const line of roles) out.push(bodyParagraph(`- ${line}`));
  }
  out.push(...chart(summary));
  const totals = summary.duties.map(fieldTotalsLine).filter((line): line is string => line !== undefined);
  out.push(heading('2. Số liệu tổng hợp từ báo cáo của các cơ quan, đơn vị'));
  if (totals.length === 0) out.push(bodyParagraph('Chưa có số liệu nào được tổng hợp từ báo cáo của các cơ quan, đơn vị.'));
  for (const line of totals) out.push(bodyParagraph(`- ${line}`));

  out.push(heading('II. TỒN TẠI, HẠN CHẾ'));
  out.push(bodyParagraph(shortcomingsParagraph(summary)));
  const units = summary.unitsMostOverdue.slice(0, SHORTFALL_LIST_LIMIT);
  if (units.length > 0) {
    out.push(bodyParagraph('Các cơ quan, đơn vị còn nhiều lượt việc chưa nộp:'));
    units.forEach((unit, i) => out.push(bodyParagraph(`- ${unitShortfallLine(unit)}${i === units.length - 1 ? '.' : ';'}`)));
  }
  const duties = dutiesWithShortfall(summary).slice(0, SHORTFALL_LIST_LIMIT);
  if (duties.length > 0) {
    out.push(bodyParagraph('Các nhiệm vụ còn lượt việc chưa nộp:'));
    duties.forEach((duty, i) => out.push(bodyParagraph(`- ${dutyShortfallLine(duty)}${i === duties.length - 1 ? '.' : ';'}`)));
  }
  out.push(bodyParagraph('Chi tiết theo từng cơ quan, đơn vị tại Phụ lục kèm theo.'));
  out.push(bodyParagraph(`Trên đây là báo cáo ${inSentence(subject)} của ${info.issuingBody}./.`));
  return out;
}

/** Display width of the chart: the text width at 96 dpi. */
const CHART_DISPLAY_WIDTH = Math.round((TEXT_WIDTH / 1440) * 96);

/** Figure 1: on-time and completion rates by month of deadline and by unit group. */
function chart(summary: YearSummary): Paragraph[] {
  if (summary.totals.rates.owed === 0) return [];
  const groups = summary.byGroup.filter((group) => group.rates.owed > 0);
  const image = drawRateChart(
    summary.byMonth.map((month) => ({ label: String(month.month), rates: month.rates })),
    groups.map((group, i) => ({ label: String(i + 1), rates: group.rates })),
  );
  const height = Math.round((CHART_DISPLAY_WIDTH * image.height) / image.width);
  // A plan across two years names the year of each month, where the chart's labels cannot.
  const acrossYears = summary.byMonth.some((month) => month.year !== summary.byMonth[0]?.year);
  const emptyMonths = summary.byMonth.filter((month) => month.rates.owed === 0).map((month) => (acrossYears ? `${month.month}/${month.year}` : String(month.month)));
  const groupPart =
    groups.length === 0 ? '' : `; bên phải theo nhóm cơ quan, đơn vị: ${groups.map((group, i) => `${i + 1} – ${group.name}`).join('; ')}`;
  const emptyPart = emptyMonths.length === 0 ? '' : ` Tháng ${emptyMonths.join(', ')} không có lượt việc đến hạn nên để trống.`;
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: AFTER_PARAGRAPH, after: 0 },
      children: [new ImageRun({ type: 'png', data: image.png, transformation: { width: CHART_DISPLAY_WIDTH, height } })],
    }),
    new Paragraph({
      alignment: AlignmentType.JUSTIFIED,
      spacing: { after: AFTER_PARAGRAPH * 2 },
      children: [
        run(
          `Hình 1. Tỷ lệ nộp đúng hạn (cột đen) và tỷ lệ hoàn thành (cột gạch chéo) trên số lượt đã đến hạn: ` +
            `bên trái theo tháng của hạn nộp${groupPart}.${emptyPart}`,
          { size: pt(12), italics: true },
        ),
      ],
    }),
  ];
}

function appendix(summary: YearSummary, info: DocumentInfo): (Paragraph | Table)[] {
  const numberText = info.number === undefined ? '      ' : String(info.number).padStart(2, '0');
  const out: (Paragraph | Table)[] = [
    // One appendix: "Phụ lục" without a numeral (numerals only from two appendices on).
    centred('Phụ lục', { size: pt(14), bold: true }),
    centred('KẾT QUẢ THỰC HIỆN THEO TỪNG CƠ QUAN, ĐƠN VỊ', { size: pt(14), bold: true }),
    centred(
      `(Kèm theo Báo cáo số ${numberText}/${info.symbol} ${formatDocumentDate(info.date)} của ${info.issuingBody})`,
      { size: pt(14), italics: true },
      AFTER_PARAGRAPH * 2,
    ),
  ];
  const withTotals = summary.duties.filter((duty) => reportedFields(duty).some((field) => field.byUnit.some((row) => row.total !== 0)));
  const withValues = summary.units.filter((unit) => unit.values.length > 0);
  const parts: { title: string; empty: string; render: () => (Paragraph | Table)[] }[] = [
    {
      title: 'Tình hình nộp báo cáo, biên bản của các cơ quan, đơn vị',
      empty: 'lượt việc nào',
      render: () => (summary.totals.counts.total === 0 ? [] : [unitTable(summary), new Paragraph({ spacing: { after: AFTER_PARAGRAPH }, children: [] })]),
    },
    {
      title: 'Số liệu theo từng cơ quan, đơn vị',
      empty: 'số liệu cộng dồn theo cơ quan, đơn vị',
      render: () =>
        withTotals.flatMap((duty) => [bodyParagraph(duty.title, { italics: true }), fieldsByUnitTable(duty), new Paragraph({ spacing: { after: AFTER_PARAGRAPH }, children: [] })]),
    },
    {
      title: 'Nội dung báo cáo của các cơ quan, đơn vị',
      empty: 'nội dung báo cáo bằng chữ',
      render: () =>
        withValues.flatMap((unit) => [
          bodyParagraph(unit.unitName, { bold: true, italics: true }),
          ...unit.values.map((value) => bodyParagraph(`- ${value.dutyTitle} (${value.periodLabel}) — ${value.label}: ${value.text}`)),
        ]),
    },
  ];
  // Listed only when some unit attached files, so reports without any read as before.
  const withFiles = summary.units.filter((unit) => (unit.attachments ?? []).length > 0);
  if (withFiles.length > 0) {
    parts.push({
      title: 'Tài liệu đính kèm báo cáo của các cơ quan, đơn vị',
      empty: 'tài liệu đính kèm',
      render: () =>
        withFiles.flatMap((unit) => [
          bodyParagraph(unit.unitName, { bold: true, italics: true }),
          ...(unit.attachments ?? []).map((file) => bodyParagraph(`- ${file.dutyTitle} (${file.periodLabel}): ${file.name} (${formatFileSize(file.size)}, mã ${file.hash.slice(0, 12)})`)),
        ]),
    });
  }
  const empty: string[] = [];
  let numbered = 0;
  for (const part of parts) {
    const content = part.render();
    if (content.length === 0) {
      empty.push(part.empty);
      continue;
    }
    numbered += 1;
    out.push(heading(`${numbered}. ${part.title}`), ...content);
  }
  // Empty parts are named once, together, instead of as empty tables.
  if (empty.length > 0) out.push(bodyParagraph(`Không có ${empty.join(', ')}.`));
  return out;
}

function header(children: Paragraph[], simulation: boolean): Header {
  const mark = simulation ? [centred(SIMULATION_MARK, { size: pt(12), bold: true })] : [];
  const all = [...mark, ...children];
  return new Header({ children: all.length > 0 ? all : [new Paragraph({ children: [] })] });
}

function pageNumber(): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: pt(14) })],
  });
}

/**
 * NĐ 30/2020 Phụ lục I: page numbers in Arabic numerals, centred in the top margin, not shown on
 * the first page; an appendix's pages are numbered on their own. Each part is therefore a section
 * of its own that starts at 1 with a first page without number.
 */
function sectionProperties() {
  return {
    titlePage: true,
    page: {
      size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
      margin: { ...PAGE.margin, header: mm(10), footer: mm(10) },
      pageNumbers: { start: 1, formatType: NumberFormat.DECIMAL },
    },
  };
}

export async function renderYearEndReport(summary: YearSummary, info: DocumentInfo, options: YearEndReportOptions = {}): Promise<Buffer> {
  const subject = reportSubject(summary, options);
  const simulation = options.simulation ?? false;
  const headers = () => ({ first: header([], simulation), default: header([pageNumber()], simulation) });
  const doc = new Document({
    creator: info.issuingBody,
    title: `${simulation ? 'Báo cáo (mô phỏng)' : 'Báo cáo'}: ${subject}`,
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE } } } },
    sections: [
      {
        properties: sectionProperties(),
        headers: headers(),
        children: [
          headerBlock(info),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 360, after: 0 },
            children: [run(simulation ? 'BÁO CÁO (MÔ PHỎNG)' : 'BÁO CÁO', { bold: true })],
          }),
          centred(subject, { size: pt(14), bold: true }),
          rule(TEXT_WIDTH, mm(45)),
          new Paragraph({ spacing: { after: AFTER_PARAGRAPH }, children: [] }),
          ...body(summary, info, subject),
          signatureBlock(info),
        ],
      },
      { properties: sectionProperties(), headers: headers(), children: appendix(summary, info) },
    ],
  });
  return Packer.toBuffer(doc);
}
