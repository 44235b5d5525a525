;; The guest calls a synchronous host import in a loop: measures the host<->guest boundary cost.
(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $acc i32) (local $i i32)
    (block $done (loop $top
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $h (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $top)))
    (local.get $acc)))
