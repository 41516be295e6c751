import type { Reply } from '../core/kernel/types.js';

export type TextStyle = {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
};

export const plainStyle: TextStyle = { bold: (t) => t, dim: (t) => t, accent: (t) => t };

/** Our Markdown subset (**bold**, _italic_, `code`) turned into terminal text. */
function inline(text: string, style: TextStyle): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, (_, t: string) => style.bold(t))
    .replace(/(^|\s)_(.+?)_(?=\s|$|[.,;:])/g, (_, pre: string, t: string) => pre + style.dim(t))
    .replace(/`([^`]+)`/g, (_, t: string) => style.accent(t));
}

/** Renders a reply as terminal text: the text, its sections, then the actions as commands. */
export function renderReplyText(reply: Pick<Reply, 'text' | 'sections' | 'actions'>, style: TextStyle = plainStyle): string {
  const out: string[] = [inline(reply.text, style)];
  for (const section of reply.sections ?? []) {
    out.push('');
    if (section.title) out.push(style.bold(inline(section.title, style)));
    for (const [name, value] of section.fields ?? []) out.push(`  ${name}: ${inline(value, style)}`);
    // Code fences mark tables for chat platforms; a terminal shows the table as it is.
    if (section.body) out.push(...section.body.split('\n').filter((line) => line.trim() !== '```').map((line) => `  ${inline(line, style)}`));
  }
  const actions = (reply.actions ?? []).map((a) => a.action);
  // A terminal has no buttons: the ones that are commands are shown as what to type instead.
  const commands = actions.flatMap((a) => (a.do === 'command' ? [a.name] : []));
  if (commands.length > 0) out.push('', style.dim(commands.map((name) => `/${name}`).join('  ')));
  const options = (reply.actions ?? []).flatMap(({ action, label }) => (action.do === 'drill-decide' ? [{ option: action.option, label }] : []));
  if (options.length > 0) out.push('', ...options.map((o) => `  ${style.accent(`/drill decide ${o.option}`)}  ${o.label}`));
  return out.join('\n');
}
