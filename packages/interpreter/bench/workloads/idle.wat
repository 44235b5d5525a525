;; A typical small guest held idle: one page of memory, a table, globals and a few functions.
(module
  (memory (export "memory") 1)
  (table 4 funcref)
  (global $g (mut i32) (i32.const 0))
  (func $a (result i32) (global.get $g))
  (func $b (param i32) (global.set $g (local.get 0)))
  (elem (i32.const 0) $a $b)
  (func (export "run") (param $n i32) (result i32) (call $b (local.get $n)) (call $a))
  (data (i32.const 16) "idle instance"))
