import { z } from 'zod';

/**
 * What a button or a form means, as typed data. Platforms only carry strings (Slack action ids,
 * Discord custom ids), so every adapter uses the one codec below: the meaning is decided here,
 * never read back out of an id by string surgery.
 */

const Count = z.number().int().positive();
/** Content ids (roles, decisions, options) and competencies: never empty, so a blank part is garbage. */
const Word = z.string().min(1);

/** Commands a button may run on the clicker's session. */
export const ButtonCommandSchema = z.enum(['hint', 'skip', 'next', 'end']);

export const ActionSchema = z.discriminatedUnion('do', [
  z.object({ do: z.literal('answer-form') }),
  z.object({ do: z.literal('command'), name: ButtonCommandSchema }),
  z.object({ do: z.literal('share'), turn: Count }),
  /** Start practising, on `focus` (a competency) when given. */
  z.object({ do: z.literal('practice'), focus: Word.optional() }),
  /** The button is itself the confirmation: the request was already asked and shown. */
  z.object({ do: z.literal('forget-me') }),
  /** `question` is the 1-based number of the mock's main question, as people say it. */
  z.object({ do: z.literal('mock-score'), mock: Count, question: Count }),
  z.object({ do: z.literal('mock-release'), mock: Count }),
  z.object({ do: z.literal('drill-join'), role: Word }),
  /** The decision is named so a click on a decision that has since closed is refused, not applied to the next one. */
  z.object({ do: z.literal('drill-decide'), decision: Word, option: Word }),
]);

export const FormPayloadSchema = z.discriminatedUnion('for', [
  z.object({ for: z.literal('answer') }),
  z.object({ for: z.literal('mock-score'), mock: Count, question: Count }),
]);

export type Action = z.infer<typeof ActionSchema>;
export type ActionKind = Action['do'];
export type ButtonCommand = z.infer<typeof ButtonCommandSchema>;
export type FormPayload = z.infer<typeof FormPayloadSchema>;

type Part = readonly [name: string, type: 'n' | 's'];
type Layout<U extends string> = { readonly [K in U]: readonly Part[] };

/** Each kind's fields in wire order; an optional field may only come last. */
const ACTION_LAYOUT: Layout<ActionKind> = {
  'answer-form': [],
  command: [['name', 's']],
  share: [['turn', 'n']],
  practice: [['focus', 's']],
  'forget-me': [],
  'mock-score': [['mock', 'n'], ['question', 'n']],
  'mock-release': [['mock', 'n']],
  'drill-join': [['role', 's']],
  'drill-decide': [['decision', 's'], ['option', 's']],
};

const FORM_LAYOUT: Layout<FormPayload['for']> = {
  answer: [],
  'mock-score': [['mock', 'n'], ['question', 'n']],
};

const SEP = ':';

/** `kind:part:part`, each string part percent-encoded so it can hold the separator. */
function encode(kind: string, layout: readonly Part[], payload: Record<string, unknown>): string {
  const parts = [kind];
  for (const [name] of layout) {
    const v = payload[name];
    if (v === undefined) break;
    parts.push(encodeURIComponent(String(v)));
  }
  return parts.join(SEP);
}

function decode(wire: string, layouts: Record<string, readonly Part[]>, key: string): Record<string, unknown> | undefined {
  const [kind = '', ...parts] = wire.split(SEP);
  if (!Object.hasOwn(layouts, kind)) return undefined;
  const layout = layouts[kind]!;
  if (parts.length > layout.length) return undefined;
  const out: Record<string, unknown> = { [key]: kind };
  for (const [i, raw] of parts.entries()) {
    const [name, type] = layout[i]!;
    let text: string;
    try {
      text = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // Only plain digits are numbers: "1e3" or " 7" is not an id we wrote.
    out[name] = type === 'n' ? (/^\d{1,16}$/.test(text) ? Number(text) : text) : text;
  }
  return out;
}

export const encodeAction = (action: Action): string => encode(action.do, ACTION_LAYOUT[action.do], action);

/** Anything we did not write (an old button, another app's, a garbled id) is undefined, never a throw. */
export function decodeAction(wire: string): Action | undefined {
  const raw = decode(wire, ACTION_LAYOUT, 'do');
  const parsed = raw && ActionSchema.safeParse(raw);
  return parsed?.success ? parsed.data : undefined;
}

export const encodeForm = (form: FormPayload): string => encode(form.for, FORM_LAYOUT[form.for], form);

export function decodeForm(wire: string): FormPayload | undefined {
  const raw = decode(wire, FORM_LAYOUT, 'for');
  const parsed = raw && FormPayloadSchema.safeParse(raw);
  return parsed?.success ? parsed.data : undefined;
}

/** How people and tests name a button: its kind, or for a command button the command. */
export const actionName = (action: Action): string => (action.do === 'command' ? action.name : action.do);
