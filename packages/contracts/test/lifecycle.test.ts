import { describe, expect, it } from 'vitest';
import {
  FaygerError,
  LIFECYCLE_STATES,
  LIFECYCLE_TRANSITIONS,
  TERMINAL_STATES,
  assertTransition,
  canTransition,
} from '../src/index.js';

describe('lifecycle table', () => {
  it('allows the documented path and Running ⇄ Suspended', () => {
    for (const [a, b] of [
      ['Loaded', 'Initialized'],
      ['Initialized', 'Running'],
      ['Running', 'Suspended'],
      ['Suspended', 'Running'],
      ['Running', 'Terminated'],
      ['Suspended', 'Failed'],
    ] as const) {
      expect(canTransition(a, b)).toBe(true);
    }
  });

  it('terminates or fails from every live state, and never leaves a terminal state', () => {
    for (const s of LIFECYCLE_STATES) {
      if (TERMINAL_STATES.includes(s)) expect(LIFECYCLE_TRANSITIONS[s]).toEqual([]);
      else expect(LIFECYCLE_TRANSITIONS[s]).toEqual(expect.arrayContaining(['Terminated', 'Failed']));
    }
  });

  it('refuses skipping or reversing states with a typed error listing the legal moves', () => {
    expect(canTransition('Loaded', 'Running')).toBe(false);
    expect(canTransition('Running', 'Initialized')).toBe(false);
    try {
      assertTransition('Loaded', 'Running', 'i-7');
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'LIFECYCLE_ILLEGAL_TRANSITION')).toBe(true);
      expect((e as FaygerError).message).toContain('one of Initialized, Terminated, Failed');
      expect((e as FaygerError).details).toMatchObject({ from: 'Loaded', to: 'Running', instanceId: 'i-7' });
    }
    expect(() => assertTransition('Terminated', 'Running')).toThrow(/terminal/);
  });
});
