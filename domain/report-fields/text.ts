/**
 * Free text as the report keeps it: NFC (a form may send "ệ" decomposed), Windows line ends made
 * plain, and no whitespace or invisible characters at either end. A text made only of whitespace
 * and invisible characters (zero-width space, joiners, word joiner, BOM, soft hyphen, bidi marks,
 * Hangul fillers …) is empty: it satisfies no required field.
 */

/** Code point ranges that render as nothing. Kept inside a text (a joiner may matter), never counted as content. */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x061c, 0x061c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5],
  [0x180b, 0x180f], // Mongolian variation selectors, vowel separator
  [0x200b, 0x200f], // zero-width space, non-joiner, joiner, direction marks
  [0x202a, 0x202e], // bidi embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, bidi isolates
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // BOM, zero-width no-break space
  [0xffa0, 0xffa0],
];

/** C0 and C1 control characters other than tab and line feed: dropped. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

function isInvisibleOrSpace(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return /\s/u.test(char) || isControl(code) || INVISIBLE_RANGES.some(([from, to]) => code >= from && code <= to);
}

export function canonicalText(input: string): string {
  const chars = Array.from(input.normalize('NFC').replace(/\r\n?/g, '\n')).filter((char) => !isControl(char.codePointAt(0) ?? 0));
  let start = 0;
  let end = chars.length;
  while (start < end && isInvisibleOrSpace(chars[start] ?? '')) start += 1;
  while (end > start && isInvisibleOrSpace(chars[end - 1] ?? '')) end -= 1;
  return chars.slice(start, end).join('');
}

/** True when nothing in the text would show on paper. */
export function isBlankText(input: string): boolean {
  for (const char of input) if (!isInvisibleOrSpace(char)) return false;
  return true;
}

/** Length as a person counts it: characters (code points) of the canonical text. */
export function textLength(text: string): number {
  let length = 0;
  for (const _char of text) length += 1;
  return length;
}

/** What a message quotes of a typed value: one line, at most 24 characters, with the length when cut. */
export function quoteTyped(input: string): string {
  const chars = Array.from(input.replace(/\s+/g, ' ').trim()).filter((char) => !isControl(char.codePointAt(0) ?? 0));
  const line = chars.join('');
  if (chars.length <= 30) return `"${line}"`;
  return `"${chars.slice(0, 24).join('')}…" (${chars.length} ký tự)`;
}
