import type { GuestMemory } from '@fayger/contracts';

/**
 * Bounds-checked access to guest memory for the ABI host functions: every pointer/length pair is checked
 * before use, so a bad pointer becomes a status code (FAYGER_EINVAL / WASI EFAULT), never a trap or an access
 * outside the guest's memory. Build a fresh one after any await: the guest may have grown its memory.
 */
export class MemAccess {
  private dv: DataView | undefined;
  private u8: Uint8Array | undefined;

  constructor(private readonly mem: GuestMemory | undefined) {}

  get present(): boolean {
    return this.mem !== undefined;
  }

  private bytes(): Uint8Array {
    if (!this.u8) {
      this.u8 = this.mem!.view();
      this.dv = new DataView(this.u8.buffer, this.u8.byteOffset, this.u8.byteLength);
    }
    return this.u8;
  }

  private view(): DataView {
    this.bytes();
    return this.dv!;
  }

  /** True when [ptr, ptr+len) lies inside the memory. ptr and len are unsigned i32 values. */
  inBounds(ptr: number, len: number): boolean {
    if (!this.mem) return false;
    return ptr >= 0 && len >= 0 && ptr + len <= this.mem.byteLength;
  }

  /** A copy of [ptr, ptr+len), or undefined when out of bounds. */
  read(ptr: number, len: number): Uint8Array | undefined {
    if (!this.inBounds(ptr, len)) return undefined;
    return this.bytes().slice(ptr, ptr + len);
  }

  write(ptr: number, data: Uint8Array): boolean {
    if (!this.inBounds(ptr, data.byteLength)) return false;
    this.bytes().set(data, ptr);
    return true;
  }

  u32(ptr: number): number | undefined {
    return this.inBounds(ptr, 4) ? this.view().getUint32(ptr, true) : undefined;
  }

  u64(ptr: number): bigint | undefined {
    return this.inBounds(ptr, 8) ? this.view().getBigUint64(ptr, true) : undefined;
  }

  u16(ptr: number): number | undefined {
    return this.inBounds(ptr, 2) ? this.view().getUint16(ptr, true) : undefined;
  }

  u8At(ptr: number): number | undefined {
    return this.inBounds(ptr, 1) ? this.bytes()[ptr] : undefined;
  }

  setU8(ptr: number, v: number): boolean {
    if (!this.inBounds(ptr, 1)) return false;
    this.bytes()[ptr] = v;
    return true;
  }

  setU16(ptr: number, v: number): boolean {
    if (!this.inBounds(ptr, 2)) return false;
    this.view().setUint16(ptr, v, true);
    return true;
  }

  setU32(ptr: number, v: number): boolean {
    if (!this.inBounds(ptr, 4)) return false;
    this.view().setUint32(ptr, v >>> 0, true);
    return true;
  }

  setU64(ptr: number, v: bigint): boolean {
    if (!this.inBounds(ptr, 8)) return false;
    this.view().setBigUint64(ptr, BigInt.asUintN(64, v), true);
    return true;
  }

  zero(ptr: number, len: number): boolean {
    if (!this.inBounds(ptr, len)) return false;
    this.bytes().fill(0, ptr, ptr + len);
    return true;
  }
}

/** An i32 argument as an unsigned pointer or length. */
export const u32 = (v: unknown): number => Number(v) >>> 0;
/** An i32 argument as a signed value. */
export const i32 = (v: unknown): number => Number(v) | 0;
/** An i64 argument (bigint, or a number from implementations that pass small i64 as numbers) as unsigned. */
export const u64 = (v: unknown): bigint =>
  BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v) || 0)));
