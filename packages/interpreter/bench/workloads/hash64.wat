;; FNV-1a 64 over a memory buffer, byte by byte, repeated: i64 multiply and loads.
(module
  (memory (export "memory") 2)
  (func $fill (param $len i32)
    (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 (local.get $i) (i32.mul (local.get $i) (i32.const 31)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top))))
  (func (export "run") (param $rounds i32) (result i64)
    (local $h i64) (local $i i32) (local $r i32) (local $len i32)
    (local.set $len (i32.const 65536))
    (call $fill (local.get $len))
    (local.set $h (i64.const 0xcbf29ce484222325))
    (block $outer
      (loop $round
        (br_if $outer (i32.ge_u (local.get $r) (local.get $rounds)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $top
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $h (i64.mul
              (i64.xor (local.get $h) (i64.load8_u (local.get $i)))
              (i64.const 0x100000001b3)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $top)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (local.get $h)))
