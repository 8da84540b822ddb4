/** YAML syntax errors in words a clerk can act on; the line and column come with them. */
import type { YAMLError } from 'yaml';

const MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'khóa này xuất hiện hai lần trong cùng một nhóm; xóa hoặc đổi tên một trong hai',
  BAD_INDENT: 'thụt lề không đúng: các mục cùng cấp phải thẳng cột với nhau',
  TAB_AS_INDENT: 'dùng phím Tab để thụt lề; YAML chỉ chấp nhận dấu cách',
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

export function yamlErrorMessage(error: YAMLError): string {
  return `lỗi cú pháp YAML: ${MESSAGES[error.code] ?? 'không đọc được đoạn này'}`;
}
