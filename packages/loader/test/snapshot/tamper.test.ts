// A snapshot is untrusted input like any BuF: every alteration ends in a typed error, never a crash or a silent load.
import { FaygerError, type InstanceSnapshot } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { encodeSnapshot, loadSnapshot, openSnapshot } from '../../src/index.js';
import { nodeDigest } from '../helpers.js';
import { hostKey, PAGE, snapshot, trustHostKeys } from './fixtures.js';

const key = hostKey(3);
const trusted = { digest: nodeDigest, trust: trustHostKeys([key]) };
const unchecked = { digest: nodeDigest, trust: { allowUnsigned: true as const } };
const TYPED = new Set(['SNAPSHOT_MALFORMED', 'SNAPSHOT_DIGEST_MISMATCH', 'SNAPSHOT_UNTRUSTED']);

/** A small snapshot: two all-zero pages (nothing stored), a short state, one resource. */
function small(): InstanceSnapshot {
  return snapshot(
    { grants: [{ name: 'stdio' }], resources: [{ kind: 'wasi.fd', handle: 3, data: { path: '/d' } }] },
    { memories: [{ pages: 2, bytes: new Uint8Array(2 * PAGE) }], state: Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2, 1) },
  );
}

async function outcome(bytes: Uint8Array, opts: Parameters<typeof loadSnapshot>[1]): Promise<string> {
  try {
    await loadSnapshot(bytes, opts);
    return 'OK';
  } catch (err) {
    if (FaygerError.is(err)) return err.code;
    return `UNTYPED ${String(err)}`;
  }
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('snapshot tamper resistance', () => {
  it('every single-byte flip of a small signed snapshot is refused with a typed error', async () => {
    const good = await encodeSnapshot(small(), { digest: nodeDigest, signer: key });
    expect(await outcome(good, trusted)).toBe('OK');
    const counts: Record<string, number> = {};
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i]! ^= 0x01 << (i % 8);
      const c = await outcome(bad, trusted);
      counts[c] = (counts[c] ?? 0) + 1;
      if (!TYPED.has(c)) throw new Error(`flip at ${i} gave ${c}`);
    }
    // All three failure kinds occur (header/index → malformed, body → digest, signature → untrusted).
    for (const c of TYPED) expect(counts[c]).toBeGreaterThan(0);
  }, 240_000);

  it('with signatures unchecked (allowUnsigned), only bytes of the signature records are ignored', async () => {
    const good = await encodeSnapshot(small(), { digest: nodeDigest, signer: key });
    const l = await openSnapshot(good, unchecked);
    // The signature section is the last region: BSIG, version, count, 32-byte root digest, then records.
    const sigStart = good.length - (8 + 32 + 4 + key.keyId.length + 64);
    expect(new TextDecoder().decode(good.subarray(sigStart, sigStart + 4))).toBe('BSIG');
    expect(l.verified).toBe(false);
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i]! ^= 0x04;
      const c = await outcome(bad, unchecked);
      if (c === 'OK')
        expect(i).toBeGreaterThanOrEqual(sigStart + 40); // a signature record, never metadata or bodies
      else expect(TYPED.has(c), `flip at ${i}: ${c}`).toBe(true);
    }
  }, 240_000);

  it('flips in a stored memory page are caught by the section digest', async () => {
    const s = snapshot(
      {},
      {
        memories: [
          {
            pages: 3,
            bytes: (() => {
              const b = new Uint8Array(3 * PAGE);
              b.fill(7, PAGE, 2 * PAGE);
              return b;
            })(),
          },
        ],
      },
    );
    const good = await encodeSnapshot(s, { digest: nodeDigest, signer: key });
    const loaded = await openSnapshot(good, trusted);
    expect(loaded.memories[0]!.storedPages).toBe(1);
    // Sampled over the page body (every 997th byte): each is a digest mismatch.
    const body = good.length - (8 + 32 + 4 + key.keyId.length + 64) - PAGE - 8;
    for (let i = body; i < body + PAGE; i += 997) {
      const bad = good.slice();
      bad[i]! ^= 0x80;
      expect(await outcome(bad, trusted)).toBe('SNAPSHOT_DIGEST_MISMATCH');
    }
  });

  it('every truncation and any appended byte is refused', async () => {
    const good = await encodeSnapshot(small(), { digest: nodeDigest, signer: key });
    for (let n = 0; n < good.length; n++) {
      const c = await outcome(good.subarray(0, n), trusted);
      expect(TYPED.has(c), `truncated to ${n}: ${c}`).toBe(true);
    }
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(await outcome(longer, trusted)).toBe('SNAPSHOT_MALFORMED');
  }, 120_000);

  it('seeded random mutations (flips, inserts, deletes, splices) always end in a typed error', async () => {
    const base = await encodeSnapshot(snapshot({}, { memories: [{ pages: 1, bytes: new Uint8Array(PAGE) }] }), {
      digest: nodeDigest,
      signer: key,
    });
    const r = rng(0x5eed);
    for (let k = 0; k < 400; k++) {
      let b = Array.from(base);
      const edits = 1 + Math.floor(r() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * b.length);
        const op = Math.floor(r() * 4);
        if (op === 0) b[at] = Math.floor(r() * 256);
        else if (op === 1) b.splice(at, 0, Math.floor(r() * 256));
        else if (op === 2) b.splice(at, 1);
        else b = b.slice(0, at).concat(b.slice(Math.floor(r() * b.length)));
      }
      const bytes = Uint8Array.from(b);
      const c = await outcome(bytes, trusted);
      if (c === 'OK') expect(Buffer.from(bytes).equals(Buffer.from(base))).toBe(true);
      else expect(TYPED.has(c), `mutation ${k}: ${c}`).toBe(true);
      // Unchecked signatures: still typed, never a crash.
      const u = await outcome(bytes, unchecked);
      expect(u === 'OK' || TYPED.has(u), `mutation ${k} unchecked: ${u}`).toBe(true);
    }
  }, 240_000);
});
