import { describe, expect, it } from 'vitest';
import { LIMITS, renderModal, renderReply } from '../../src/adapters/discord/render.js';
import { autocompleteChoices } from '../../src/adapters/discord/commands.js';
import { parseActionId } from '../../src/adapters/discord/parse.js';
import type { Reply } from '../../src/core/types.js';
import { catalog } from '../support/harness.js';

const to = { platform: 'discord' as const, workspace: 'g', channel: 'c' };
const embedChars = (e: any) => (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n: number, f: any) => n + f.name.length + f.value.length, 0);

describe('Discord rendering stays within Discord limits', () => {
  it('splits a huge scorecard over several messages without breaking any limit', () => {
    const long = (n: number) => 'evidence '.repeat(n).trim();
    const reply: Reply = {
      to,
      visibility: 'public',
      role: 'scorecard',
      text: `**Score: 71/100** ${long(400)}`,
      sections: [
        ...Array.from({ length: 14 }, (_, i) => ({ title: `Criterion ${i} ${'x'.repeat(300)}`, body: long(700) })),
        { title: 'Many fields', fields: Array.from({ length: 40 }, (_, i): [string, string] => [`F${i}`, long(200)]) },
      ],
      actions: [{ id: 'share', label: 'Share with channel', value: '12' }],
    };
    const messages = renderReply(reply);
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) {
      expect((m.content ?? '').length).toBeLessThanOrEqual(LIMITS.content);
      expect((m.embeds ?? []).length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
      expect((m.embeds ?? []).reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
      for (const e of m.embeds ?? []) {
        expect((e.title ?? '').length).toBeLessThanOrEqual(LIMITS.title);
        expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
        expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
        for (const f of e.fields ?? []) {
          expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
          expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
        }
      }
    }
    // Nothing is lost: every section's words arrive somewhere, and the buttons are on the last message.
    const allText = messages.flatMap((m) => [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.description ?? '', ...(e.fields ?? []).map((f) => f.value)])]).join(' ');
    expect(allText.match(/evidence/g)!.length).toBe(400 + 14 * 700 + 40 * 200);
    expect(messages.slice(0, -1).every((m) => !m.components)).toBe(true);
    expect(parseActionId((messages.at(-1)!.components![0]!.components[0] as { custom_id: string }).custom_id)).toEqual({ actionId: 'share', value: '12' });
  });

  it('caps modal inputs at 4,000 characters and labels at 45', () => {
    const modal = renderModal({ id: 'answer', title: 'Your answer to a very long question title here', fields: [{ id: 'answer', label: 'x'.repeat(80), multiline: true, maxLength: 20_000 }] });
    const input = (modal.components[0] as any).components[0];
    expect(input.max_length).toBe(4000);
    expect(input.label.length).toBeLessThanOrEqual(45);
    expect(modal.title.length).toBeLessThanOrEqual(45);
  });

  it('autocompletes tracks by id or title, at most 25', () => {
    const track = [...catalog().tracks.values()][0]!;
    expect(autocompleteChoices(catalog(), 'track', track.title.slice(0, 4))).toContainEqual({ name: track.title.slice(0, 100), value: track.id });
    expect(autocompleteChoices(catalog(), 'question', '').length).toBeLessThanOrEqual(25);
  });
});
