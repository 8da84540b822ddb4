/**
 * From, To and Reply-To written by hand, because the display names are Vietnamese and the common
 * parsers disagree about RFC 2047:
 * - a compliant reader (mailparser, Thunderbird, Gmail) drops the whitespace between two adjacent
 *   encoded words, so "Tiểu h" + "ọc" reads "Tiểu học";
 * - Python's `email` package with `policy.default` keeps it in a display name, so the same bytes
 *   read "Tiểu h ọc", and a space put inside the second word to survive the first kind of reader
 *   doubles under the second.
 * nodemailer (like Python's own generator) cuts names into encoded words wherever 52 characters
 * run out, often inside a word. Here no two encoded words are ever adjacent: ASCII words of the
 * name ("UBND", "ban", "-") stay plain atoms, and each run of words with diacritics between them
 * becomes ONE encoded word, which both kinds of reader decode the same way. A run longer than
 * 45 UTF-8 bytes gives an encoded word over RFC 2047's 75 characters; none of the Hà Đông names
 * does (the longest run is 44 bytes), and the parsers tested here still read it.
 */
import type { Mailbox } from './mailbox';

/** atext without '=' and '?', so that no plain word can be mistaken for an encoded word. */
const PLAIN_WORD = /^[A-Za-z0-9!#$%&'*+\-/^_`{|}~]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MAX_LINE = 78;

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** The display name as RFC 5322 phrase words, ready for a header. */
export function displayNameWords(name: string): string[] {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [];
  if (PRINTABLE_ASCII.test(name)) {
    return words.every((word) => PLAIN_WORD.test(word)) ? words : [quoted(words.join(' '))];
  }
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) out.push(encodedWord(run.join(' ')));
    run = [];
  };
  for (const word of words) {
    if (PLAIN_WORD.test(word)) {
      flush();
      out.push(word);
    } else {
      run.push(word);
    }
  }
  flush();
  return out;
}

/**
 * `Name: a, b` with each mailbox on its own line and long names folded between words. Folding
 * whitespace next to an encoded word is read as the one space that was there.
 */
export function addressHeader(field: string, mailboxes: readonly Mailbox[]): string {
  const lines: string[] = [];
  let line = `${field}:`;
  mailboxes.forEach((mailbox, index) => {
    const tokens = [...displayNameWords(mailbox.name), `<${mailbox.address}>`];
    const last = index === mailboxes.length - 1;
    tokens.forEach((token, tokenIndex) => {
      const piece = tokenIndex === tokens.length - 1 && !last ? `${token},` : token;
      const startsMailbox = tokenIndex === 0 && index > 0;
      if (startsMailbox || (line !== `${field}:` && line.length + 1 + piece.length > MAX_LINE)) {
        lines.push(line);
        line = ` ${piece}`;
      } else {
        line += ` ${piece}`;
      }
    });
  });
  lines.push(line);
  return lines.join('\r\n');
}
