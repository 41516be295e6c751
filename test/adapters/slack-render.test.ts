import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderHome } from '../../src/adapters/slack/home.js';
import { decodeActionValue } from '../../src/adapters/slack/envelope.js';
import { mentionsIn, parseBlockAction, parseSlashCommand, slashCommandText, typedCommand, typedDrillCommand } from '../../src/adapters/slack/parse.js';
import { renderForm, renderReply } from '../../src/adapters/slack/render.js';
import { fromSlackText, splitText, toMrkdwn, truncate } from '../../src/adapters/slack/text.js';
import type { Reply } from '../../src/core/kernel/types.js';
import { blockTexts } from '../fakes/slack-api.js';

const to = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };

describe('Slack rendering stays within Block Kit limits', () => {
  it('splits, chunks and cuts an oversized reply into a valid message with its buttons last', () => {
    const reply: Reply = {
      to, visibility: 'public',
      text: 'x'.repeat(7000),
      sections: [
        { title: 'Fields', fields: Array.from({ length: 25 }, (_, i): [string, string] => [`name ${i}`, 'v'.repeat(2500)]) },
        ...Array.from({ length: 60 }, (_, i) => ({ title: `Section ${i}`, body: 'word '.repeat(900) })),
      ],
      actions: Array.from({ length: 3 }, () => ({ action: { do: 'command' as const, name: 'hint' as const }, label: 'L'.repeat(100) })),
    };
    const { blocks, text } = renderReply(reply);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const b of blocks as any[]) {
      if (b.type === 'section') {
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
        expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
        for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    const actions = blocks.at(-1) as any;
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e: any) => e.action_id)).toEqual(['command:hint', 'command:hint#1', 'command:hint#2']);
    for (const e of actions.elements) expect(e.text.text.length).toBeLessThanOrEqual(75);
    expect(blocks.at(-2)).toMatchObject({ type: 'context' });
  });

  it('turns our Markdown into mrkdwn and escapes what Slack would parse', () => {
    expect(toMrkdwn('**Score: 80/100** · a < b & c > d')).toBe('*Score: 80/100* · a &lt; b &amp; c &gt; d');
    expect(toMrkdwn('<!channel> <@U1> @here')).toBe('&lt;!channel&gt; &lt;@U1&gt; @\u200Bhere');
    const small: Reply = { to, visibility: 'public', text: 'hi', sections: [{ title: 'T', body: 'b' }] };
    const { blocks } = renderReply(small);
    for (const b of blocks as any[]) if (b.text?.type === 'mrkdwn') expect(b.text.verbatim).toBe(true);
  });

  it('never cuts inside an entity or a surrogate pair', () => {
    expect(truncate('aaaa&amp;bbbb', 8)).toBe('aaaa…');
    expect(truncate('aaa😀bbb', 5)).toBe('aaa…');
    const chunks = splitText(`${'a'.repeat(2990)} &amp; ${'b'.repeat(100)}`, 3000);
    expect(chunks.every((c) => c.length <= 3000 && !/&am?$|&$/.test(c))).toBe(true);
  });

  it('refuses to cut a payload that does not fit an action_id, rather than send another button', () => {
    const huge = { action: { do: 'drill-decide' as const, decision: 'd'.repeat(150), option: 'o'.repeat(150) }, label: 'Go' };
    expect(() => renderReply({ text: 'x', actions: [huge] })).toThrow(/over its 255/);
  });

  it('renders a form as a modal no larger than Slack allows', () => {
    const view = renderForm({ submits: { for: 'answer' }, title: 'A very long title for a modal', fields: [{ id: 'answer', label: 'Q', multiline: true, maxLength: 4000 }] }, { c: 'C1', t: '1.2' });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect((view.blocks[0] as any).element.max_length).toBe(3000);
    expect(view.callback_id).toBe('form:answer');
  });

  it('asks Slack to confirm a destructive button, and shows an uploaded chart in App Home', () => {
    const { blocks } = renderReply({ text: 'Sure?', actions: [{ action: { do: 'forget-me' }, label: 'Delete everything about me', style: 'danger' }] });
    const button = (blocks.at(-1) as any).elements[0];
    expect(button).toMatchObject({ style: 'danger', confirm: { style: 'danger', confirm: { text: 'Delete' }, deny: { text: 'Cancel' } } });
    const view = { recent: [], answered: 1, competencies: [{ competency: 'ml', average: 70, answered: 1 }], weakest: { competency: 'ml', average: 70, answered: 1 } };
    const home = renderHome(view as any, { fileId: 'F1', alt: 'chart of ml' });
    expect(home.blocks.find((b) => b.type === 'image')).toMatchObject({ slack_file: { id: 'F1' }, alt_text: 'chart of ml' });
  });

  it('shows an empty App Home with a button to start', () => {
    const home = renderHome({ recent: [], competencies: [], answered: 0 });
    expect(blockTexts(home.blocks).join(' ')).toMatch(/No graded answers yet/);
    expect((home.blocks.at(-1) as any).elements[0].action_id).toBe('practice');
  });
});

describe('Slack parsing', () => {
  it('reads mentions, links and entities as the person typed them', () => {
    expect(fromSlackText('<!channel> hi <@U1|ana> <#C1|general> <https://x.io|docs> <https://y.io> a &lt; b &amp;&gt;')).toBe(
      '@channel hi @ana #general docs (https://x.io) https://y.io a < b &>',
    );
  });

  it('takes only unmistakable commands from typed text', () => {
    expect(typedCommand('hint')).toEqual({ name: 'hint', args: [] });
    expect(typedCommand('/skip')).toEqual({ name: 'skip', args: [] });
    expect(typedCommand('practice drift 2')).toEqual({ name: 'practice', args: ['drift', '2'] });
    expect(typedCommand('End to end tests would catch it')).toBeUndefined();
    expect(typedCommand('Next, I would retrain')).toBeUndefined();
    expect(slashCommandText('')).toEqual({ name: 'help', args: [] });
    expect(slashCommandText('  Practice   drift ')).toEqual({ name: 'practice', args: ['drift'] });
    expect(typedCommand('drill end')).toEqual({ name: 'drill', args: ['end'] });
    expect(typedCommand('Drill release first-look')).toEqual({ name: 'drill', args: ['release', 'first-look'] });
    expect(typedCommand('drill down into the metrics')).toBeUndefined();
    expect(typedCommand('drill holiday-fraud-drift')).toBeUndefined();
    expect(typedCommand('drill holiday-fraud-drift', { addressed: true })).toEqual({ name: 'drill', args: ['holiday-fraud-drift'] });
    expect(typedCommand('forget-me confirm')).toEqual({ name: 'forget-me', args: ['confirm'] });
    expect(typedDrillCommand('skip')).toBeUndefined();
    expect(typedDrillCommand('drill skip')).toEqual({ name: 'drill', args: ['skip'] });
  });

  it('keeps user mentions whole for mock, and readable everywhere else', () => {
    expect(slashCommandText('mock <@U2CARA|cara lee> ml-101 --questions 2')).toEqual({ name: 'mock', args: ['<@U2CARA|cara lee>', 'ml-101', '--questions', '2'] });
    expect(slashCommandText('mock panel 3 <@U3OMAR>')).toEqual({ name: 'mock', args: ['panel', '3', '<@U3OMAR>'] });
    expect(slashCommandText('practice <!channel> <@U123|bob>')).toEqual({ name: 'practice', args: ['@channel', '@bob'] });
    expect(mentionsIn('mock <@U2CARA|cara> and <@W9>')).toEqual([{ userId: 'U2CARA', name: 'cara' }, { userId: 'W9' }]);
  });

  it('passes the people a command names on as data, with the name the mention carried', () => {
    const body = (text: string) => ({ team_id: 'T1', channel_id: 'C1', user_id: 'U1', user_name: 'maya', text });
    expect(parseSlashCommand(body('mock <@U2CARA|cara lee> ml-101'))).toMatchObject({ name: 'mock', people: [{ userId: 'U2CARA', displayName: 'cara lee' }] });
    expect(parseSlashCommand(body('mock panel 3 <@U3OMAR>'))).toMatchObject({ args: ['panel', '3', '<@U3OMAR>'], people: [{ userId: 'U3OMAR' }] });
    // Only commands whose arguments name people resolve them; elsewhere a mention is just text.
    expect(parseSlashCommand(body('practice <@U123|bob>'))).not.toHaveProperty('people');
  });

  it('finds the thread of a click from the envelope, the opener, or the message', () => {
    const body = (value: string, message?: object) => ({
      type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1', name: 'ana' }, channel: { id: 'C1' },
      ...(message ? { message } : {}), actions: [{ action_id: 'command:hint#1', value }],
    });
    expect(parseBlockAction(body('{"t":"9.9"}'))!.event.conversation.thread).toBe('9.9');
    expect(parseBlockAction(body('{"o":1}', { ts: '5.5' }))!.event.conversation.thread).toBe('5.5');
    expect(parseBlockAction(body('{}', { ts: '6.6', thread_ts: '5.5' }))!.event).toMatchObject({ action: { do: 'command', name: 'hint' }, conversation: { thread: '5.5' } });
    expect(decodeActionValue('not json')).toEqual({});
    // Another app's button, or one from before payloads were typed, is not ours to act on.
    expect(parseBlockAction({ ...body('{}'), actions: [{ action_id: 'drill-decide-ground', value: '{}' }] })).toBeUndefined();
  });
});

describe('manifest.yml', () => {
  it('asks for exactly the events and scopes the adapter uses, with /sparring and interactivity', () => {
    const manifest = parse(readFileSync('manifest.yml', 'utf8'));
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/sparring']);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write']);
    // Mentions must arrive as <@U123|name> for `mock @user`.
    expect(manifest.features.slash_commands[0].should_escape).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});
