/**
 * Opcodes of the compiled form. Simple numeric ops, loads and stores keep their WebAssembly opcode
 * (0x28..0xc4, 0x100..0x107); everything else gets an internal number from 0x120. Operands are frame-relative
 * slot numbers pre-multiplied by 2 (a slot is 8 bytes = two int32 halves), so the loop indexes its Int32Array
 * with `base + operand`.
 *
 * Layouts (operands after the opcode):
 *   unary  dst a          binary dst a b         load dst addr offset     store addr val offset
 */
export const enum X {
  MOV = 0x120, // dst src
  MOV_REF, // dst src
  CONST32, // dst v
  CONST64, // dst lo hi
  BR, // target
  BR_IF, // cond target
  BR_UNLESS, // cond target
  BR_TABLE, // idx n t0..tn
  RET, // src n
  RET0,
  RET1, // src
  CALL, // funcIndex argSlot
  CALL_INDIRECT, // sigId tableIndex idxSlot argSlot
  SELECT, // dst a b cond
  SELECT_REF, // dst a b cond
  GLOBAL_GET, // dst g
  GLOBAL_SET, // g src
  GLOBAL_GET_REF, // dst g
  GLOBAL_SET_REF, // g src
  TABLE_GET, // dst t idx
  TABLE_SET, // t idx val
  MEMORY_SIZE, // dst
  MEMORY_GROW, // dst delta
  REF_NULL, // dst
  REF_IS_NULL, // dst src
  REF_FUNC, // dst funcIndex
  MEMORY_INIT, // seg d s n
  DATA_DROP, // seg
  MEMORY_COPY, // d s n
  MEMORY_FILL, // d v n
  TABLE_INIT, // seg t d s n
  ELEM_DROP, // seg
  TABLE_COPY, // dt st d s n
  TABLE_GROW, // dst t init n
  TABLE_SIZE, // dst t
  TABLE_FILL, // t i v n
  UNREACHABLE,
  FUEL, // cost
  // Fused forms (peepholes in compile.ts)
  I32_ADD_IMM, // dst a imm            (i32.const k; i32.add / i32.sub)
  BR_IF_EQZ, // a target               (i32.eqz; br_if)
  BR_IF_EQ, // a b target              (i32.<cmp>; br_if) for each i32 comparison below
  BR_IF_NE,
  BR_IF_LT_S,
  BR_IF_LT_U,
  BR_IF_GT_S,
  BR_IF_GT_U,
  BR_IF_LE_S,
  BR_IF_LE_U,
  BR_IF_GE_S,
  BR_IF_GE_U,
  BR_LOOP, // target                  (br to a loop header: charges the header's FUEL, jumps past it)
  // i32 binary ops whose right operand is an i32.const (shift counts pre-masked): dst a imm
  I32_MUL_IMM,
  I32_AND_IMM,
  I32_OR_IMM,
  I32_XOR_IMM,
  I32_SHL_IMM,
  I32_SHR_S_IMM,
  I32_SHR_U_IMM,
  I32_ROTL_IMM,
  // i64 binary ops whose right operand is an i64.const: dst a lo hi
  I64_ADD_IMM,
  I64_MUL_IMM,
  I64_AND_IMM,
  I64_OR_IMM,
  I64_XOR_IMM,
  // loads whose address is (a << k), the shift folded in: dst a k offset
  I32_LOAD_SHL,
  F64_LOAD_SHL,
  // an operand computed by the op just before, folded in
  F64_ADD_MUL, // dst a x y            d = a + x * y   (f64.mul; f64.add, same rounding as the two ops)
  I32_ADD_SHL, // dst a x k            d = a + (x << k)
  I32_MUL_ADD, // dst x y a            d = x * y + a
  LAZY, // (at 0 of every module's code) compiles the current function and enters it
  // loads whose address is a + (x << k) (an I32_ADD_SHL feeding only the load): dst a x k offset
  I32_LOAD_ADD_SHL,
  F64_LOAD_ADD_SHL,
  // `br` to a loop whose header op is the test named: charges the header fuel, then runs the test at t: t
  BR_LOOP_EQZ,
  BR_LOOP_IF,
  BR_LOOP_UNLESS,
  BR_LOOP_EQ,
  BR_LOOP_NE,
  BR_LOOP_LT_S,
  BR_LOOP_LT_U,
  BR_LOOP_GT_S,
  BR_LOOP_GT_U,
  BR_LOOP_LE_S,
  BR_LOOP_LE_U,
  BR_LOOP_GE_S,
  BR_LOOP_GE_U,
  // `br_if` back to a loop header: a [b] t; when taken, charges the header fuel and jumps past it (to t)
  BR_IF_LOOP_EQZ,
  BR_IF_LOOP,
  BR_IF_LOOP_EQ,
  BR_IF_LOOP_NE,
  BR_IF_LOOP_LT_S,
  BR_IF_LOOP_LT_U,
  BR_IF_LOOP_GT_S,
  BR_IF_LOOP_GT_U,
  BR_IF_LOOP_LE_S,
  BR_IF_LOOP_LE_U,
  BR_IF_LOOP_GE_S,
  BR_IF_LOOP_GE_U,
  // chained fusions of an op into the one just before it
  I32_MUL_IMM_ADD_IMM, // dst a k1 k2      d = a * k1 + k2
  I32_XOR_SHR_U, // dst a x k              d = a ^ (x >>> k)
  I32_XOR_SHL, // dst a x k                d = a ^ (x << k)
  I32_ADD_ROTL, // dst a x n               d = a + rotl(x, n)   (n in 0..31)
  // an i32.add of a constant followed by a rotated back edge (BR_LOOP_GE_U / _GE_S): dst a k t
  I32_ADD_IMM_LOOP_GE_U,
  I32_ADD_IMM_LOOP_GE_S,
  // loads whose address is (p * q + r) << k (an I32_MUL_ADD then I32_SHL_IMM feeding only the load): dst p q r k offset
  I32_LOAD_MAD_SHL,
  F64_LOAD_MAD_SHL,
  // i32 comparisons with a constant, the constant on the right (mirrored when it was the left operand): dst a k;
  // in the order of their WebAssembly opcodes 0x46..0x4f (eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u)
  I32_EQ_IMM,
  I32_NE_IMM,
  I32_LT_S_IMM,
  I32_LT_U_IMM,
  I32_GT_S_IMM,
  I32_GT_U_IMM,
  I32_LE_S_IMM,
  I32_LE_U_IMM,
  I32_GE_S_IMM,
  I32_GE_U_IMM,
  // br_if / if on those: a k target (same order)
  BR_IF_EQ_IMM,
  BR_IF_NE_IMM,
  BR_IF_LT_S_IMM,
  BR_IF_LT_U_IMM,
  BR_IF_GT_S_IMM,
  BR_IF_GT_U_IMM,
  BR_IF_LE_S_IMM,
  BR_IF_LE_U_IMM,
  BR_IF_GE_S_IMM,
  BR_IF_GE_U_IMM,
  // br_if back to a loop header on those: a k t (taken: charges the header fuel, jumps past it)
  BR_IF_LOOP_EQ_IMM,
  BR_IF_LOOP_NE_IMM,
  BR_IF_LOOP_LT_S_IMM,
  BR_IF_LOOP_LT_U_IMM,
  BR_IF_LOOP_GT_S_IMM,
  BR_IF_LOOP_GT_U_IMM,
  BR_IF_LOOP_LE_S_IMM,
  BR_IF_LOOP_LE_U_IMM,
  BR_IF_LOOP_GE_S_IMM,
  BR_IF_LOOP_GE_U_IMM,
  // i32.store / store8 / store16 of an i32.const: addr k offset
  I32_STORE_IMM,
  I32_STORE8_IMM,
  I32_STORE16_IMM,
  // i64 shifts by an i64.const (count pre-masked to 0..63): dst a n; in the order shl shr_s shr_u
  I64_SHL_IMM,
  I64_SHR_S_IMM,
  I64_SHR_U_IMM,
  F64_MUL_ADD, // dst x y a              d = x * y + a   (f64.mul into the left operand of f64.add)
  I32_XOR_ROTL, // dst a x n             d = a ^ rotl(x, n)   (n in 0..31)
  // loads whose address is an i32.add computed just before into a temp only the load reads: ea = u32(a + k) +
  // offset (dst a k offset) or u32(a + b) + offset (dst a b offset); i32.load, f64.load, i32.load8_s, i32.load8_u
  I32_LOAD_ADD_IMM,
  F64_LOAD_ADD_IMM,
  I32_LOAD8_S_ADD_IMM,
  I32_LOAD8_U_ADD_IMM,
  I32_LOAD_ADD,
  F64_LOAD_ADD,
  I32_LOAD8_S_ADD,
  I32_LOAD8_U_ADD,
  // i64.xor of a constant shift computed just before into a temp only the xor reads: dst a x n
  I64_XOR_SHR_U_IMM, //                   d = a ^ (x >>> n)   (n in 0..63)
  I64_XOR_SHL_IMM, //                     d = a ^ (x << n)
  I32_SHL_ADD_IMM, // dst x k1 k2          d = (x << k1) + k2   (i32.shl by a constant, then add of a constant)
  // an i32.add of a constant (a loop step) right before a br_if back to a loop: the two ops in one dispatch;
  // dst x k, then the branch's own operands (its test may read any slot, dst included, after the add)
  ADD_IMM_BR_IF_LOOP, // dst x k a t
  ADD_IMM_BR_IF_LOOP_NE, // dst x k a b t
  ADD_IMM_BR_IF_LOOP_LT_U, // dst x k a b t
  ADD_IMM_BR_IF_LOOP_LT_S, // dst x k a b t
  ADD_IMM_BR_IF_LOOP_NE_IMM, // dst x k a k t
  ADD_IMM_BR_IF_LOOP_LT_U_IMM, // dst x k a k t
  ADD_IMM_BR_IF_LOOP_LT_S_IMM, // dst x k a k t
  // Two adjacent ops run by one dispatch (the pairs most frequent in compiled C, by bench/op-pairs.mjs). The
  // first op's operands, then the second op whole (its opcode word stays, so a branch to it still runs it
  // alone): A's operands, B's opcode, B's operands. Named A_B; set by pairOps in compile.ts.
  MOV_MOV, // MOV; MOV
  ADD_ADD, // i32.add; i32.add
  ADD_ADD_IMM, // i32.add; I32_ADD_IMM
  ADD_STORE8_IMM, // i32.add; I32_STORE8_IMM
  ADD_BR_IF_LOOP_LT_U_IMM, // i32.add; BR_IF_LOOP_LT_U_IMM
  ADD_IMM_LOAD_ADD_IMM, // I32_ADD_IMM; I32_LOAD_ADD_IMM
  ADD_IMM_ADD_IMM_BR_IF_LOOP_NE, // I32_ADD_IMM; ADD_IMM_BR_IF_LOOP_NE
  SHL_IMM_ADD_IMM, // I32_SHL_IMM; I32_ADD_IMM
  STORE8_ADD_IMM, // i32.store8; I32_ADD_IMM
  LOAD8_U_STORE8, // i32.load8_u; i32.store8
  ADD_LOAD_ADD_IMM, // i32.add; I32_LOAD_ADD_IMM
  LOAD_ADD_IMM_LOAD8_U_ADD_IMM, // I32_LOAD_ADD_IMM; I32_LOAD8_U_ADD_IMM
  LOAD8_U_ADD_IMM_BR_TABLE, // I32_LOAD8_U_ADD_IMM; BR_TABLE
  SHL_ADD_IMM_LOAD, // I32_SHL_ADD_IMM; i32.load
  F64_LOAD_ADD_IMM_F64_LOAD_ADD, // F64_LOAD_ADD_IMM; F64_LOAD_ADD
  F64_MUL_F64_LOAD, // f64.mul; f64.load
  F64_LOAD_F64_MUL_ADD, // f64.load; F64_MUL_ADD
  F64_ADD_ADD, // f64.add; i32.add
  ROTL_XOR_ROTL, // I32_ROTL_IMM; I32_XOR_ROTL
  AND_ADD, // i32.and; i32.add
  LOAD8_U_ADD_ADD, // I32_LOAD8_U_ADD; i32.add
  LOAD8_U_ADD_IMM_BR_IF_EQ, // I32_LOAD8_U_ADD_IMM; BR_IF_EQ
  ADD_IMM_BR_IF_GT_U_IMM, // I32_ADD_IMM; BR_IF_GT_U_IMM
  MOV_ADD_IMM_BR_IF_LOOP_LT_U, // MOV; ADD_IMM_BR_IF_LOOP_LT_U
  XOR_AND, // i32.xor; i32.and
  AND_XOR, // i32.and; i32.xor
  ADD_BR_IF_EQ_IMM, // i32.add; BR_IF_EQ_IMM
  LOAD_ADD_ADD_IMM, // I32_LOAD_ADD; I32_ADD_IMM
  AND_IMM_BR_IF_EQZ, // I32_AND_IMM; BR_IF_EQZ
  ADD_IMM_BR_IF_NE_IMM, // I32_ADD_IMM; BR_IF_NE_IMM
  LOAD8_U_ADD_BR_LOOP, // I32_LOAD8_U_ADD; BR_LOOP
  ADD_IMM_BR_LOOP, // I32_ADD_IMM; BR_LOOP
  // Pairs of pairs (a second pass over the pairs above, same rule: the inner opcode words stay)
  MOV4, // MOV_MOV; MOV_MOV
  ROTL_XOR_ROTL_XOR_ROTL, // ROTL_XOR_ROTL; I32_XOR_ROTL
  ROTL_XOR_ROTL_XOR_SHR_U, // ROTL_XOR_ROTL; I32_XOR_SHR_U
  ADD_STORE8_IMM_ADD_BR_IF_LOOP_LT_U_IMM, // ADD_STORE8_IMM; ADD_BR_IF_LOOP_LT_U_IMM
  // v128 (two slots, four int32 words); SIMD instructions themselves keep SIMD_BASE + sub-opcode (0x200..0x2ff)
  MOV_V128 = 0x300, // dst src
  SELECT_V128, // dst a b cond
  GLOBAL_GET_V128, // dst g
  GLOBAL_SET_V128, // g src
  V128_CONST, // dst w0 w1 w2 w3
}
