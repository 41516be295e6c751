import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIStringSelectComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { ActionKind } from '../../core/kernel/actions.js';
import type { Reply, ReplySection } from '../../core/kernel/types.js';
import { actionCustomId, formCustomId, menuCustomId, menuOptionValue } from './parse.js';
import { splitText, truncate } from '../text-split.js';

/** Discord's documented message, embed and component limits; a payload past any of them is a 400. */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedTotal: 6000,
  embedsPerMessage: 10,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  modalTitle: 45,
  inputLabel: 45,
  inputMax: 4000,
  modalInputs: 5,
  selectOptions: 25,
  selectLabel: 100,
  placeholder: 150,
} as const;

/** A file uploaded with a message (multipart); embeds show it as `attachment://<name>`. */
export type DiscordFile = { name: string; attachment: Buffer; description?: string };

export type DiscordMessage = {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files?: DiscordFile[];
};

/** How a reply is rendered: `workspace` scopes its custom ids when it is sent by DM on a server's behalf. */
export type RenderOptions = { workspace?: string };

/** Actions offered as one choice among many (a drill's roles) become a select menu rather than a row of buttons. */
const SELECT_ACTIONS: readonly { kind: ActionKind; placeholder: string }[] = [{ kind: 'drill-join', placeholder: 'Pick your role' }];

/** Embed names may not be empty; a zero-width space is Discord's accepted "no name". */
const BLANK = '\u200B';

const COLORS: Partial<Record<NonNullable<Reply['role']>, number>> = {
  scorecard: 0x2e7d32,
  summary: 0x1565c0,
  history: 0x1565c0,
  error: 0xc62828,
};


const embedSize = (e: APIEmbed): number =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/**
 * One section becomes one or more embeds: a body over 4,096 characters, more than 25 fields,
 * or a section over 6,000 characters continues in further embeds rather than being cut.
 */
function sectionEmbeds(section: ReplySection, color: number | undefined): APIEmbed[] {
  const title = section.title ? truncate(section.title, LIMITS.title) : undefined;
  const cont = title ? truncate(`${title} (cont.)`, LIMITS.title) : undefined;
  const embeds: APIEmbed[] = [];
  const fresh = (first: boolean): APIEmbed => {
    const e: APIEmbed = {};
    const t = first ? title : cont;
    if (t) e.title = t;
    if (color !== undefined) e.color = color;
    embeds.push(e);
    return e;
  };
  let current: APIEmbed | undefined;
  // A description chunk leaves room for the title inside the 6,000 total.
  const descMax = Math.min(LIMITS.description, LIMITS.embedTotal - LIMITS.title);
  for (const chunk of section.body ? splitText(section.body, descMax) : []) {
    current = fresh(embeds.length === 0);
    current.description = chunk;
  }
  const fields: APIEmbedField[] = (section.fields ?? []).flatMap(([name, value]) =>
    splitText(value || BLANK, LIMITS.fieldValue).map((part, i) => ({
      name: i === 0 ? truncate(name || BLANK, LIMITS.fieldName) : BLANK,
      value: part || BLANK,
      inline: false,
    })),
  );
  for (const field of fields) {
    const full = current && ((current.fields?.length ?? 0) >= LIMITS.fields || embedSize(current) + field.name.length + field.value.length > LIMITS.embedTotal);
    if (!current || full) current = fresh(embeds.length === 0);
    (current.fields ??= []).push(field);
  }
  if (embeds.length === 0 && title) fresh(true);
  return embeds;
}

/** Up to 10 embeds and 6,000 embed characters per message. */
function packEmbeds(embeds: APIEmbed[]): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let group: APIEmbed[] = [];
  let size = 0;
  for (const e of embeds) {
    const s = embedSize(e);
    if (group.length > 0 && (group.length >= LIMITS.embedsPerMessage || size + s > LIMITS.embedTotal)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(e);
    size += s;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function componentRows(reply: Reply, opts: RenderOptions): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  let actions = reply.actions ?? [];
  for (const kind of SELECT_ACTIONS) {
    const choices = actions.filter((a) => a.action.do === kind.kind);
    if (choices.length < 2) continue;
    actions = actions.filter((a) => a.action.do !== kind.kind);
    const menu: APIStringSelectComponent = {
      type: ComponentType.StringSelect,
      custom_id: menuCustomId(kind.kind, opts.workspace),
      placeholder: kind.placeholder,
      min_values: 1,
      max_values: 1,
      options: choices.slice(0, LIMITS.selectOptions).map((a) => ({
        label: truncate(a.label, LIMITS.selectLabel),
        value: menuOptionValue(a.action),
      })),
    };
    rows.push({ type: ComponentType.ActionRow, components: [menu] });
  }
  const buttons: APIButtonComponent[] = actions.slice(0, LIMITS.buttonsPerRow * (LIMITS.rows - rows.length)).map((a) => ({
    type: ComponentType.Button,
    custom_id: actionCustomId(a.action, opts.workspace),
    label: truncate(a.label, LIMITS.buttonLabel),
    style: a.style === 'primary' ? ButtonStyle.Primary : a.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary,
  }));
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** Discord only allows letters, digits, `-`, `_` and `.` in attachment names that embeds refer to. */
const fileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file.png';

/**
 * A reply as one or more Discord messages: the text as content (split at 2,000), the sections
 * as embeds packed within Discord's limits, and the actions as buttons on the last message.
 */
export function renderReply(reply: Reply, opts: RenderOptions = {}): DiscordMessage[] {
  const messages: DiscordMessage[] = splitText(reply.text, LIMITS.content)
    .filter((c) => c.trim() !== '')
    .map((content) => ({ content }));
  const color = reply.role ? COLORS[reply.role] : undefined;
  const groups = packEmbeds((reply.sections ?? []).flatMap((s) => sectionEmbeds(s, color)));
  groups.forEach((embeds, i) => {
    const last = messages.at(-1);
    if (i === 0 && last && !last.embeds) last.embeds = embeds;
    else messages.push({ embeds });
  });
  // Images (the progress chart) are uploaded with the message and shown in an embed of their own.
  for (const a of reply.attachments ?? []) {
    const name = fileName(a.name);
    const file: DiscordFile = { name, attachment: Buffer.from(a.base64, 'base64'), description: truncate(a.alt, 1024) };
    const embed: APIEmbed = { image: { url: `attachment://${name}` }, ...(color !== undefined ? { color } : {}) };
    const last = messages.at(-1);
    // An image embed has no text, so only the count of embeds limits where it fits.
    if (last && (last.embeds?.length ?? 0) < LIMITS.embedsPerMessage) {
      (last.embeds ??= []).push(embed);
      (last.files ??= []).push(file);
    } else messages.push({ embeds: [embed], files: [file] });
  }
  const rows = componentRows(reply, opts);
  if (rows.length > 0) {
    const last = messages.at(-1);
    if (last) last.components = rows;
    else messages.push({ content: BLANK, components: rows });
  }
  return messages;
}

/** A reply's form as a modal; answers are long, so multiline fields are paragraphs capped at 4,000. */
export function renderModal(form: NonNullable<Reply['form']>, opts: RenderOptions = {}): APIModalInteractionResponseCallbackData {
  return {
    custom_id: formCustomId(form.submits, opts.workspace),
    title: truncate(form.title, LIMITS.modalTitle),
    components: form.fields.slice(0, LIMITS.modalInputs).map((f, i) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: f.id,
          label: truncate(f.label || 'Answer', LIMITS.inputLabel),
          style: f.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
          max_length: Math.min(f.maxLength, LIMITS.inputMax),
          // The first field is the point of the form (an answer, a score); the rest (notes) may stay empty.
          required: i === 0,
        },
      ],
    })),
  };
}

export { splitText, truncate };
