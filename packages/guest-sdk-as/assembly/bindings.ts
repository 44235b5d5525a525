// Raw imports of the `fayger` module (docs/abi.md, guest ABI v1). Pointers are offsets into this module's
// exported `memory`; strings are UTF-8 without a terminator. Prefer the typed wrappers in the other files.

@external("fayger", "call")
export declare function fayger_call(opPtr: usize, opLen: i32, argsPtr: usize, argsLen: i32): i32;

@external("fayger", "result_len")
export declare function fayger_result_len(): i32;

@external("fayger", "result_read")
export declare function fayger_result_read(ptr: usize, cap: i32): i32;

@external("fayger", "blob_len")
export declare function fayger_blob_len(index: i32): i32;

@external("fayger", "blob_read")
export declare function fayger_blob_read(index: i32, ptr: usize, cap: i32): i32;

@external("fayger", "log")
export declare function fayger_log(level: i32, ptr: usize, len: i32): i32;

@external("fayger", "clock_now")
export declare function fayger_clock_now(clock: i32): f64;

@external("fayger", "random_fill")
export declare function fayger_random_fill(ptr: usize, len: i32): i32;

@external("fayger", "sleep_ms")
export declare function fayger_sleep_ms(ms: f64): i32;

@external("fayger", "exit")
export declare function fayger_exit(code: i32): void;

@external("fayger", "has_capability")
export declare function fayger_has_capability(namePtr: usize, nameLen: i32): i32;
