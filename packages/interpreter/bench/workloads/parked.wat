;; A small guest parked in an async host import (as a sleeping guest is): one page of memory, a table, a
;; global, and a call waiting on the host's promise.
(module
  (import "env" "sleep" (func $sleep (param i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (global $g (mut i32) (i32.const 0))
  (func $a (result i32) (global.get $g))
  (elem (i32.const 0) $a)
  (func (export "run") (param $n i32) (result i32) (call $sleep (local.get $n)) (call $a))
  (data (i32.const 16) "parked instance"))
