import { FaygerError, isErrorCode } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { defineAdapterErrors } from '../../src/index.js';

describe('defineAdapterErrors', () => {
  it('registers the codes at once (layer adapter unless given) and raises them typed', () => {
    expect(isErrorCode('TESTKIT_PAPER_OUT')).toBe(false);
    const kit = defineAdapterErrors('@test/kit', {
      TESTKIT_PAPER_OUT: { title: 'The printer has no paper.', remedy: 'Load paper.', retryable: true },
      TESTKIT_CONFIG_BAD: { layer: 'runtime', title: 'Bad kit config.', remedy: 'Fix the config.' },
    });
    expect(isErrorCode('TESTKIT_PAPER_OUT')).toBe(true);
    expect(kit.codes.TESTKIT_PAPER_OUT).toEqual({
      layer: 'adapter',
      title: 'The printer has no paper.',
      remedy: 'Load paper.',
      retryable: true,
    });
    expect(kit.codes.TESTKIT_CONFIG_BAD.layer).toBe('runtime');
    const e = kit.error({ code: 'TESTKIT_PAPER_OUT' as never, phase: 'notify.send', what: 'printing' });
    expect(FaygerError.is(e, 'TESTKIT_PAPER_OUT' as never)).toBe(true);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('Load paper.');
  });

  it('is refused like registerErrorCodes: bad names, Fayger namespaces, another owner’s namespace', () => {
    expect(() => defineAdapterErrors('@test/kit', { lower_case: { title: 't', remedy: 'r' } })).toThrow(
      /not a namespaced code/,
    );
    expect(() => defineAdapterErrors('@test/kit', { ADAPTER_MINE: { title: 't', remedy: 'r' } })).toThrow();
    expect(() => defineAdapterErrors('@test/kit', { BROWSER_MINE: { title: 't', remedy: 'r' } })).toThrow();
    // Registering the same meaning again (a second copy of the package) is fine; another meaning is not.
    const again = { TESTKIT_SAME: { title: 't', remedy: 'r' } };
    defineAdapterErrors('@test/kit', again);
    expect(() => defineAdapterErrors('@test/kit', again)).not.toThrow();
    expect(() => defineAdapterErrors('@test/kit', { TESTKIT_SAME: { title: 'other', remedy: 'r' } })).toThrow(
      /different meaning/,
    );
  });
});
