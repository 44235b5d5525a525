/**
 * Sparse linear-memory sections (docs/spec/snapshot-v1.md §5): only 64 KiB pages holding a non-zero byte are
 * stored, as maximal runs of consecutive pages.
 *
 *   u32 pages · u32 runCount · (u32 firstPage, u32 pageCount) × runCount · stored page bytes in run order
 *
 * Canonical: runs ascending, each non-empty, separated by at least one absent page, within `pages`; every stored
 * page holds a non-zero byte. So one memory has exactly one encoding.
 */
export const PAGE_SIZE = 65_536;
/** wasm32's largest memory, in pages. */
export const MAX_PAGES_PER_MEMORY = 65_536;
const HEAD = 8;

export interface Run {
  first: number;
  count: number;
}

/** A page scanner over one memory: word-at-a-time when aligned (a 256 MiB memory scans in a fraction of a second). */
function zeroPageTest(bytes: Uint8Array): (page: number) => boolean {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const perPage = PAGE_SIZE / 4;
    return (page) => {
      const end = (page + 1) * perPage;
      for (let i = page * perPage; i < end; i++) if (words[i] !== 0) return false;
      return true;
    };
  }
  return (page) => {
    const end = (page + 1) * PAGE_SIZE;
    for (let i = page * PAGE_SIZE; i < end; i++) if (bytes[i] !== 0) return false;
    return true;
  };
}

export function nonZeroRuns(bytes: Uint8Array, pages: number): Run[] {
  const runs: Run[] = [];
  const pageIsZero = zeroPageTest(bytes);
  let current: Run | undefined;
  for (let p = 0; p < pages; p++) {
    if (pageIsZero(p)) {
      current = undefined;
      continue;
    }
    if (current) current.count++;
    else runs.push((current = { first: p, count: 1 }));
  }
  return runs;
}

export function encodeMemory(pages: number, bytes: Uint8Array): Uint8Array {
  const runs = nonZeroRuns(bytes, pages);
  const stored = runs.reduce((n, r) => n + r.count, 0);
  const out = new Uint8Array(HEAD + 8 * runs.length + stored * PAGE_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, pages, true);
  view.setUint32(4, runs.length, true);
  let p = HEAD;
  for (const r of runs) {
    view.setUint32(p, r.first, true);
    view.setUint32(p + 4, r.count, true);
    p += 8;
  }
  for (const r of runs) {
    out.set(bytes.subarray(r.first * PAGE_SIZE, (r.first + r.count) * PAGE_SIZE), p);
    p += r.count * PAGE_SIZE;
  }
  return out;
}

export interface MemoryHead {
  pages: number;
  runs: Run[];
  storedPages: number;
}

/**
 * Decodes the page map of a memory section, checking it against the section length before anything is
 * allocated. Throws a string describing the first violation (the caller wraps it).
 */
export function decodeMemoryHead(body: Uint8Array): MemoryHead | string {
  if (body.length < HEAD) return `at least ${HEAD} bytes (pages, run count); found ${body.length}`;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const pages = view.getUint32(0, true);
  if (pages > MAX_PAGES_PER_MEMORY) return `pages ≤ ${MAX_PAGES_PER_MEMORY}; found ${pages}`;
  const runCount = view.getUint32(4, true);
  // Each run takes 8 map bytes and at least one page: bounds the array before it is created.
  if (runCount > (body.length - HEAD) / (8 + PAGE_SIZE) || runCount > pages)
    return `a run count that fits the section and the ${pages} pages; found ${runCount}`;
  const runs: Run[] = new Array(runCount);
  let stored = 0;
  let end = -1;
  for (let i = 0; i < runCount; i++) {
    const first = view.getUint32(HEAD + 8 * i, true);
    const count = view.getUint32(HEAD + 8 * i + 4, true);
    if (count === 0) return `run ${i} with at least one page; found 0`;
    if (first <= end) return `run ${i} starting after page ${end} (runs ascending, maximal); found page ${first}`;
    if (first + count > pages) return `run ${i} within ${pages} pages; found pages ${first}..${first + count - 1}`;
    runs[i] = { first, count };
    end = first + count;
    stored += count;
  }
  const expected = HEAD + 8 * runCount + stored * PAGE_SIZE;
  if (body.length !== expected)
    return `section length ${expected} (map + ${stored} stored pages); found ${body.length}`;
  return { pages, runs, storedPages: stored };
}

/** Expands a decoded memory section; returns a string naming a stored all-zero page (non-canonical). */
export function expandMemory(body: Uint8Array, head: MemoryHead): Uint8Array | string {
  const out = new Uint8Array(head.pages * PAGE_SIZE);
  let p = HEAD + 8 * head.runs.length;
  const pageIsZero = zeroPageTest(out);
  for (const r of head.runs) {
    const n = r.count * PAGE_SIZE;
    out.set(body.subarray(p, p + n), r.first * PAGE_SIZE);
    p += n;
    for (let k = r.first; k < r.first + r.count; k++) {
      if (pageIsZero(k)) return `stored page ${k} to hold a non-zero byte (only non-zero pages are stored)`;
    }
  }
  return out;
}
