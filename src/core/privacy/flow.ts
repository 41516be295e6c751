import type { Reply } from '../kernel/types.js';
import type { PracticeCtx } from '../practice/context.js';
import type { Privacy } from './ports.js';
import { privateReply } from '../kernel/replies.js';

export type PrivacyDeps = { privacy?: Privacy };

const tell = (ctx: PracticeCtx, text: string, extra: Partial<Reply> = {}): Reply => privateReply(ctx.conversation, ctx.actor, text, extra);

/** How long a forget-me request waits for its confirmation. */
export const FORGET_CONFIRM_MS = 10 * 60_000;

export async function forgetMe(ctx: PracticeCtx, account: PrivacyDeps, pending: Map<string, number>, confirmed: boolean): Promise<Reply[]> {
  const now = ctx.deps.clock.now();
  const asked = pending.get(ctx.user.key);
  if (!account.privacy) return [tell(ctx, 'Deleting your data is not available here.', { role: 'info' })];
  if (!confirmed || asked === undefined || now - asked > FORGET_CONFIRM_MS) {
    pending.set(ctx.user.key, now);
    return [
      tell(ctx, 'This deletes **everything** Sparring keeps about you here: your sessions, answers, grades, progress, drill messages, mock interviews about you and every note written about you. It cannot be undone.\nConfirm within 10 minutes with `forget-me confirm` or the button.', {
        role: 'info',
        actions: [{ action: { do: 'forget-me' }, label: 'Delete everything about me', style: 'danger' }],
      }),
    ];
  }
  pending.delete(ctx.user.key);
  const { total } = await account.privacy.forgetUser(ctx.user.id);
  return [tell(ctx, `Done: ${total} record${total === 1 ? '' : 's'} about you were deleted. If you use Sparring again, it starts from nothing.`, { role: 'info' })];
}
