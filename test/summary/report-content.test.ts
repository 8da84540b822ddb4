/**
 * What the year-end report says, read back from the .docx XML: rates only over items that were
 * tracked and due (counts instead of a percentage over a handful), no all-zero columns or empty
 * appendix tables, labels keeping their capitals, one black-and-white chart, the appendix numbered
 * on its own, and the simulation mark.
 */
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../domain/summary/aggregate';
import { renderYearEndReport, SIMULATION_MARK } from '../../reports/year-end-docx';
import { inSentence } from '../../reports/year-end-text';
import type { DutyStatusView } from '../../workflows/types';
import { AS_OF, DOCUMENT_INFO, dutyView, PLAN_INFO, sampleViews } from './fixtures';
import { paragraphTexts, readDocx } from './docx-reader';

const month = (m: number) => `2026-${String(m).padStart(2, '0')}-10T17:00:00.000Z`;

/** Twelve monthly reports of two units, all submitted (10 on time, 2 late), plus 12 of a third unit, half missing. */
function busyYear(): DutyStatusView[] {
  const fields = [
    { id: 'kien-nghi', label: 'Số kiến nghị gửi UBND xã', type: 'count' as const, required: true, sum: true },
    { id: 'y-kien', label: 'Số ý kiến, kiến nghị của Nhân dân', type: 'count' as const, required: true, sum: true },
    { id: 'vi-pham', label: 'Số trường hợp vi phạm', type: 'count' as const, required: true, sum: true },
  ];
  const occurrences = [];
  for (let m = 1; m <= 12; m += 1) {
    for (const unit of ['thon-1', 'thon-2']) {
      const late = unit === 'thon-2' && m <= 2;
      occurrences.push({ unit, period: `2026-${m}`, status: late ? ('late' as const) : ('submitted' as const), dueAt: month(m), receivedAt: month(m).replace('T17', 'T03'), fields: { 'kien-nghi': 1, 'y-kien': 2, 'vi-pham': 0 } });
    }
    occurrences.push({ unit: 'tram-y-te', period: `2026-${m}`, status: m % 2 === 0 ? ('overdue' as const) : ('submitted' as const), dueAt: month(m), receivedAt: month(m).replace('T17', 'T03'), fields: { 'kien-nghi': 0, 'y-kien': 0, 'vi-pham': 0 } });
  }
  return [dutyView('bao-cao-thang', 'Báo cáo tháng về dân chủ ở cơ sở', fields, occurrences)];
}

const GROUPS = [
  { name: 'Các tổ dân phố', unitIds: ['thon-1', 'thon-2', 'thon-10'] },
  { name: 'Các đơn vị sự nghiệp', unitIds: ['tram-y-te'] },
];

async function report(views: DutyStatusView[], options: { simulation?: boolean; asOf?: string } = {}) {
  const summary = summarise(PLAN_INFO, views, { asOf: options.asOf ?? '2026-12-31T17:00:00.000Z', groups: GROUPS });
  const buffer = await renderYearEndReport(summary, DOCUMENT_INFO, { simulation: options.simulation ?? false });
  const docx = await readDocx(buffer);
  return { summary, buffer, docx, texts: paragraphTexts(docx.document) };
}

describe('rates', () => {
  it('are percentages over the tracked and due items, with not-due and untracked items stated', async () => {
    const { texts, summary } = await report(busyYear());
    expect(summary.totals.rates).toEqual({ owed: 36, completion: 30 / 36, onTime: 28 / 36 });
    const overall = texts.find((text) => text.startsWith('Trong năm 2026'));
    expect(overall).toContain('36 lượt đã đến hạn trong thời gian theo dõi, gồm 28 lượt nộp đúng hạn (77,8%), 2 lượt nộp muộn (5,6%) và 6 lượt chưa nộp (16,7%)');
    expect(overall).toContain('0 lượt chưa đến hạn và 0 lượt đến hạn trước khi bắt đầu theo dõi không tính vào tỷ lệ.');
    expect(overall).toContain('Tính trên 36 lượt đã đến hạn, tỷ lệ hoàn thành chung đạt 83,3%, tỷ lệ đúng hạn đạt 77,8%.');
  });

  it('are never a headline "100%" from a handful of items: the counts are given instead', async () => {
    const few = [dutyView('d', 'Nhiệm vụ', [], [
      { unit: 'thon-1', period: '2026-Q1', status: 'submitted', dueAt: month(3) },
      { unit: 'thon-2', period: '2026-Q1', status: 'submitted', dueAt: month(3) },
      { unit: 'thon-10', period: '2026-Q4', status: 'pending', dueAt: '2027-01-10T17:00:00.000Z' },
    ])];
    const { texts } = await report(few);
    expect(texts.join('\n')).not.toContain('100%');
    const overall = texts.find((text) => text.startsWith('Trong năm 2026')) ?? '';
    expect(overall).toContain('1 lượt chưa đến hạn và 0 lượt đến hạn trước khi bắt đầu theo dõi không tính vào tỷ lệ.');
    expect(overall).toContain('Số lượt đã đến hạn còn ít nên chưa tính tỷ lệ phần trăm: đã nộp 2/2 lượt, nộp đúng hạn 2/2 lượt.');
    expect(texts).toContain('2/2');
  });
});

describe('no empty lines or tables', () => {
  it('leaves out outcome columns, units and fields that are zero everywhere', async () => {
    const { texts } = await report(busyYear());
    for (const heading of ['Được miễn', 'Trước khi theo dõi', 'Chưa đến hạn']) expect(texts).not.toContain(heading);
    for (const heading of ['Đúng hạn', 'Muộn', 'Chưa nộp']) expect(texts).toContain(heading);
    const totals = texts.find((text) => text.startsWith('- Báo cáo tháng về dân chủ ở cơ sở:'));
    expect(totals).toBe('- Báo cáo tháng về dân chủ ở cơ sở: số kiến nghị gửi UBND xã: 24 (qua 30 lượt báo cáo); số ý kiến, kiến nghị của Nhân dân: 48 (qua 30 lượt báo cáo).');
    // Trạm Y tế reported only zeros: no row of zeros in the per-unit table of summed fields.
    const appendix = texts.slice(texts.lastIndexOf('Phụ lục'));
    const fieldsPart = appendix.slice(appendix.indexOf('2. Số liệu theo từng cơ quan, đơn vị'));
    expect(fieldsPart).not.toContain('Trạm Y tế xã');
    expect(fieldsPart).not.toContain('Số trường hợp vi phạm');
  });

  it('says "không có" once for the empty parts of the appendix instead of empty tables', async () => {
    const { texts, docx } = await report([dutyView('d', 'Nhiệm vụ', [], [{ unit: 'thon-1', period: '2026-Q1', status: 'submitted', dueAt: month(3) }])]);
    const appendix = texts.slice(texts.lastIndexOf('Phụ lục'));
    expect(appendix.filter((text) => /không có/i.test(text))).toEqual(['Không có số liệu cộng dồn theo cơ quan, đơn vị, nội dung báo cáo bằng chữ.']);
    expect(appendix).toContain('1. Tình hình nộp báo cáo, biên bản của các cơ quan, đơn vị');
    expect(appendix.some((text) => text.startsWith('2.'))).toBe(false);
    // One table in the appendix section: the units'.
    const appendixXml = docx.document.slice(docx.document.indexOf('<w:sectPr'));
    expect(appendixXml.match(/<w:tbl>/g)).toHaveLength(1);
  });
});

describe('labels and titles inside sentences', () => {
  it('lower only an ordinary first letter', () => {
    expect(inSentence('Số người dự hội nghị')).toBe('số người dự hội nghị');
    expect(inSentence('UBND xã tổ chức đối thoại')).toBe('UBND xã tổ chức đối thoại');
    expect(inSentence('HĐND xã giám sát')).toBe('HĐND xã giám sát');
    expect(inSentence('Nhân dân bàn và quyết định')).toBe('Nhân dân bàn và quyết định');
    expect(inSentence('Kế hoạch thực hiện dân chủ')).toBe('kế hoạch thực hiện dân chủ');
  });

  it('keep "UBND xã" in the subject when the plan title starts with it', async () => {
    const summary = summarise({ ...PLAN_INFO, title: 'UBND xã Hà Đông: kế hoạch năm 2026' }, sampleViews(), { asOf: AS_OF });
    const texts = paragraphTexts((await readDocx(await renderYearEndReport(summary, DOCUMENT_INFO))).document);
    expect(texts).toContain('Tổng kết việc thực hiện UBND xã Hà Đông: kế hoạch năm 2026');
  });
});

/** Reads back our own PNG: IHDR, then the filter-0 rows of the inflated IDAT. */
function decodeGray(png: Buffer): { width: number; height: number; pixels: Uint8Array; colourType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (width + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, pixels, colourType: png[25] as number };
}

describe('chart', () => {
  it('aggregates rates by month of deadline and by unit group', async () => {
    const { summary } = await report(busyYear());
    expect(summary.byMonth).toHaveLength(12);
    expect(summary.byMonth[0]?.rates).toEqual({ owed: 3, completion: 1, onTime: 2 / 3 });
    expect(summary.byMonth[1]?.rates).toEqual({ owed: 3, completion: 2 / 3, onTime: 1 / 3 });
    expect(summary.byGroup.map((group) => [group.name, group.rates.owed, group.rates.onTime])).toEqual([
      ['Các tổ dân phố', 24, 22 / 24],
      ['Các đơn vị sự nghiệp', 12, 6 / 12],
    ]);
  });

  it('is one grayscale PNG of pure black and white, with a caption naming the groups', async () => {
    const { buffer, texts } = await report(busyYear());
    const zip = await JSZip.loadAsync(buffer);
    const media = Object.keys(zip.files).filter((name) => name.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    const image = decodeGray(await (zip.file(media[0] as string) as JSZip.JSZipObject).async('nodebuffer'));
    expect(image.colourType).toBe(0);
    expect(new Set(image.pixels)).toEqual(new Set([0, 255]));
    const black = image.pixels.filter((value) => value === 0).length;
    expect(black / image.pixels.length).toBeGreaterThan(0.05);
    expect(texts.find((text) => text.startsWith('Hình 1.'))).toBe(
      'Hình 1. Tỷ lệ nộp đúng hạn (cột đen) và tỷ lệ hoàn thành (cột gạch chéo) trên số lượt đã đến hạn: ' +
        'bên trái theo tháng của hạn nộp; bên phải theo nhóm cơ quan, đơn vị: 1 – Các tổ dân phố; 2 – Các đơn vị sự nghiệp.',
    );
  });

  it('is left out when nothing was due', async () => {
    const { buffer } = await report([dutyView('d', 'Nhiệm vụ', [], [{ unit: 'thon-1', period: '2026-Q4', status: 'pending', dueAt: '2027-01-10T17:00:00.000Z' }])]);
    expect(Object.keys((await JSZip.loadAsync(buffer)).files).some((name) => name.startsWith('word/media/'))).toBe(false);
  });
});

describe('page numbering (NĐ 30/2020 Phụ lục I)', () => {
  it('numbers the appendix on its own: a second section restarting at 1, its first page unnumbered', async () => {
    const { docx } = await report(busyYear());
    const sections = docx.document.match(/<w:sectPr[\s\S]*?<\/w:sectPr>/g) ?? [];
    expect(sections).toHaveLength(2);
    for (const section of sections) {
      expect(section).toMatch(/<w:pgNumType w:start="1" w:fmt="decimal"\/>/);
      expect(section).toMatch(/<w:titlePg\/>/);
    }
    const firstSectionEnd = docx.document.indexOf('<w:sectPr');
    expect(docx.document.indexOf('>Phụ lục<')).toBeGreaterThan(firstSectionEnd);
    expect(docx.document.indexOf('>Nơi nhận:<')).toBeLessThan(firstSectionEnd);
  });
});

describe('a simulated year', () => {
  it('says "MÔ PHỎNG" in every header, first pages included, and in the document type', async () => {
    const { docx, texts } = await report(busyYear(), { simulation: true });
    expect(docx.headers).toHaveLength(4);
    for (const header of docx.headers) expect(paragraphTexts(header)).toContain(SIMULATION_MARK);
    expect(texts).toContain('BÁO CÁO (MÔ PHỎNG)');
  });

  it('says nothing of it otherwise', async () => {
    const { docx, texts } = await report(busyYear());
    expect(docx.headers.join('')).not.toContain('MÔ PHỎNG');
    expect(texts).toContain('BÁO CÁO');
  });
});

describe('report recipients, partners and ad-hoc requests', () => {
  it('names each duty\'s recipient and partners and counts the requests made by the cut-off only', async () => {
    const fields = [{ id: 'so-phan-anh', label: 'Số phản ánh', type: 'count' as const, required: true, sum: true }];
    const view = dutyView('bc-dot-xuat', 'Báo cáo đột xuất', fields, [
      { unit: 'thon-1', period: 'yc-a', status: 'submitted', dueAt: month(6), receivedAt: month(6).replace('T17', 'T03'), fields: { 'so-phan-anh': 2 } },
      { unit: 'thon-2', period: 'yc-a', status: 'overdue', dueAt: month(6) },
      // Requested on 20 December, after the cut-off of 14 December: not in the report.
      { unit: 'thon-1', period: 'yc-b', status: 'pending', dueAt: month(12).replace('-10T', '-28T') },
    ]);
    const requestedAt = ['2026-06-01T02:00:00.000Z', '2026-06-01T02:00:00.000Z', '2026-12-20T02:00:00.000Z'];
    const ids = ['a', 'a', 'b'];
    const withRequests: DutyStatusView = {
      ...view,
      roles: { mode: 'on-request', reportTo: { id: 'vhxh', name: 'Phòng Văn hóa - Xã hội' }, partners: [{ id: 'mttq', name: 'Ủy ban MTTQ xã' }] },
      occurrences: view.occurrences.map((occ, index) => ({ ...occ, request: { id: ids[index] as string, requestedAt: requestedAt[index] as string, note: 'yêu cầu' } })),
    };
    const { summary, texts } = await report([withRequests], { asOf: AS_OF });
    expect(summary.duties[0]?.counts).toMatchObject({ 'on-time': 1, missing: 1, total: 2 });
    expect(texts).toContain('Nơi nhận báo cáo, đơn vị phối hợp và yêu cầu đột xuất:');
    expect(texts).toContain(
      '- Báo cáo đột xuất: thực hiện theo yêu cầu đột xuất; nơi nhận báo cáo: Phòng Văn hóa - Xã hội; đơn vị phối hợp: Ủy ban MTTQ xã; 1 yêu cầu đột xuất (2 lượt việc).',
    );
  });
});
