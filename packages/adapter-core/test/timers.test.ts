import { describe, expect, it } from 'vitest';
import { TimerService } from '../src/index.js';

describe('TimerService', () => {
  it('stops a repeating timer cleared from inside its own timer.fired event', async () => {
    const timers = new TimerService();
    let fired = 0;
    const ctx = {
      instanceId: 'i1',
      emit: () => {
        fired++;
        timers.clear({ timerId: 'rep' }, ctx);
      },
    };
    timers.set({ timerId: 'rep', ms: 0, repeat: true }, ctx);
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toBe(1);
    expect(timers.count('i1')).toBe(0);
  });

  it('dispose releases every timer of an instance and forgets it', async () => {
    const timers = new TimerService();
    let fired = 0;
    const ctx = { instanceId: 'i2', emit: () => void fired++ };
    timers.set({ timerId: 'a', ms: 5 }, ctx);
    timers.set({ timerId: 'b', ms: 5, repeat: true }, ctx);
    expect(timers.instanceIds()).toEqual(['i2']);
    timers.dispose('i2');
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toBe(0);
    expect(timers.instanceIds()).toEqual([]);
  });
});
