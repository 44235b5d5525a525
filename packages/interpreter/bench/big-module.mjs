/**
 * Builds a large (default ≥ 1 MiB), valid module for decode + validate + compile throughput: many functions
 * whose bodies mix integer, float, memory, control-flow and call instructions, drawn by a seeded PRNG.
 */
function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id, body) => [id, ...uleb(body.length), ...body];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const name = (s) => [...uleb(s.length), ...Buffer.from(s)];

function prng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) | 0;
  };
}

// Locals: 0,1 params (i32); 2..5 i32; 6,7 i64; 8,9 f64.
const I32 = [0, 1, 2, 3, 4, 5];
const I32_BIN = [0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77];

function body(rand, index, segments) {
  const code = [];
  const i32 = () => I32[rand(I32.length)];
  for (let s = 0; s < segments; s++) {
    switch (rand(8)) {
      case 0:
      case 1:
        code.push(0x20, i32(), 0x20, i32(), I32_BIN[rand(I32_BIN.length)], 0x21, 2 + rand(4));
        break;
      case 2:
        code.push(0x20, i32(), 0xad, 0x20, 6 + rand(2), 0x7e, 0x42, ...sleb(rand(1 << 20)), 0x85, 0x21, 6 + rand(2));
        break;
      case 3:
        code.push(
          0x20,
          8 + rand(2),
          0x20,
          i32(),
          0xb7,
          0xa0,
          0x44,
          ...new Uint8Array(new Float64Array([rand(1000) / 7]).buffer),
          0xa2,
          0x21,
          8 + rand(2),
        );
        break;
      case 4:
        code.push(
          0x02,
          0x40,
          0x20,
          i32(),
          0x0d,
          0x00,
          0x20,
          i32(),
          0x41,
          ...sleb(rand(100)),
          0x6a,
          0x21,
          2 + rand(4),
          0x0b,
        );
        break;
      case 5:
        code.push(0x20, i32(), 0x41, ...sleb(0xfff0), 0x71, 0x28, 0x02, ...uleb(rand(8) * 4), 0x21, 2 + rand(4));
        break;
      case 6:
        code.push(
          0x20,
          i32(),
          0x04,
          0x40,
          0x20,
          i32(),
          0x41,
          1,
          0x6a,
          0x21,
          2 + rand(4),
          0x05,
          0x20,
          7 - rand(2),
          0xa7,
          0x21,
          2 + rand(4),
          0x0b,
        );
        break;
      default:
        if (index > 0) code.push(0x20, i32(), 0x20, i32(), 0x10, ...uleb(rand(index)), 0x21, 2 + rand(4));
        else code.push(0x20, 0, 0x45, 0x21, 3);
    }
  }
  code.push(0x20, 2, 0x20, 6, 0xa7, 0x6a, 0x20, 8, 0xfc, 0x02, 0x6a, 0x0b);
  const locals = vec([
    [4, 0x7f],
    [2, 0x7e],
    [2, 0x7c],
  ]);
  return [...locals, ...code];
}

/** @returns {Uint8Array} */
export function buildBigModule(targetBytes = 1 << 20, seed = 42) {
  const rand = prng(seed);
  const bodies = [];
  let size = 0;
  while (size < targetBytes) {
    const b = body(rand, bodies.length, 60 + rand(60));
    bodies.push([...uleb(b.length), ...b]);
    size += b.length + 4;
  }
  const n = bodies.length;
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, 2, 0x7f, 0x7f, 1, 0x7f]])),
    ...section(3, vec(Array.from({ length: n }, () => [0]))),
    ...section(5, vec([[0x00, 1]])),
    ...section(
      7,
      vec([
        [...name('first'), 0x00, 0],
        [...name('last'), 0x00, ...uleb(n - 1)],
        [...name('memory'), 0x02, 0],
      ]),
    ),
    ...section(10, vec(bodies)),
  ];
  return new Uint8Array(bytes);
}
