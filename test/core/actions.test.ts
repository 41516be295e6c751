import { describe, expect, it } from 'vitest';
import { decodeAction, decodeForm, encodeAction, encodeForm, type Action, type FormPayload } from '../../src/core/kernel/actions.js';

describe('action and form payloads on the wire', () => {
  const actions: Action[] = [
    { do: 'answer-form' },
    { do: 'command', name: 'hint' },
    { do: 'share', turn: 12 },
    { do: 'practice' },
    { do: 'practice', focus: 'system design: trade-offs & 100% #1' },
    { do: 'forget-me' },
    { do: 'mock-score', mock: 3, question: 1 },
    { do: 'mock-release', mock: 3 },
    { do: 'drill-join', role: 'incident-commander' },
    { do: 'drill-decide', decision: 'fleet', option: 'ground' },
  ];

  it('reads back every payload it writes, in a short string', () => {
    for (const action of actions) expect(decodeAction(encodeAction(action))).toEqual(action);
    expect(encodeAction({ do: 'mock-score', mock: 3, question: 1 })).toBe('mock-score:3:1');
    const forms: FormPayload[] = [{ for: 'answer' }, { for: 'mock-score', mock: 3, question: 2 }];
    for (const form of forms) expect(decodeForm(encodeForm(form))).toEqual(form);
    expect(encodeForm({ for: 'answer' })).toBe('answer');
  });

  it('answers anything it did not write with undefined, never a throw', () => {
    const garbled = [
      '', ':', 'hint', 'drill-decide-ground', 'drill-decide:fleet', 'drill-decide::ground', 'share', 'share:', 'share:abc', 'share:1e3',
      'share:-1', 'share:0', 'share:1:2', 'command:dance', 'mock-score:3', 'mock-score:3:x', 'practice:%E0%A4%A', 'toString', '__proto__', 'constructor:1',
    ];
    for (const wire of garbled) expect(decodeAction(wire), wire).toBeUndefined();
    for (const wire of ['', 'answer:1', 'mock-score:1', 'mock-score:a:b', 'hasOwnProperty']) expect(decodeForm(wire), wire).toBeUndefined();
  });
});
