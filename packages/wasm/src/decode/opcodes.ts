/**
 * Opcode numbering of the decoded instruction stream: one-byte opcodes keep their value, 0xFC-prefixed ones
 * become 0x100 + sub-opcode.
 */
export const enum Op {
  unreachable = 0x00,
  nop = 0x01,
  block = 0x02,
  loop = 0x03,
  if_ = 0x04,
  else_ = 0x05,
  end = 0x0b,
  br = 0x0c,
  br_if = 0x0d,
  br_table = 0x0e,
  return_ = 0x0f,
  call = 0x10,
  call_indirect = 0x11,
  drop = 0x1a,
  select = 0x1b,
  select_t = 0x1c,
  local_get = 0x20,
  local_set = 0x21,
  local_tee = 0x22,
  global_get = 0x23,
  global_set = 0x24,
  table_get = 0x25,
  table_set = 0x26,
  i32_load = 0x28,
  i64_store32 = 0x3e,
  memory_size = 0x3f,
  memory_grow = 0x40,
  i32_const = 0x41,
  i64_const = 0x42,
  f32_const = 0x43,
  f64_const = 0x44,
  ref_null = 0xd0,
  ref_is_null = 0xd1,
  ref_func = 0xd2,
  memory_init = 0x108,
  data_drop = 0x109,
  memory_copy = 0x10a,
  memory_fill = 0x10b,
  table_init = 0x10c,
  elem_drop = 0x10d,
  table_copy = 0x10e,
  table_grow = 0x10f,
  table_size = 0x110,
  table_fill = 0x111,
}

/** Natural alignment (log2 bytes) of each load/store opcode 0x28..0x3e. */
export const MEM_NATURAL_ALIGN: readonly number[] = [
  2,
  3,
  2,
  3,
  0,
  0,
  1,
  1,
  0,
  0,
  1,
  1,
  2,
  2, // loads 0x28..0x35
  2,
  3,
  2,
  3,
  0,
  1,
  0,
  1,
  2, // stores 0x36..0x3e
];

/** 0xFD-prefixed (SIMD) instructions become SIMD_BASE + sub-opcode in the decoded stream and compiled code. */
export const SIMD_BASE = 0x200;

/** Immediate kinds of SIMD instructions. */
export const SIMM_NONE = 0;
export const SIMM_MEM = 1;
export const SIMM_LANE = 2;
export const SIMM_MEM_LANE = 3;
export const SIMM_CONST = 4;
export const SIMM_SHUFFLE = 5;

/** Immediate kind of each SIMD sub-opcode of WebAssembly 2.0; undefined: not an instruction (reserved). */
export const SIMD_IMM: (number | undefined)[] = [];
// biome-ignore lint/complexity/noUselessLoneBlockStatements: keeps the table-building loop counters out of module scope
{
  for (let i = 0; i <= 0xff; i++) SIMD_IMM[i] = SIMM_NONE;
  for (let i = 0x00; i <= 0x0b; i++) SIMD_IMM[i] = SIMM_MEM;
  SIMD_IMM[0x0c] = SIMM_CONST;
  SIMD_IMM[0x0d] = SIMM_SHUFFLE;
  for (let i = 0x15; i <= 0x22; i++) SIMD_IMM[i] = SIMM_LANE;
  for (let i = 0x54; i <= 0x5b; i++) SIMD_IMM[i] = SIMM_MEM_LANE;
  SIMD_IMM[0x5c] = SIMM_MEM;
  SIMD_IMM[0x5d] = SIMM_MEM;
  for (const i of [
    0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2,
    0xee,
  ]) {
    SIMD_IMM[i] = undefined;
  }
}
