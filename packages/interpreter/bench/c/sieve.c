// Sieve of Eratosthenes over a byte array, repeated `rounds` times: byte loads/stores, nested loops.
#define N 200000
static unsigned char flags[N];
unsigned run(unsigned rounds) {
  unsigned count = 0;
  for (unsigned r = 0; r < rounds; r++) {
    for (unsigned i = 0; i < N; i++) flags[i] = 1;
    count = 0;
    for (unsigned i = 2; i < N; i++) {
      if (flags[i]) {
        count++;
        for (unsigned j = i + i; j < N; j += i) flags[j] = 0;
      }
    }
  }
  return count;
}
