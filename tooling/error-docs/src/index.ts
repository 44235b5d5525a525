import { browserErrorCodes } from '@fayger/adapter-browser';
import { desktopErrorCodes } from '@fayger/adapter-desktop';
import { inAppErrorCodes } from '@fayger/adapter-in-app';
import { errorCatalogue, renderErrorCatalogue, type ErrorCodeInfo } from '@fayger/contracts';

/**
 * The codes the first-party adapters register with `registerErrorCodes`, as any third-party adapter does.
 * @fayger/contracts knows none of them; they are documented here, beside Fayger's own catalogue.
 */
export const firstPartyAdapterCodes: Readonly<Record<string, Readonly<Record<string, ErrorCodeInfo>>>> = {
  '@fayger/adapter-browser': browserErrorCodes,
  '@fayger/adapter-desktop': desktopErrorCodes,
  '@fayger/adapter-in-app': inAppErrorCodes,
};

/** Fayger's own catalogue joined with the first-party adapters' registered codes: what docs/errors.md lists. */
export function documentedCodes(): Record<string, ErrorCodeInfo> {
  const all: Record<string, ErrorCodeInfo> = { ...errorCatalogue };
  for (const [pkg, codes] of Object.entries(firstPartyAdapterCodes)) {
    for (const [code, info] of Object.entries(codes)) {
      if (Object.prototype.hasOwnProperty.call(all, code))
        throw new TypeError(`${pkg} registers ${code}, which docs/errors.md already lists; codes are never shared`);
      all[code] = info;
    }
  }
  return all;
}

/** docs/errors.md as it must read. */
export function renderErrorsDoc(): string {
  return renderErrorCatalogue(documentedCodes(), {
    generatedBy:
      'Generated from packages/contracts/src/errors/catalogue and the codes the first-party adapters register (packages/adapter-*/src/errors.ts) by `pnpm --filter @fayger/error-docs docs:errors`.',
  });
}
