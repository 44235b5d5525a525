import { EventEmitter } from 'node:events';
import { strWidth } from '../../src/ui/text-width.js';

/**
 * A minimal terminal model for the sequences the painter emits (CUP, EL, ED, alt screen, cursor visibility,
 * SGR ignored). Anything else fails loudly so a painter change cannot slip unknown sequences past the tests.
 */
export class FakeScreen extends EventEmitter {
  cells: string[][];
  row = 0;
  col = 0;
  cursorVisible = true;
  altScreen = false;
  bells = 0;
  writes: string[] = [];

  constructor(
    public columns = 40,
    public rows = 10,
  ) {
    super();
    this.cells = this.blank();
  }

  private blank(): string[][] {
    return Array.from({ length: this.rows }, () => new Array<string>(this.columns).fill(' '));
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.cells = this.blank();
    this.emit('resize');
  }

  write(chunk: string): boolean {
    this.writes.push(chunk);
    let i = 0;
    while (i < chunk.length) {
      const c = chunk[i]!;
      if (c === '\x1b') {
        const m = /^\x1b\[(\??)([0-9;]*)([A-Za-z])/.exec(chunk.slice(i));
        if (!m) throw new Error(`unexpected escape at ${JSON.stringify(chunk.slice(i, i + 10))}`);
        this.csi(m[1]!, m[2]!, m[3]!);
        i += m[0].length;
        continue;
      }
      if (c === '\x07') this.bells++;
      else if (c === '\n') {
        this.row = Math.min(this.rows - 1, this.row + 1);
        this.col = 0;
      } else if (c === '\r') this.col = 0;
      else {
        const cp = chunk.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        const w = Math.max(1, strWidth(ch));
        if (this.row < this.rows && this.col < this.columns) this.cells[this.row]![this.col] = ch;
        // The second cell of a wide character holds nothing, so a row joins back to the text drawn.
        if (w === 2 && this.row < this.rows && this.col + 1 < this.columns) this.cells[this.row]![this.col + 1] = '';
        this.col += w;
        i += ch.length;
        continue;
      }
      i++;
    }
    return true;
  }

  private csi(priv: string, params: string, final: string): void {
    const nums = params.split(';').map((p) => (p === '' ? 0 : Number(p)));
    if (priv === '?') {
      if (params === '1049') this.altScreen = final === 'h';
      else if (params === '25') this.cursorVisible = final === 'h';
      else throw new Error(`unexpected private mode ${params}${final}`);
      if (params === '1049') this.cells = this.blank();
      return;
    }
    switch (final) {
      case 'H':
        this.row = Math.max(1, nums[0] || 1) - 1;
        this.col = Math.max(1, nums[1] || 1) - 1;
        return;
      case 'K':
        for (let x = this.col; x < this.columns; x++) if (this.cells[this.row]) this.cells[this.row]![x] = ' ';
        return;
      case 'J':
        if (nums[0] === 2) this.cells = this.blank();
        else for (let y = this.row + 1; y < this.rows; y++) this.cells[y]!.fill(' ');
        return;
      case 'm':
        return;
      default:
        throw new Error(`unexpected CSI ${params}${final}`);
    }
  }

  /** Screen rows with trailing spaces trimmed. */
  text(): string[] {
    return this.cells.map((r) => r.join('').replace(/ +$/, ''));
  }
}
