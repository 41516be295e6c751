import { describe, expect, it } from 'vitest';
import { createMemoryAdapter } from '../../src/adapters/memory/index.js';
import type { DrillMatcher, DrillStore } from '../../src/core/drill/ports.js';
import type { PracticeStore } from '../../src/core/practice/ports.js';
import { createLexicalDrillMatcher } from '../../src/grading/lexical/drill-matcher.js';
import { catalog, harness, questionOfKind, testApp, type Harness } from '../support/harness.js';

/**
 * The store's promises may settle in any order (a networked database answers when it answers).
 * These tests make some lookups slow and check that events still take effect in the order they
 * arrived.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same store, with the first `slowCalls` calls of `method` answering late. */
function slowFirst<T extends object>(store: T, method: keyof T, delayMs: number, slowCalls = 1): T {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (calls++ < slowCalls) await sleep(delayMs);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function botOver(parts: { store: PracticeStore; drills: DrillStore; matcher?: DrillMatcher }, h: Harness) {
  const { bot } = await testApp({
    clock: h.clock, stores: { ...h.stores, practice: parts.store, drills: parts.drills },
    ...(parts.matcher ? { drillMatcher: parts.matcher } : {}),
  });
  return { bot, room: createMemoryAdapter({ bot }) };
}

describe('events keep their order over a slow store', () => {
  it("a person's answer sent right after `practice` is graded, even when the first lookup is slow", async () => {
    const h = await harness();
    const q = questionOfKind('technical');
    const { room } = await botOver({ store: h.store, drills: slowFirst(h.drills, 'drillIn', 30) }, h);
    const ana = room.user('ana', 'Ana');
    const [, answered] = await Promise.all([ana.command('practice', q.id), ana.say(q.modelAnswer)]);
    expect(answered.some((r) => r.role === 'scorecard')).toBe(true);
    const session = (await h.store.activeSession((await h.store.upsertUser(ana.actor)).id))!;
    expect((await h.store.turns(session.id))[0]!.status).toBe('graded');
  });

  it('a due inject waits behind `drill end` sent before it, and is not released after the end', async () => {
    const h = await harness();
    const d = [...catalog().drills.values()].find((x) => x.injects.some((i) => i.release.kind === 'after'))!;
    // The first message's matching is slow, so `drill end` queues behind it in the room's line.
    let gate!: () => void;
    const opened = new Promise<void>((resolve) => (gate = resolve));
    const lexical = createLexicalDrillMatcher();
    let held = false;
    const matcher: DrillMatcher = {
      async match(text, actions) {
        if (!held) {
          held = true;
          await opened;
        }
        return lexical.match(text, actions);
      },
    };
    const { bot, room } = await botOver({ store: h.store, drills: h.drills, matcher }, h);
    const fac = room.user('F', 'Fran');
    await fac.command('drill', d.id);
    await fac.command('drill', 'join', 'all');
    await fac.command('drill', 'begin');
    const drill = (await h.drills.drillIn(fac.conversation))!;
    const timer = (await h.drills.pendingTimers(drill.id))[0]!;
    h.clock.advance(timer.dueAt! - h.clock.now() + 1);

    const talking = fac.say('Let us look at the dashboards first.');
    await sleep(5);
    const ending = fac.command('drill', 'end');
    const ticking = bot.tick();
    await sleep(5);
    gate();
    await Promise.all([talking, ending]);
    expect(await ticking).toEqual([]);
    const injects = (await h.drills.events(drill.id)).filter((e) => e.kind === 'inject').map((e) => e.ref);
    expect(injects).not.toContain(timer.injectId);
    expect((await h.drills.getDrill(drill.id))!.status).toBe('ended');
  });
});
