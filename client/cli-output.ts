/**
 * Shared CLI output helpers: every message a user reads is Vietnamese; `--json` prints machine output.
 */

/** One line for the user on standard output. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Commander writes its own headings and errors in English; users read Vietnamese. */
const COMMANDER_PHRASES: [RegExp, string][] = [
  [/^Usage:/gm, 'Cách dùng:'],
  [/^Options:/gm, 'Tùy chọn:'],
  [/^Commands:/gm, 'Lệnh:'],
  [/^Arguments:/gm, 'Tham số:'],
  [/\[options\]/g, '[tùy-chọn]'],
  [/\[command\]/g, '[lệnh]'],
  [/\(default: ([^)]*)\)/g, '(mặc định: $1)'],
  [/error: unknown option '([^']*)'/g, "lỗi: không có tùy chọn '$1'"],
  [/error: unknown command '([^']*)'/g, "lỗi: không có lệnh '$1'"],
  [/error: required option '([^']*)' not specified/g, "lỗi: thiếu tùy chọn bắt buộc '$1'"],
  [/error: missing required argument '([^']*)'/g, "lỗi: thiếu tham số bắt buộc '$1'"],
  [/error: option '([^']*)' argument missing/g, "lỗi: tùy chọn '$1' cần một giá trị"],
  [/error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./g, 'lỗi: thừa tham số (cần $2, nhận $3).'],
  [/error: option '([^']*)' cannot be used with option '([^']*)'/g, "lỗi: không dùng tùy chọn '$1' cùng với tùy chọn '$2'"],
  [/\(Did you mean ([^?]*)\?\)/g, '(Có phải ý bạn là $1?)'],
];

export function vietnameseCommanderText(text: string): string {
  return COMMANDER_PHRASES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
