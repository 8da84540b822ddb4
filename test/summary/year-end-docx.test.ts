import { describe, expect, it } from 'vitest';
import { summarise } from '../../domain/summary/aggregate';
import { PAGE, renderYearEndReport } from '../../reports/year-end-docx';
import type { DocumentInfo } from '../../reports/document-info';
import { AS_OF, PLAN_INFO, sampleViews } from './fixtures';
import { paragraphTexts, paragraphXml, readDocx, unbalancedTag } from './docx-reader';

const INFO: DocumentInfo = {
  issuingBody: 'Ủy ban nhân dân xã Hà Đông',
  parentBody: 'UBND thành phố Hải Phòng',
  place: 'Hà Đông',
  date: '2027-01-05',
  symbol: 'BC-UBND',
  signer: { authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', name: 'Hoàng Văn Đại' },
  recipients: ['Sở Nội vụ TP (để b/c)', 'TT ĐU, TT HĐND xã (để b/c);', 'UBMTTQ VN xã', 'Lưu: VT, VHXH'],
};

describe('year-end report .docx', async () => {
  const summary = summarise(PLAN_INFO, sampleViews(), { asOf: AS_OF });
  const docx = await readDocx(await renderYearEndReport(summary, INFO));
  const texts = paragraphTexts(docx.document);

  it('is a well-formed Word package', () => {
    expect(docx.files).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/styles.xml']));
    expect(unbalancedTag(docx.document)).toBeUndefined();
    for (const header of docx.headers) expect(unbalancedTag(header)).toBeUndefined();
  });

  it('is A4 portrait with the NĐ 30/2020 margins, in Times New Roman', () => {
    expect(PAGE).toEqual({ width: 11906, height: 16838, margin: { top: 1134, bottom: 1134, left: 1701, right: 850 } });
    expect(docx.document).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    expect(docx.document).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    const fonts = [...docx.document.matchAll(/w:ascii="([^"]+)"/g)].map((m) => m[1]);
    expect(fonts.length).toBeGreaterThan(50);
    expect(new Set(fonts)).toEqual(new Set(['Times New Roman']));
  });

  it('has the header block: issuing body, blank number, Quốc hiệu, Tiêu ngữ, zero-padded place and date', () => {
    expect(texts.slice(0, 8).filter((t) => t !== '')).toEqual([
      'UBND THÀNH PHỐ HẢI PHÒNG',
      'ỦY BAN NHÂN DÂN XÃ HÀ ĐÔNG',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số:       /BC-UBND',
      'Hà Đông, ngày 05 tháng 01 năm 2027',
    ]);
    expect(paragraphXml(docx.document, 'ỦY BAN NHÂN DÂN XÃ HÀ ĐÔNG')).toMatch(/<w:b\/>[\s\S]*<w:sz w:val="24"\/>/);
    expect(paragraphXml(docx.document, 'UBND THÀNH PHỐ HẢI PHÒNG')).not.toMatch(/<w:b\/>/);
    expect(paragraphXml(docx.document, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')).toMatch(/<w:b\/>[\s\S]*<w:sz w:val="24"\/>/);
    expect(paragraphXml(docx.document, 'Hà Đông, ngày 05 tháng 01 năm 2027')).toMatch(/<w:i\/>/);
    expect(paragraphXml(docx.document, 'Số:       /BC-UBND')).toMatch(/<w:sz w:val="26"\/>/);
  });

  it('titles the document in bold and words the body from the numbers, in Vietnamese format', () => {
    expect(paragraphXml(docx.document, 'BÁO CÁO')).toMatch(/<w:jc w:val="center"\/>[\s\S]*<w:b\/>/);
    expect(texts).toContain('Tổng kết việc thực hiện kế hoạch thực hiện dân chủ cơ sở trên địa bàn xã Hà Đông năm 2026');
    expect(texts).toContain('I. KẾT QUẢ THỰC HIỆN');
    expect(texts).toContain('II. TỒN TẠI, HẠN CHẾ');
    const overall = texts.find((t) => t.startsWith('Trong năm 2026'));
    expect(overall).toBe(
      'Trong năm 2026, 2 nhiệm vụ với 11 lượt việc được theo dõi (số liệu tính đến hết ngày 14 tháng 12 năm 2026); ' +
        '8 lượt đã đến hạn trong thời gian theo dõi, gồm 3 lượt nộp đúng hạn, 1 lượt nộp muộn và 4 lượt chưa nộp; ' +
        '1 lượt chưa đến hạn, 1 lượt đến hạn trước khi bắt đầu theo dõi và 1 lượt được miễn không tính vào tỷ lệ. ' +
        // 8 items owed: too few for a percentage, so the counts are given instead.
        'Số lượt đã đến hạn còn ít nên chưa tính tỷ lệ phần trăm: đã nộp 4/8 lượt, nộp đúng hạn 3/8 lượt.',
    );
    const bodyXml = paragraphXml(docx.document, overall as string) ?? '';
    expect(bodyXml).toMatch(/<w:jc w:val="both"\/>/);
    expect(bodyXml).toMatch(/<w:ind w:firstLine="720"\/>/);
    expect(bodyXml).toMatch(/<w:spacing w:after="120"/);
    expect(bodyXml).toMatch(/<w:sz w:val="28"\/>/);
    expect(texts).toContain('- Báo cáo kết quả thực hiện dân chủ ở cơ sở theo quý: số cuộc họp, hội nghị: 1.239,5 (qua 3 lượt báo cáo).');
    expect(texts).toContain('- Tổ dân phố số 2: 3 lượt chưa nộp (đã nộp 0/3 lượt);');
  });

  it('has the duty table with a total row', () => {
    const i = texts.indexOf('Hội nghị cán bộ, công chức, viên chức, người lao động');
    expect(texts.slice(i - 1, i + 9)).toEqual(['2', 'Hội nghị cán bộ, công chức, viên chức, người lao động', '3', '1', '0', '2', '0', '0', '0', '1/3']);
    expect(texts).toContain('Tổng cộng');
  });

  it('ends with the signer block and "Nơi nhận", recipients punctuated as the decree shows', () => {
    expect(paragraphXml(docx.document, 'Nơi nhận:')).toMatch(/<w:b\/>[\s\S]*<w:i\/>[\s\S]*<w:sz w:val="24"\/>/);
    const start = texts.indexOf('Nơi nhận:');
    expect(texts.slice(start + 1, start + 5)).toEqual([
      '- Sở Nội vụ TP (để b/c);',
      '- TT ĐU, TT HĐND xã (để b/c);',
      '- UBMTTQ VN xã;',
      '- Lưu: VT, VHXH.',
    ]);
    expect(paragraphXml(docx.document, '- Lưu: VT, VHXH.')).toMatch(/<w:sz w:val="22"\/>/);
    expect(texts.slice(start + 5, start + 7)).toEqual(['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']);
    expect(paragraphXml(docx.document, 'Hoàng Văn Đại')).toMatch(/<w:b\/>/);
  });

  it('appends per-unit detail in a "Phụ lục"', () => {
    const start = texts.indexOf('Phụ lục');
    expect(start).toBeGreaterThan(texts.indexOf('Nơi nhận:'));
    expect(texts[start + 2]).toBe('(Kèm theo Báo cáo số       /BC-UBND ngày 05 tháng 01 năm 2027 của Ủy ban nhân dân xã Hà Đông)');
    const appendix = texts.slice(start);
    expect(appendix).toContain('Trường Mầm non Hà Đông');
    expect(appendix).toContain('- Báo cáo kết quả thực hiện dân chủ ở cơ sở theo quý (quý 1/2026) — Khó khăn, vướng mắc: Thiếu loa truyền thanh');
    expect(appendix).toContain('1.234,5');
  });

  it('numbers pages in the top margin, centred, but not on page 1', () => {
    expect(docx.document).toMatch(/<w:titlePg\/>/);
    // One numbered header per section: the report, then the appendix numbered on its own.
    const numbered = docx.headers.filter((header) => /PAGE/.test(header));
    expect(numbered).toHaveLength(2);
    expect(numbered[0]).toMatch(/<w:jc w:val="center"\/>/);
    expect(docx.document).toMatch(/<w:headerReference w:type="first"/);
  });

  it('prints the report number zero-padded when given', async () => {
    const numbered = await readDocx(await renderYearEndReport(summary, { ...INFO, number: 5 }));
    expect(paragraphTexts(numbered.document)).toContain('Số: 05/BC-UBND');
  });

  it('lists the files units attached to counted submissions in the appendix, and says nothing of files when there are none', async () => {
    expect(texts.some((t) => t.includes('Tài liệu đính kèm') || t.includes('tài liệu đính kèm'))).toBe(false);
    const views = sampleViews();
    const submitted = views[0]?.occurrences.find((o) => o.submission && o.unitId === 'thon-1');
    if (!submitted?.submission) throw new Error('fixture lost its submission');
    submitted.submission.attachments = [{ hash: 'ab'.repeat(32), name: 'Biên bản hội nghị.pdf', type: 'application/pdf', size: 1_572_864 }];
    const withFiles = await readDocx(await renderYearEndReport(summarise(PLAN_INFO, views, { asOf: AS_OF }), INFO));
    const appendix = paragraphTexts(withFiles.document).slice(paragraphTexts(withFiles.document).indexOf('Phụ lục'));
    const heading = appendix.findIndex((t) => /^\d\. Tài liệu đính kèm báo cáo của các cơ quan, đơn vị$/.test(t));
    expect(heading).toBeGreaterThan(0);
    expect(appendix.slice(heading)).toContain(
      `- ${views[0]?.dutyTitle} (${submitted.periodLabel}): Biên bản hội nghị.pdf (1,5 MB, mã abababababab)`,
    );
  });
});
