/**
 * Where a button or a modal belongs. Slack does not tell us the thread of a click on an
 * ephemeral message, nor anything about the conversation on a modal submission, so we carry
 * it ourselves inside the button value (≤ 2000 chars) and the view's private_metadata
 * (≤ 3000 chars). Both come back inside requests Slack signed, so they cannot be forged.
 */
import { z } from 'zod';

/** c: channel, t: thread ts, o: this message opens the thread (its own ts is the thread). What the button does is its action_id. */
const ActionValueSchema = z.object({
  c: z.string().optional(),
  t: z.string().optional(),
  o: z.literal(1).optional(),
});
export type ActionValue = z.infer<typeof ActionValueSchema>;

const ViewMetaSchema = z.object({ c: z.string(), t: z.string().optional() });
export type ViewMeta = z.infer<typeof ViewMetaSchema>;

export const encodeActionValue = (value: ActionValue): string => JSON.stringify(value);

/** A value we did not write (an old message, another app's button) says nothing about where it belongs. */
export function decodeActionValue(raw: string | undefined): ActionValue {
  if (!raw) return {};
  try {
    const parsed = ActionValueSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // not ours: fall through
  }
  return {};
}

export const encodeViewMeta = (meta: ViewMeta): string => JSON.stringify(meta);

export function decodeViewMeta(raw: string | undefined): ViewMeta | undefined {
  try {
    const parsed = ViewMetaSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Action ids must be unique within a message; a repeated id gets "#n", stripped on the way back. */
export const actionIdOf = (raw: string): string => raw.replace(/#\d+$/, '');
