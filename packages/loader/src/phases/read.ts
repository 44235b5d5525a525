import { HEADER_LENGTH, MAGIC, align } from '../format/constants.js';
import { decodeHeader, decodeHeaderPrefix } from '../format/header.js';
import { hex, loaderError } from '../errors.js';
import { FaygerError } from '@fayger/contracts';
import { readExact, type LoadContext } from './context.js';

/** Phase read(header/manifest/index): size, the fixed header, then manifest + index in one read. */
export async function readPhase(ctx: LoadContext): Promise<void> {
  const { source, options } = ctx;
  const signal = options.signal;
  let size: number;
  try {
    size = await source.size(signal);
  } catch (err) {
    if (FaygerError.is(err)) throw err;
    throw loaderError('LOADER_SOURCE_IO', 'read', {
      what: `getting the size of ${ctx.label}`,
      found: String(err),
      cause: err,
    });
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw loaderError('LOADER_SOURCE_IO', 'read', {
      what: `getting the size of ${ctx.label}`,
      expected: 'a non-negative integer',
      found: String(size),
    });
  }
  ctx.size = size;
  if (size < HEADER_LENGTH) {
    // Check the magic on what there is first: "not a BuF" is the more useful message for a tiny file.
    const head = await readExact(source, size, 0, size, 'read', 'reading the BuF header', signal);
    for (let i = 0; i < Math.min(size, MAGIC.length); i++) {
      if (head[i] !== MAGIC[i]) {
        throw loaderError('LOADER_BAD_MAGIC', 'read', {
          what: 'reading the BuF header',
          expected: `magic ${hex(MAGIC)}`,
          found: hex(head.subarray(0, MAGIC.length)),
        });
      }
    }
    throw loaderError('LOADER_TRUNCATED', 'read', {
      what: 'reading the BuF header',
      expected: `at least ${HEADER_LENGTH} bytes`,
      found: `${size} bytes`,
    });
  }
  let headerBytes = await readExact(source, size, 0, HEADER_LENGTH, 'read', 'reading the BuF header', signal);
  const { headerLength } = decodeHeaderPrefix(headerBytes, size);
  if (headerLength > HEADER_LENGTH) {
    headerBytes = await readExact(source, size, 0, headerLength, 'read', 'reading the extended BuF header', signal);
  }
  const header = decodeHeader(headerBytes, size);
  ctx.headerBytes = headerBytes;
  ctx.header = header;
  const indexEnd = header.indexOffset + header.indexLength;
  const regionEnd = Math.min(align(indexEnd, header.alignment), size);
  ctx.region = await readExact(
    source,
    size,
    header.manifestOffset,
    regionEnd - header.manifestOffset,
    'read',
    'reading the manifest and index',
    signal,
  );
  const rel = (n: number) => n - header.manifestOffset;
  ctx.manifestBytes = ctx.region.subarray(0, header.manifestLength);
  ctx.indexBytes = ctx.region.subarray(rel(header.indexOffset), rel(indexEnd));
}
