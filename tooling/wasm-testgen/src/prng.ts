/** mulberry32: tiny, seedable, and identical on every host, so a seed reproduces a module exactly. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  u32(): number {
    return this.int(0x1_0000) * 0x1_0000 + this.int(0x1_0000);
  }

  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  /** Integers that hit edge cases (0, ±1, extremes, powers of two) more often than uniform draws would. */
  interestingU32(): number {
    switch (this.int(6)) {
      case 0:
        return this.pick([0, 1, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 2, 0xffff_fffe]);
      case 1:
        return (2 ** this.int(32)) >>> 0;
      case 2:
        return this.int(256);
      default:
        return this.u32();
    }
  }

  interestingU64(): bigint {
    switch (this.int(6)) {
      case 0:
        return this.pick([
          0n,
          1n,
          0xffff_ffff_ffff_ffffn,
          0x8000_0000_0000_0000n,
          0x7fff_ffff_ffff_ffffn,
          0xffff_ffffn,
        ]);
      case 1:
        return 1n << BigInt(this.int(64));
      case 2:
        return BigInt(this.int(256));
      default:
        return this.u64();
    }
  }
}
