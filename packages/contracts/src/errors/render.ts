import { errorCatalogue } from './catalogue/index.js';
import type { ErrorCodeInfo } from './types.js';

/** What to render instead of docs/errors.md: an adapter package documents its registered codes the same way. */
export interface RenderCatalogueOptions {
  /** The page title (default "Fayger error codes"). */
  title?: string;
  /** The generated-from note (default: the contracts catalogue's). */
  generatedBy?: string;
}

/**
 * Renders an error-code catalogue as Markdown, grouped by layer, codes sorted: by default Fayger's own, as
 * docs/errors.md; pass a package's registered entries (what `registerErrorCodes` returned) to document those.
 */
export function renderErrorCatalogue(
  entries: Readonly<Record<string, ErrorCodeInfo>> = errorCatalogue,
  options: RenderCatalogueOptions = {},
): string {
  const byLayer = new Map<string, Array<[string, ErrorCodeInfo]>>();
  for (const [code, info] of Object.entries(entries) as Array<[string, ErrorCodeInfo]>) {
    const list = byLayer.get(info.layer) ?? [];
    list.push([code, info]);
    byLayer.set(info.layer, list);
  }
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out: string[] = [
    `# ${options.title ?? 'Fayger error codes'}`,
    '',
    `<!-- ${options.generatedBy ?? 'Generated from the error catalogue by renderErrorCatalogue (@fayger/contracts).'} Do not edit by hand: a test fails when this file and the catalogue disagree. -->`,
    '',
    'Every failure Fayger reports is a `FaygerError` with one of these stable `code`s, the `layer` that raised it,',
    'the `phase` that failed, a message saying what was expected, what was found and what to do, optional',
    '`details` and `cause`, and `retryable`. Test for a code with `FaygerError.is(err, "CODE")`, which works across',
    'separately bundled copies of `@fayger/contracts`. Codes are never reused for a different meaning.',
    '',
  ];
  for (const layer of [...byLayer.keys()].sort()) {
    out.push(`## ${layer}`, '', '| code | meaning | what to do | retryable |', '|---|---|---|---|');
    for (const [code, info] of byLayer.get(layer)!.sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`| \`${code}\` | ${esc(info.title)} | ${esc(info.remedy)} | ${info.retryable ? 'yes' : 'no'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
