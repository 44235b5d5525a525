import type { SectionReader } from '../section-reader.js';
import type { LoadContext } from './context.js';

/** Phase read-bodies (eager only): every selected section, dependencies first, read and verified. */
export async function readBodiesPhase(ctx: LoadContext, reader: SectionReader): Promise<void> {
  for (const id of ctx.selection.loadOrder) {
    ctx.bodies.set(id, await reader.read(ctx.byId.get(id)!, 'read-bodies', ctx.options.signal));
  }
}
