/**
 * A deliberately tiny logic-less template language for the email templates in ./templates:
 *
 *   {{name}}            value, passed through the template's `escape` (HTML-escaped for .html)
 *   {{#name}}…{{/name}} array: once per element (element becomes the context); object: once with
 *                       it as context; other truthy value: once; falsy or empty array: skipped
 *   {{^name}}…{{/name}} rendered only when `name` is falsy or an empty array
 *   {{.}}               the current context itself
 *
 * There is deliberately no unescaped output: every value goes through `escape`, so a unit name
 * or note can never inject markup. A line holding only a section tag disappears entirely, so
 * plain-text templates keep their layout.
 */

type Node =
  | { type: 'text'; text: string }
  | { type: 'value'; name: string }
  | { type: 'section'; name: string; inverted: boolean; children: Node[] };

export type TemplateContext = Record<string, unknown>;

export interface CompiledTemplate {
  render(view: TemplateContext): string;
}

const TAG = /\{\{([#^/]?)\s*([\w.]+)\s*\}\}/g;
const STANDALONE_SECTION_LINE = /^[ \t]*(\{\{[#^/]\s*[\w.]+\s*\}\})[ \t]*\r?\n/gm;

export function compileTemplate(source: string, escape: (value: string) => string): CompiledTemplate {
  const root = parse(source.replace(STANDALONE_SECTION_LINE, '$1'));
  return { render: (view) => renderNodes(root, [view], escape) };
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const [whole, sigil, name = ''] = match;
    const current = stack[stack.length - 1]!;
    if (match.index > last) current.children.push({ type: 'text', text: source.slice(last, match.index) });
    last = match.index + whole.length;
    if (sigil === '#' || sigil === '^') {
      const section: Node = { type: 'section', name, inverted: sigil === '^', children: [] };
      current.children.push(section);
      stack.push({ name, children: section.children });
    } else if (sigil === '/') {
      if (stack.length === 1 || current.name !== name) {
        throw new Error(`template: unexpected {{/${name}}} (open section: ${current.name || 'none'})`);
      }
      stack.pop();
    } else {
      current.children.push({ type: 'value', name });
    }
  }
  if (stack.length > 1) throw new Error(`template: section {{#${stack[stack.length - 1]!.name}}} is never closed`);
  if (last < source.length) root.push({ type: 'text', text: source.slice(last) });
  return root;
}

function lookup(name: string, contexts: unknown[]): unknown {
  if (name === '.') return contexts[contexts.length - 1];
  for (let i = contexts.length - 1; i >= 0; i--) {
    const context = contexts[i];
    if (context !== null && typeof context === 'object' && Object.hasOwn(context, name)) {
      return (context as Record<string, unknown>)[name];
    }
  }
  return undefined;
}

function isEmpty(value: unknown): boolean {
  return !value || (Array.isArray(value) && value.length === 0);
}

function renderNodes(nodes: Node[], contexts: unknown[], escape: (value: string) => string): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') {
      out += node.text;
    } else if (node.type === 'value') {
      const value = lookup(node.name, contexts);
      if (value !== undefined && value !== null) out += escape(String(value));
    } else {
      const value = lookup(node.name, contexts);
      if (node.inverted) {
        if (isEmpty(value)) out += renderNodes(node.children, contexts, escape);
      } else if (Array.isArray(value)) {
        for (const element of value) out += renderNodes(node.children, [...contexts, element], escape);
      } else if (!isEmpty(value)) {
        const next = typeof value === 'object' ? [...contexts, value] : contexts;
        out += renderNodes(node.children, next, escape);
      }
    }
  }
  return out;
}
