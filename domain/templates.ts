/**
 * Logic-less (mustache) rendering shared by the emails and the web pages. In HTML every value is
 * escaped, the five characters that matter in text and quoted attributes, so links stay readable;
 * in plain text values are left as they are.
 */
import Mustache from 'mustache';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

export interface Template {
  render(view: object, partials?: Record<string, string>): string;
}

export function compileTemplate(source: string, kind: 'html' | 'text'): Template {
  Mustache.parse(source);
  const escape = kind === 'html' ? escapeHtml : String;
  return { render: (view, partials) => Mustache.render(source, view, partials, { escape }) };
}
