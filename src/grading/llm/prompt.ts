import { createHash } from 'node:crypto';
import type { Criterion } from '../../content/schema.js';

/**
 * Prompt templates (prompts/*.md): Markdown with {{placeholders}}. The first line is
 * `<!-- version: N -->` so a stored grade can say which prompt made it. A line that is exactly
 * `<!-- user -->` splits a template into a system part (our instructions) and a user part
 * (the data, the untrusted answer among it); without it the whole template is one message.
 */

export class PromptError extends Error {
  override name = 'PromptError';
}

const PLACEHOLDER_RE = /\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g;
const VERSION_RE = /^\s*<!--\s*version:\s*([^\s>]+)\s*-->[ \t]*(?:\r?\n|$)/;
const USER_SPLIT_RE = /^[ \t]*<!--\s*user\s*-->[ \t]*$/m;

/** The `<!-- version: N -->` of a template, or undefined when it has none. */
export function promptVersion(template: string): string | undefined {
  return VERSION_RE.exec(template)?.[1];
}

/** The placeholder names a template uses, each once, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!))];
}

/** The template named `name`, or a PromptError naming the file that is missing. */
export function requireTemplate(prompts: Map<string, string>, name: string): string {
  const t = prompts.get(name);
  if (t === undefined) throw new PromptError(`prompt template prompts/${name}.md is missing`);
  return t;
}

/**
 * Fails at start-up, not mid-conversation, when a template asks for a value we never supply
 * (a typo such as {{anwser}} would otherwise reach the model as literal text).
 */
export function checkTemplate(name: string, template: string, supplied: readonly string[]): void {
  const unknown = placeholders(template).filter((p) => !supplied.includes(p));
  if (unknown.length > 0) {
    throw new PromptError(`prompts/${name}.md: unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(', ')} (known: ${supplied.join(', ')})`);
  }
}

/**
 * Fills every {{placeholder}} in one pass, so a value that itself contains "{{...}}" (an
 * answer can) is never expanded. The version line is dropped: it is for us, not the model.
 */
export function renderPrompt(template: string, values: Record<string, string>, name = 'prompt'): string {
  const missing = placeholders(template).filter((p) => values[p] === undefined);
  if (missing.length > 0) {
    throw new PromptError(`prompts/${name}.md: no value for ${missing.map((p) => `{{${p}}}`).join(', ')}`);
  }
  return template.replace(VERSION_RE, '').replace(PLACEHOLDER_RE, (_, key: string) => values[key]!).trim();
}

export type PromptMessages = { system?: string; user: string };

/** Renders a template and splits it at `<!-- user -->` into system and user messages. */
export function renderMessages(template: string, values: Record<string, string>, name = 'prompt'): PromptMessages {
  // Split before filling, so a marker inside a value (the answer) cannot move the boundary.
  const parts = template.replace(VERSION_RE, '').split(USER_SPLIT_RE);
  if (parts.length > 2) throw new PromptError(`prompts/${name}.md: more than one <!-- user --> line`);
  if (parts.length === 1) return { user: renderPrompt(parts[0]!, values, name) };
  return { system: renderPrompt(parts[0]!, values, name), user: renderPrompt(parts[1]!, values, name) };
}

/**
 * Wraps the untrusted answer in tags the answer cannot close: the tag name carries a hash
 * of the answer itself, which the candidate cannot know while writing it, so "</answer>",
 * "</answer_1a2b3c4d>" or "ANSWER>>>" inside it is just text (grade.md tells the model that
 * only this exact tag ends the answer). Same answer, same tag, so a request is reproducible.
 */
export function delimitAnswer(answer: string): { tag: string; block: string } {
  // Compared case-insensitively: a model may well read "</ANSWER_1A2B3C4D>" as the same tag.
  const lower = answer.toLowerCase();
  let tag = '';
  for (let salt = 0; tag === '' || lower.includes(tag); salt++) {
    tag = `answer_${createHash('sha256').update(`${salt}:${answer}`).digest('hex').slice(0, 8)}`;
  }
  return { tag, block: `<${tag}>\n${answer}\n</${tag}>` };
}

/** A rubric criterion as the model reads it: what it looks for and its 0/2/4 anchors. */
export function formatCriterion(c: Criterion): string {
  return [
    `- id: ${c.id} (weight ${c.weight}) — ${c.name}`,
    `  Looks for: ${c.description}`,
    `  0: ${c.anchors['0']}`,
    `  2: ${c.anchors['2']}`,
    `  4: ${c.anchors['4']}`,
  ].join('\n');
}
