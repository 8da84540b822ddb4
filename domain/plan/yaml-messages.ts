/** YAML syntax errors in words a clerk can act on, each at the line and column where to look. */
import type { LineCounter, YAMLError } from 'yaml';

const MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'khóa này xuất hiện hai lần trong cùng một nhóm; xóa hoặc đổi tên một trong hai',
  BAD_INDENT: 'thụt lề không đúng: các mục cùng cấp phải thẳng cột với nhau',
  TAB_AS_INDENT:
    'dòng này thụt lề bằng ký tự Tab, mà YAML chỉ chấp nhận dấu cách; hãy xóa Tab và thụt lề bằng dấu cách (mỗi cấp 2 dấu cách)',
  MISSING_CHAR: 'thiếu ký tự đóng (dấu ngoặc hoặc dấu nháy)',
  MULTILINE_IMPLICIT_KEY: 'khóa không được kéo dài nhiều dòng; có thể thiếu dấu ":" hoặc dấu nháy',
  BLOCK_AS_IMPLICIT_KEY: 'cấu trúc khối không thể làm khóa; kiểm tra dấu ":" và thụt lề',
  UNEXPECTED_TOKEN: 'ký tự không mong đợi ở đây; kiểm tra dấu ":", "-" và thụt lề',
  BAD_SCALAR_START: 'giá trị không thể bắt đầu bằng ký tự này; hãy đặt nó trong dấu nháy kép',
  MULTIPLE_DOCS: 'tệp chỉ được chứa một kế hoạch (không dùng "---" để tách)',
  ALIAS_PROPS: 'bí danh (alias) không được có thẻ hay neo',
  BAD_ALIAS: 'bí danh (alias) không hợp lệ',
  BAD_DIRECTIVE: 'chỉ thị YAML không hợp lệ',
  BAD_DQ_ESCAPE: 'ký tự thoát không hợp lệ trong chuỗi đặt trong dấu nháy kép',
  IMPOSSIBLE: 'không đọc được đoạn này',
  KEY_OVER_1024_CHARS: 'khóa quá dài',
  TAG_RESOLVE_FAILED: 'không hiểu thẻ (tag) YAML này',
};

const CLOSERS: Record<string, string> = { '{': '}', '[': ']' };

export interface LocatedYamlError {
  line: number;
  column: number;
  message: string;
}

/**
 * An unclosed "{" or "[" is reported by the parser where the next line starts, as an indentation
 * problem; the clerk needs the bracket that was left open.
 */
function unclosedBracket(error: YAMLError, text: string): { offset: number; opener: string } | undefined {
  const match = /end with a ([}\]])/.exec(error.message);
  if (error.code !== 'BAD_INDENT' || match === null) return undefined;
  const opener = match[1] === '}' ? '{' : '[';
  const offset = text.lastIndexOf(opener, error.pos[0]);
  return offset < 0 ? undefined : { offset, opener };
}

export function locateYamlError(error: YAMLError, text: string, lineCounter: LineCounter): LocatedYamlError {
  const unclosed = unclosedBracket(error, text);
  if (unclosed !== undefined) {
    const { line, col } = lineCounter.linePos(unclosed.offset);
    const closer = CLOSERS[unclosed.opener] ?? '';
    return {
      line,
      column: col,
      message:
        `lỗi cú pháp YAML: dấu "${unclosed.opener}" mở ở đây chưa được đóng; thêm "${closer}" vào cuối mục này ` +
        `(mọi mục viết trên một dòng trong "${unclosed.opener} ${closer}" phải kết thúc trên chính dòng đó)`,
    };
  }
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { line, column: col, message: `lỗi cú pháp YAML: ${MESSAGES[error.code] ?? 'không đọc được đoạn này'}` };
}
