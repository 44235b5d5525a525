;; Dense f64 matrix multiply C = A x B (n x n, row-major in memory); returns the bits of sum(C).
(module
  (memory (export "memory") 16)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32) (local $a i32) (local $b i32) (local $c i32)
    (local $acc f64) (local $sum f64) (local $nn i32)
    (local.set $nn (i32.mul (local.get $n) (local.get $n)))
    (local.set $b (i32.mul (local.get $nn) (i32.const 8)))
    (local.set $c (i32.mul (local.get $nn) (i32.const 16)))
    ;; A[i] = (i % 17) * 0.25, B[i] = (i % 13) - 6
    (local.set $i (i32.const 0))
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (local.get $i) (local.get $nn)))
      (f64.store (i32.shl (local.get $i) (i32.const 3))
        (f64.mul (f64.convert_i32_u (i32.rem_u (local.get $i) (i32.const 17))) (f64.const 0.25)))
      (f64.store (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))
        (f64.sub (f64.convert_i32_u (i32.rem_u (local.get $i) (i32.const 13))) (f64.const 6)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l0)))
    (local.set $i (i32.const 0))
    (block $di (loop $li
      (br_if $di (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $dj (loop $lj
        (br_if $dj (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $acc (f64.const 0))
        (local.set $k (i32.const 0))
        (block $dk (loop $lk
          (br_if $dk (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (f64.add (local.get $acc)
            (f64.mul
              (f64.load (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3)))
              (f64.load (i32.add (local.get $b)
                (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $lk)))
        (f64.store (i32.add (local.get $c)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))) (local.get $acc))
        (local.set $sum (f64.add (local.get $sum) (local.get $acc)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li)))
    (i64.reinterpret_f64 (local.get $sum))))
