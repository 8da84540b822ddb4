/** Reads back a generated .docx: the parts of the zip and the text of each paragraph. */
import JSZip from 'jszip';

export interface DocxParts {
  files: string[];
  document: string;
  headers: string[];
  settings: string;
}

export async function readDocx(buffer: Buffer): Promise<DocxParts> {
  const zip = await JSZip.loadAsync(buffer);
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  const files = Object.keys(zip.files).sort();
  const headers = await Promise.all(files.filter((name) => /^word\/header\d*\.xml$/.test(name)).map(read));
  return { files, document: await read('word/document.xml'), headers, settings: await read('word/settings.xml') };
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Each <w:p>'s text, its runs joined; paragraphs nested in table cells included, in order. */
export function paragraphTexts(xml: string): string[] {
  const out: string[] = [];
  for (const match of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const texts = [...match[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1] ?? ''));
    out.push(texts.join(''));
  }
  return out;
}

/** The whole XML of the paragraph whose text is exactly `text`. */
export function paragraphXml(xml: string, text: string): string | undefined {
  for (const match of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const joined = [...match[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1] ?? '')).join('');
    if (joined === text) return match[0];
  }
  return undefined;
}

/** Well-formedness: every opened element is closed in order (enough for machine-written XML). */
export function unbalancedTag(xml: string): string | undefined {
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (!closing) stack.push(name as string);
    else if (stack.pop() !== name) return name;
  }
  return stack.length > 0 ? stack[stack.length - 1] : undefined;
}
