import { decodeIndex } from '../format/index-codec.js';
import { decodeManifest } from '../format/manifest-codec.js';
import type { LoadContext } from './context.js';

/** Phase parse: canonical-JSON manifest against the schema; binary index into entries. */
export function parsePhase(ctx: LoadContext): void {
  ctx.manifest = decodeManifest(ctx.manifestBytes);
  ctx.entries = decodeIndex(ctx.indexBytes, ctx.size);
}
