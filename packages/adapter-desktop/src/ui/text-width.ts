// Terminal column widths. Terminals draw East Asian wide characters and most emoji in two cells and
// combining marks in none; measuring by string length would misplace every cell after such a character.

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) || // combining diacritics
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    cp === 0x200b ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x2060 ||
    cp === 0xfeff
  );
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Cells one code point occupies: 0 for controls and combining marks, 2 for wide characters, else 1. */
export function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

export function strWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** Longest prefix of `s` that fits in `width` cells. */
export function takeWidth(s: string, width: number): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** Cuts `s` to `width` cells, marking the cut with `ellipsis` when something was dropped. */
export function truncate(s: string, width: number, ellipsis: string): string {
  if (width <= 0) return '';
  if (strWidth(s) <= width) return s;
  const ew = strWidth(ellipsis);
  if (ew >= width) return takeWidth(s, width);
  return takeWidth(s, width - ew) + ellipsis;
}

/** Replaces control characters (tabs, escapes, CR) so guest text can never inject terminal sequences. */
export function sanitize(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\t/g, '  ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** `sanitize` for single-line places (labels, fields, status): a newline there would move the cursor. */
export function oneLine(s: string): string {
  return sanitize(s).replace(/\n/g, ' ');
}

/**
 * Word-wraps `text` to `width` cells. Explicit newlines are kept; words longer than a line are broken.
 * Always returns at least one line.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of sanitize(text).split('\n')) {
    const words = para.split(/( +)/).filter((p) => p.length > 0);
    let line = '';
    let lineW = 0;
    let wrapped = false;
    const flush = () => {
      out.push(line.replace(/ +$/, ''));
      line = '';
      lineW = 0;
      wrapped = true;
    };
    for (const word of words) {
      const ww = strWidth(word);
      if (/^ +$/.test(word)) {
        // Spaces never start a wrapped line.
        if (lineW === 0 && wrapped) continue;
        if (lineW + ww <= w) {
          line += word;
          lineW += ww;
        } else {
          flush();
        }
        continue;
      }
      if (lineW + ww <= w) {
        line += word;
        lineW += ww;
        continue;
      }
      if (lineW > 0) flush();
      let rest = word;
      while (strWidth(rest) > w) {
        let chunk = takeWidth(rest, w);
        // A wide character wider than the whole line still has to go somewhere.
        if (chunk === '') chunk = String.fromCodePoint(rest.codePointAt(0)!);
        out.push(chunk);
        wrapped = true;
        rest = rest.slice(chunk.length);
      }
      line = rest;
      lineW = strWidth(rest);
    }
    out.push(line.replace(/ +$/, ''));
  }
  return out;
}
