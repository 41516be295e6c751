/**
 * Reply -> Block Kit. Slack rejects a whole message when one block breaks a limit, so every
 * limit is enforced here rather than trusted to the content: long text is split across
 * sections, fields are chunked and cut, and a message never exceeds 50 blocks.
 */
import type { types } from '@slack/bolt';
import type { Reply, ReplyAction, ReplySection } from '../../core/kernel/types.js';
import { encodeAction, encodeForm, type ActionKind } from '../../core/kernel/actions.js';
import { encodeActionValue, encodeViewMeta, type ViewMeta } from './envelope.js';
import { splitText, toMrkdwn, toPlain, truncate } from './text.js';

/** Slack's published Block Kit limits (api.slack.com/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  callbackId: 255,
  elementsPerActions: 25,
  modalTitle: 24,
  inputLabel: 2000,
  inputMaxLength: 3000,
  fallbackText: 3000,
  imageAlt: 2000,
} as const;

export type SlackMessage = { text: string; blocks: types.KnownBlock[] };

/** Where the buttons of a message belong (see envelope.ts). */
export type ButtonPlace = { channel?: string; thread?: string; opensThread?: boolean };

export const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text: toPlain(text) || ' ', emoji: true });

/** verbatim: Slack must not auto-link names or mentions in text we echo. */
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });

/** Sections of at most 3000 characters each; `safe` is already-escaped mrkdwn. */
export function textSections(safe: string): types.SectionBlock[] {
  if (safe.trim() === '') return [];
  return splitText(safe, LIMITS.sectionText).map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }));
}

function sectionBlocks(section: ReplySection): types.SectionBlock[] {
  const title = section.title ? `*${toMrkdwn(section.title.replace(/\*\*/g, ''))}*` : '';
  const blocks: types.SectionBlock[] = [];
  const fields = (section.fields ?? []).map(([name, value]) =>
    mrkdwn(truncate(`*${toMrkdwn(name.replace(/\*\*/g, ''))}*\n${toMrkdwn(value)}`, LIMITS.fieldText)),
  );
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    const chunk = fields.slice(i, i + LIMITS.fieldsPerSection);
    blocks.push(i === 0 && title ? { type: 'section', text: mrkdwn(truncate(title, LIMITS.sectionText)), fields: chunk } : { type: 'section', fields: chunk });
  }
  if (section.body) {
    const heading = title && fields.length === 0 ? `${title}\n` : '';
    blocks.push(...textSections(heading + toMrkdwn(section.body)));
  } else if (title && fields.length === 0) {
    blocks.push(...textSections(title));
  }
  return blocks;
}

/** Buttons that destroy something ask again in Slack's own confirm dialog before the click is sent. */
const CONFIRMS: Partial<Record<ActionKind, { title: string; text: string; confirm: string }>> = {
  'forget-me': {
    title: 'Delete everything?',
    text: 'Your sessions, answers, grades, progress, drill messages and mock interviews about you are deleted for good.',
    confirm: 'Delete',
  },
};

function confirmDialog(kind: ActionKind): types.ConfirmationDialog | undefined {
  const c = CONFIRMS[kind];
  return c && { title: plain(c.title), text: plain(c.text), confirm: plain(c.confirm), deny: plain('Cancel'), style: 'danger' };
}

/** A cut payload would mean another button or form: one that cannot fit is a bug to see, not to hide. */
function fits(id: string, max: number, what: string): string {
  if (id.length > max) throw new Error(`Slack ${what} of ${id.length} characters is over its ${max}: ${id.slice(0, 40)}…`);
  return id;
}

export function buttons(actions: ReplyAction[], place: ButtonPlace): types.ActionsBlock[] {
  const seen = new Map<string, number>();
  const elements: types.Button[] = actions.map((a) => {
    const wire = encodeAction(a.action);
    const n = seen.get(wire) ?? 0;
    seen.set(wire, n + 1);
    const value = encodeActionValue({
      ...(place.channel ? { c: place.channel } : {}),
      ...(place.thread ? { t: place.thread } : {}),
      ...(place.opensThread ? { o: 1 as const } : {}),
    });
    return {
      type: 'button',
      action_id: fits(n === 0 ? wire : `${wire}#${n}`, LIMITS.actionId, 'action_id'),
      text: plain(truncate(a.label, LIMITS.buttonText)),
      // Values are ids and short thread stamps; the cut only guards the 2000-char limit (an unreadable value decodes as a bare one).
      value: truncate(value, LIMITS.buttonValue),
      ...(a.style ? { style: a.style } : {}),
      ...(CONFIRMS[a.action.do] ? { confirm: confirmDialog(a.action.do)! } : {}),
    };
  });
  const blocks: types.ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.elementsPerActions) {
    blocks.push({ type: 'actions', elements: elements.slice(i, i + LIMITS.elementsPerActions) });
  }
  return blocks;
}

/** Keeps the buttons and as much content as fits under a block budget, saying when something was cut. */
export function fitBlocks(content: types.KnownBlock[], actions: types.KnownBlock[], max: number): types.KnownBlock[] {
  if (content.length + actions.length <= max) return [...content, ...actions];
  const room = Math.max(max - actions.length - 1, 0);
  const note: types.ContextBlock = { type: 'context', elements: [mrkdwn('_The rest did not fit in one Slack message._')] };
  return [...content.slice(0, room), note, ...actions].slice(0, max);
}

/** An uploaded image (files.uploadV2) shown in Block Kit; alt text is required and plain. */
export function imageBlock(fileId: string, alt: string, title?: string): types.ImageBlock {
  return {
    type: 'image',
    slack_file: { id: fileId },
    alt_text: truncate(toPlain(alt), LIMITS.imageAlt) || 'chart',
    ...(title ? { title: plain(truncate(title, LIMITS.imageAlt)) } : {}),
  };
}

export function renderReply(reply: Pick<Reply, 'text' | 'sections' | 'actions'>, place: ButtonPlace = {}, extra: types.KnownBlock[] = []): SlackMessage {
  const content: types.KnownBlock[] = [...textSections(toMrkdwn(reply.text)), ...(reply.sections ?? []).flatMap(sectionBlocks), ...extra];
  const actions = buttons(reply.actions ?? [], place);
  return {
    // The notification/fallback text; the blocks are what people see.
    text: truncate(toMrkdwn(reply.text), LIMITS.fallbackText) || ' ',
    blocks: fitBlocks(content, actions, LIMITS.messageBlocks),
  };
}

export const FORM_CALLBACK_PREFIX = 'form:';

/** A Reply's form as a modal; where the answer belongs rides along in private_metadata. */
export function renderForm(form: NonNullable<Reply['form']>, meta: ViewMeta): types.ModalView {
  return {
    type: 'modal',
    callback_id: fits(`${FORM_CALLBACK_PREFIX}${encodeForm(form.submits)}`, LIMITS.callbackId, 'callback_id'),
    private_metadata: encodeViewMeta(meta),
    title: plain(truncate(form.title, LIMITS.modalTitle)),
    submit: plain('Submit'),
    close: plain('Cancel'),
    blocks: form.fields.slice(0, LIMITS.viewBlocks).map((f) => ({
      type: 'input',
      block_id: f.id,
      label: plain(truncate(f.label, LIMITS.inputLabel)),
      element: {
        type: 'plain_text_input',
        action_id: f.id,
        multiline: f.multiline,
        max_length: Math.min(f.maxLength, LIMITS.inputMaxLength),
      },
    })),
  };
}
