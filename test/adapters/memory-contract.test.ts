import { MEMORY_ABILITIES } from '../../src/adapters/memory/index.js';
import { renderReplyText } from '../../src/adapters/text-render.js';
import { actionName } from '../../src/core/kernel/actions.js';
import type { Reply } from '../../src/core/kernel/types.js';
import { harness } from '../support/harness.js';
import { adapterContract, type ContractDriver, type SeenReply } from './contract.js';

const seen = (r: Reply): SeenReply => ({
  text: renderReplyText(r),
  private: r.visibility !== 'public',
  actions: (r.actions ?? []).map((a) => a.action),
});

adapterContract('memory', async (): Promise<ContractDriver> => {
  const { room, db } = await harness();
  return {
    person(userId, name) {
      const u = room.user(userId, name);
      const latest = (pick: (r: Reply) => boolean) => [...u.visible()].reverse().find(pick);
      return {
        command: async (cmd, ...args) => void (await u.command(cmd, ...args)),
        answer: async (text) => void (await u.say(text)),
        async click(name) {
          const named = (r: Reply) => r.actions?.find((a) => actionName(a.action) === name);
          const button = named(latest((r) => Boolean(named(r))) ?? { actions: [] } as unknown as Reply);
          if (!button) throw new Error(`no visible "${name}" button`);
          await u.click(button.action);
        },
        async submitForm(fields) {
          const form = latest((r) => r.form !== undefined)?.form;
          if (!form) throw new Error('no form was opened');
          await u.submit(form.submits, fields);
        },
        // A form is a modal on chat platforms, not a message in the conversation.
        seen: () => u.visible().filter((r) => !r.form).map(seen),
      };
    },
    close: async () => void db.close(),
  };
}, MEMORY_ABILITIES);
