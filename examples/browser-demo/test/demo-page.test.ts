import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_MISSING_MESSAGE, withChromium } from '@fayger/browser-harness';
import { loadBuf, MemorySource } from '@fayger/loader';
import { createTrustVerifier, detectDigestProvider, parseTrustedRoots } from '@fayger/security';
import type { DemoState } from '../src/page.js';
import { startDemoServer, type DemoRequest } from '../server.mjs';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The artifact's layout, from its own header and index (loaded from disk, verified against the dev roots). */
async function layout(file: string) {
  const [bytes, roots] = await Promise.all([
    readFile(file),
    readFile(here('../../../.fayger-dev/trusted-roots.json'), 'utf8'),
  ]);
  const buf = await loadBuf(new MemorySource(new Uint8Array(bytes)), {
    digest: detectDigestProvider(),
    trust: createTrustVerifier({ roots: parseTrustedRoots(roots), policy: { threshold: 1 } }),
    profile: { host: 'browser', locales: ['en'], byteBudget: 128 * 1024 },
    strategy: 'lazy',
    supportedInterfaceVersions: ['1.0.0'],
  });
  const h = buf.header;
  const byName = new Map(buf.sections.map((s) => [s.name, s]));
  // The signature section is the last body (spec §1); LoadedBuf.sections lists the others.
  const lastEnd = Math.max(...buf.sections.map((s) => s.offset + s.storedLength));
  const sig = {
    offset: Math.ceil(lastEnd / h.alignment) * h.alignment,
    storedLength: h.totalLength - Math.ceil(lastEnd / h.alignment) * h.alignment,
  };
  expect(sig.storedLength).toBeGreaterThan(0);
  const selected = buf.selection.entries.filter((e) => e.included).map((e) => e.name);
  const skipped = buf.selection.entries.filter((e) => !e.included).map((e) => e.name);
  return { size: bytes.length, h, byName, sig, selected, skipped, selection: buf.selection.entries };
}

type Range = [start: number, endExclusive: number];
const rangeOf = (r: DemoRequest): Range => {
  const m = /^bytes=(\d+)-(\d+)$/.exec(r.range ?? '');
  if (!m) throw new Error(`expected a single byte range, found ${JSON.stringify(r.range)}`);
  return [Number(m[1]), Number(m[2]) + 1];
};
const overlaps = (a: Range, b: Range) => a[0] < b[1] && b[0] < a[1];
const covered = (need: Range, have: Range[]) => {
  // Every byte of `need` lies in some fetched range.
  let at = need[0];
  for (const r of [...have].sort((x, y) => x[0] - y[0])) if (r[0] <= at && r[1] > at) at = r[1];
  return at >= need[1];
};

describe.skipIf(!chromiumAvailable())('browser demo in Chromium', () => {
  it('fetches only header, manifest+index, signature and the selected sections by Range, then runs the app as DOM', {
    timeout: 90_000,
  }, async () => {
    const L = await layout(here('../dist/browser-demo.buf'));
    // What a browser profile (locale en, 128 KiB budget) must select: the code and the English strings.
    expect(L.selected.sort()).toEqual(['main', 'strings.en']);
    expect(Object.fromEntries(L.selection.filter((e) => !e.included).map((e) => [e.name, e.reason]))).toEqual({
      'strings.fr': 'locale-mismatch',
      'art.desktop': 'host-mismatch',
      'intro.video': 'over-budget',
    });

    const server = await startDemoServer();
    try {
      await withChromium(async (s) => {
        await s.page.goto(`${server.origin}/`);
        await s.page
          .getByRole('button', { name: '+1' })
          .waitFor({ timeout: 30_000 })
          .catch(async (e: unknown) => {
            throw new Error(
              `the app did not render: status ${JSON.stringify(await s.page.locator('#status').textContent())}; console ${JSON.stringify(s.console)}; errors ${JSON.stringify(s.errors)}`,
              { cause: e },
            );
          });
        await s.page.getByRole('button', { name: '+1' }).click();
        await s.page.getByText('Count: 1').waitFor();
        await s.page.getByRole('button', { name: '+1' }).click();
        await s.page.getByText('Count: 2').waitFor();
        await s.page.getByRole('button', { name: '-1' }).click();
        await s.page.getByText('Count: 1').waitFor();
        expect(await s.page.locator('#title').textContent()).toBe('Fayger browser demo'); // from the strings.en section
        await s.screenshot('browser-demo-running');
        await s.page.getByRole('button', { name: 'Quit' }).click();
        const st = (await (
          await s.page.waitForFunction(
            () => {
              const d = (window as unknown as { __demo?: DemoState }).__demo;
              return d && (d.phase === 'exited' || d.phase === 'failed') ? d : undefined;
            },
            undefined,
            { timeout: 30_000 },
          )
        ).jsonValue()) as DemoState;
        await s.screenshot('browser-demo-exited');
        expect(st.error).toBeUndefined();
        expect(st.exit).toEqual({ state: 'Terminated', exitCode: 0 });
        expect(st.logs.map((l) => l.message)).toEqual([
          'ui-counter: interactive',
          'event click inc -> count=1 name=""',
          'event click inc -> count=2 name=""',
          'event click dec -> count=1 name=""',
          'event click quit -> count=1 name=""',
          'ui-counter: final state count=1 name=""',
        ]);
        expect(await s.page.locator('#app').textContent()).toBe(''); // ui.clear on exit
        expect(s.errors).toEqual([]);
      });

      // The server's log: which bytes of the artifact went over the wire.
      const reqs = server.log.filter((r) => r.path === '/bufs/browser-demo.buf');
      expect(reqs.every((r) => r.status === 206 && r.method === 'GET')).toBe(true);
      const fetched = reqs.map(rangeOf);
      for (const r of reqs) expect(r.length).toBe(rangeOf(r)[1] - rangeOf(r)[0]);
      const A = L.h.alignment;
      const must: Record<string, Range> = {
        header: [0, 64],
        'manifest+index': [L.h.manifestOffset, L.h.indexOffset + L.h.indexLength],
        signature: [L.sig.offset, L.sig.offset + L.sig.storedLength],
        ...Object.fromEntries(
          L.selected.map((n) => [
            n,
            [L.byName.get(n)!.offset, L.byName.get(n)!.offset + L.byName.get(n)!.storedLength] as Range,
          ]),
        ),
      };
      for (const [what, need] of Object.entries(must))
        expect(covered(need, fetched), `${what} ${need} fetched`).toBe(true);
      for (const name of L.skipped) {
        const sec = L.byName.get(name)!;
        const body: Range = [sec.offset, sec.offset + sec.storedLength];
        for (const f of fetched)
          expect(overlaps(f, body), `request ${f} touches unselected section ${name} ${body}`).toBe(false);
      }
      // One request per region (the header probe, manifest+index, signature, each selected section once),
      // and nothing beyond them but alignment padding.
      expect(reqs).toHaveLength(Object.keys(must).length);
      const needBytes = Object.values(must).reduce((n, [a, b]) => n + (b - a), 0);
      const sent = reqs.reduce((n, r) => n + r.length, 0);
      expect(sent).toBeGreaterThanOrEqual(needBytes);
      expect(sent).toBeLessThanOrEqual(needBytes + reqs.length * A);
      const skippedBytes = L.skipped.reduce((n, name) => n + L.byName.get(name)!.storedLength, 0);
      expect(sent + skippedBytes).toBeLessThanOrEqual(L.size);
      console.log(
        `browser demo: ${reqs.length} Range requests, ${sent} of ${L.size} bytes transferred; never fetched: ${L.skipped.join(', ')} (${skippedBytes} bytes)`,
      );
    } finally {
      await server.close();
    }
  });
});

if (!chromiumAvailable())
  describe('browser demo in Chromium', () => {
    it.skip(CHROMIUM_MISSING_MESSAGE, () => {});
  });
