import { MEMORY_ABILITIES } from '../../src/adapters/memory/index.js';
import { renderReplyText } from '../../src/adapters/text-render.js';
import type { Reply } from '../../src/core/kernel/types.js';
import { harness } from '../support/harness.js';
import { adapterContract, type ContractDriver, type SeenReply } from './contract.js';

const seen = (r: Reply): SeenReply => ({
  text: renderReplyText(r),
  private: r.visibility !== 'public',
  actions: (r.actions ?? []).map((a) => ({ id: a.id, ...(a.value !== undefined ? { value: a.value } : {}) })),
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
        async click(actionId) {
          const action = latest((r) => Boolean(r.actions?.some((a) => a.id === actionId)))?.actions?.find((a) => a.id === actionId);
          if (!action) throw new Error(`no visible "${actionId}" button`);
          await u.click(actionId, action.value);
        },
        async submitForm(fields) {
          const form = latest((r) => r.form !== undefined)?.form;
          if (!form) throw new Error('no form was opened');
          await u.submit(form.id, fields);
        },
        // A form is a modal on chat platforms, not a message in the conversation.
        seen: () => u.visible().filter((r) => !r.form).map(seen),
      };
    },
    close: async () => void db.close(),
  };
}, MEMORY_ABILITIES);
