import { maxSatisfying, parseSemVer, parseSemVerRange } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import type { LoadContext } from './context.js';

const PHASE = 'negotiate-version';

/**
 * Phase negotiate-version. Format major and critical flags were already enforced when the header was
 * read (the layout depends on them); a higher minor without critical flags is accepted here. The
 * manifest's Runtime_Interface range picks the highest version the caller supports.
 */
export function negotiateVersionPhase(ctx: LoadContext): void {
  const supported = ctx.options.supportedInterfaceVersions;
  if (!Array.isArray(supported) || supported.length === 0 || supported.some((v) => !parseSemVer(v))) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'reading LoadOptions.supportedInterfaceVersions',
      expected: 'a non-empty list of semver versions',
      found: JSON.stringify(supported),
    });
  }
  const range = ctx.manifest.runtime.interface;
  const r = parseSemVerRange(range)!;
  const chosen = maxSatisfying(supported, r);
  if (chosen === undefined) {
    throw loaderError('LOADER_INTERFACE_UNSUPPORTED', PHASE, {
      what: 'negotiating the Runtime_Interface version',
      expected: `a version satisfying the manifest range "${range}"`,
      found: `this runtime supports ${supported.join(', ')}`,
      details: { requested: range, supported: [...supported] },
    });
  }
  ctx.version = {
    format: { major: ctx.header.formatMajor, minor: ctx.header.formatMinor },
    runtimeInterface: chosen,
    requestedRange: range,
  };
}
