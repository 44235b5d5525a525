;; Integer ALU loop: LCG + xorshift + rotates, all in locals. Measures the dispatch loop and i32 ops.
(module
  (func (export "run") (param $n i32) (result i32)
    (local $x i32) (local $y i32) (local $i i32)
    (local.set $x (i32.const 12345))
    (local.set $y (i32.const 0x9e3779b9))
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
        (local.set $y (i32.xor (local.get $y) (i32.shr_u (local.get $x) (i32.const 13))))
        (local.set $y (i32.add (i32.rotl (local.get $y) (i32.const 5)) (local.get $x)))
        (local.set $y (i32.sub (local.get $y) (i32.and (local.get $x) (i32.const 0xff))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (i32.xor (local.get $x) (local.get $y))))
