/**
 * The text and HTML templates of each mail the plan sends by itself (./templates), compiled once.
 * The HTML ones share one layout, `{{> head}}` (the document's head and the body's style) and
 * `{{> foot}}` (the footer line), so every mail looks alike.
 */
import { readFileSync } from 'node:fs';
import { compileTemplate, type Template } from '../../domain/templates';

export type MailTemplateName = 'digest' | 'year-end-report';

export interface MailTemplates {
  text: Template;
  html: Template;
}

const loaded = new Map<MailTemplateName, MailTemplates>();
let layout: Record<string, string> | undefined;

export function mailTemplates(name: MailTemplateName): MailTemplates {
  let templates = loaded.get(name);
  if (!templates) {
    layout ??= { head: read('mail-head.html'), foot: read('mail-foot.html') };
    const partials = layout;
    const html = compileTemplate(read(`${name}.html`), 'html');
    templates = { text: compileTemplate(read(`${name}.txt`), 'text'), html: { render: (view) => html.render(view, partials) } };
    loaded.set(name, templates);
  }
  return templates;
}

function read(file: string): string {
  return readFileSync(new URL(`./templates/${file}`, import.meta.url), 'utf8');
}
