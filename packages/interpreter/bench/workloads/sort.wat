;; Quicksort (Hoare partition, recursive) over an i32 array filled by an LCG; returns a checksum that also
;; proves the result is sorted (-1 if not).
(module
  (memory (export "memory") 16)
  (func $qsort (param $lo i32) (param $hi i32)
    (local $i i32) (local $j i32) (local $p i32) (local $t i32)
    (if (i32.ge_s (local.get $lo) (local.get $hi)) (then (return)))
    (local.set $p (i32.load (i32.shl (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)) (i32.const 2))))
    (local.set $i (i32.sub (local.get $lo) (i32.const 1)))
    (local.set $j (i32.add (local.get $hi) (i32.const 1)))
    (block $done (loop $part
      (loop $li
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $li (i32.lt_s (i32.load (i32.shl (local.get $i) (i32.const 2))) (local.get $p))))
      (loop $lj
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br_if $lj (i32.gt_s (i32.load (i32.shl (local.get $j) (i32.const 2))) (local.get $p))))
      (br_if $done (i32.ge_s (local.get $i) (local.get $j)))
      (local.set $t (i32.load (i32.shl (local.get $i) (i32.const 2))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.load (i32.shl (local.get $j) (i32.const 2))))
      (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $t))
      (br $part)))
    (call $qsort (local.get $lo) (local.get $j))
    (call $qsort (i32.add (local.get $j) (i32.const 1)) (local.get $hi)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32) (local $sum i32)
    (local.set $x (i32.const 7))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.shr_s (local.get $x) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (call $qsort (i32.const 0) (i32.sub (local.get $n) (i32.const 1)))
    (local.set $i (i32.const 1))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.gt_s (i32.load (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))
                    (i32.load (i32.shl (local.get $i) (i32.const 2))))
        (then (return (i32.const -1))))
      (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 31)) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2)))
    (local.get $sum)))
