import type { BufSource } from '@fayger/contracts';
import { loaderError, throwIfAborted } from '../errors.js';

/** A BufSource over bytes already in memory. Reads return views, not copies. */
export class MemorySource implements BufSource {
  readonly #bytes: Uint8Array;
  readonly #label: string;

  constructor(bytes: Uint8Array, label = 'memory') {
    this.#bytes = bytes;
    this.#label = label;
  }

  async size(): Promise<number> {
    return this.#bytes.length;
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal, 'read', `reading ${this.#label}`);
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.#bytes.length
    ) {
      throw loaderError('LOADER_RANGE_INVALID', 'read', {
        what: `reading ${this.#label}`,
        expected: `a range within ${this.#bytes.length} bytes`,
        found: `offset ${offset}, length ${length}`,
      });
    }
    return this.#bytes.subarray(offset, offset + length);
  }

  describe(): string {
    return `${this.#label} (${this.#bytes.length} bytes)`;
  }
}
