// Recursive Fibonacci: call-heavy, shallow stack.
__attribute__((noinline)) static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
unsigned run(unsigned n) { return fib(n); }
