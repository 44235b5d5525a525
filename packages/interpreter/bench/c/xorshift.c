// xorshift64* PRNG: i64 shifts, xors and multiplies in a tight loop.
unsigned long long run(unsigned n) {
  unsigned long long x = 88172645463325252ULL, acc = 0;
  for (unsigned i = 0; i < n; i++) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    acc += x * 0x2545F4914F6CDD1DULL;
  }
  return acc;
}
