import { describe, expect, it } from 'vitest';
import { LIMITS, renderModal, renderReply } from '../../src/adapters/discord/render.js';
import { autocompleteChoices, choiceSourceOf } from '../../src/adapters/discord/commands.js';
import { actionCustomId, CUSTOM_ID_MAX, formCustomId, mentionedPeople, parseActionId, parseFormId, parseMenuPick } from '../../src/adapters/discord/parse.js';
import type { Action } from '../../src/core/kernel/actions.js';
import type { Reply } from '../../src/core/kernel/types.js';
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
      actions: [{ action: { do: 'share', turn: 12 }, label: 'Share with channel' }],
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
    expect(parseActionId((messages.at(-1)!.components![0]!.components[0] as { custom_id: string }).custom_id)).toEqual({ action: { do: 'share', turn: 12 } });
  });

  it('caps modal inputs at 4,000 characters and labels at 45', () => {
    const modal = renderModal({ submits: { for: 'answer' }, title: 'Your answer to a very long question title here', fields: [{ id: 'answer', label: 'x'.repeat(80), multiline: true, maxLength: 20_000 }] });
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

  it('finds each autocompleted option\'s source in the core registry', () => {
    expect(choiceSourceOf('practice', null, 'track')).toBe('track');
    expect(choiceSourceOf('mock', 'start', 'question')).toBe('question');
    expect(choiceSourceOf('drill', 'open', 'scenario')).toBe('scenario');
    expect(choiceSourceOf('drill', 'join', 'role')).toBe('role');
    expect(choiceSourceOf('drill', 'decide', 'option')).toBe('option');
    expect(choiceSourceOf('drill', 'release', 'inject')).toBeUndefined();
  });

  it('reads the people a typed `/mock <@id>` names, by the names the message shows', () => {
    const names: Record<string, string> = { '111': 'Bob' };
    expect(mentionedPeople(['<@111>', 'q1', '<@!222>', '@333'], (id) => names[id])).toEqual([{ userId: '111', displayName: 'Bob' }, { userId: '222' }]);
  });

  it('offers a drill\'s roles as a select menu and its decision as buttons', () => {
    const reply: Reply = {
      to,
      visibility: 'public',
      text: 'roles',
      actions: [
        { action: { do: 'drill-join', role: 'incident-commander' }, label: 'Join as Incident Commander' },
        { action: { do: 'drill-join', role: 'scribe' }, label: 'Join as Scribe' },
        { action: { do: 'drill-decide', decision: 'fleet', option: 'ground' }, label: 'Ground the fleet' },
      ],
    };
    const [message] = renderReply(reply);
    const [menuRow, buttonRow] = message!.components!;
    expect(menuRow!.components[0]).toMatchObject({ type: 3, custom_id: 'sparring:drill-join', min_values: 1, max_values: 1, options: [{ label: 'Join as Incident Commander', value: 'drill-join:incident-commander' }, { label: 'Join as Scribe', value: 'drill-join:scribe' }] });
    expect(parseMenuPick('sparring:drill-join', 'drill-join:scribe')).toEqual({ action: { do: 'drill-join', role: 'scribe' } });
    expect(buttonRow!.components).toEqual([expect.objectContaining({ type: 2, custom_id: 'sparring:drill-decide:fleet:ground' })]);
    expect(parseActionId('sparring:drill-decide:fleet:ground')).toEqual({ action: { do: 'drill-decide', decision: 'fleet', option: 'ground' } });
  });

  it('fits every payload the content can produce in a custom id, even scoped to a server, and refuses to cut one', () => {
    const guild = '1'.repeat(20); // snowflakes are at most 20 digits
    const c = catalog();
    const drills = [...c.drills.values()];
    const actions: Action[] = [
      { do: 'answer-form' },
      ...(['hint', 'skip', 'next', 'end'] as const).map((name): Action => ({ do: 'command', name })),
      { do: 'share', turn: Number.MAX_SAFE_INTEGER },
      ...[...new Set([...c.questions.values()].map((q) => q.competency))].map((focus): Action => ({ do: 'practice', focus })),
      { do: 'forget-me' },
      { do: 'mock-score', mock: 999_999_999, question: 99 },
      { do: 'mock-release', mock: 999_999_999 },
      ...drills.flatMap((d) => d.roles.map((r): Action => ({ do: 'drill-join', role: r.id }))),
      ...drills.flatMap((d) => d.injects.flatMap((i) => (i.decision ? i.decision.options.map((o): Action => ({ do: 'drill-decide', decision: i.decision!.id, option: o.id })) : []))),
    ];
    expect(actions.some((a) => a.do === 'drill-decide')).toBe(true);
    for (const action of actions) {
      const id = actionCustomId(action, guild);
      expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
      expect(parseActionId(id)).toEqual({ action, workspace: guild });
    }
    expect(formCustomId({ for: 'mock-score', mock: 999_999_999, question: 99 }, guild).length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(() => actionCustomId({ do: 'drill-decide', decision: 'd'.repeat(40), option: 'o'.repeat(40) }, guild)).toThrow(/over its 100/);
  });

  it('scopes ids to a server when a reply goes by DM on its behalf, and reads them back', () => {
    expect(actionCustomId({ do: 'mock-score', mock: 3, question: 1 }, '1200000000000000100')).toBe('sparring@1200000000000000100:mock-score:3:1');
    expect(parseActionId('sparring@1200000000000000100:mock-score:3:1')).toEqual({ action: { do: 'mock-score', mock: 3, question: 1 }, workspace: '1200000000000000100' });
    expect(parseActionId('sparring@evil:mock-score:3:1')).toBeUndefined();
    expect(parseActionId('sparring:mock-score:3')).toBeUndefined();
    expect(parseFormId('sparring-form@1200000000000000100:mock-score:3:1')).toEqual({ form: { for: 'mock-score', mock: 3, question: 1 }, workspace: '1200000000000000100' });
    expect(parseFormId('sparring-form:answer')).toEqual({ form: { for: 'answer' } });
    const [m] = renderReply({ to, visibility: 'public', text: 'x', actions: [{ action: { do: 'mock-release', mock: 3 }, label: 'Release' }] }, { workspace: '1200000000000000100' });
    expect((m!.components![0]!.components[0] as { custom_id: string }).custom_id).toBe('sparring@1200000000000000100:mock-release:3');
  });

  it('uploads attachments as files and shows each in an embed image', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const [m] = renderReply({ to, visibility: 'public', text: 'progress', sections: [{ title: 'By competency', fields: [['a', 'b']] }], attachments: [{ name: 'progress.png', contentType: 'image/png', base64: png.toString('base64'), alt: 'chart' }] });
    expect(m!.files).toEqual([{ name: 'progress.png', attachment: png, description: 'chart' }]);
    expect(m!.embeds!.at(-1)).toEqual({ image: { url: 'attachment://progress.png' } });
    expect(m!.embeds).toHaveLength(2);
  });
});
