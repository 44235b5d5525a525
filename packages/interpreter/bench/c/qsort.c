// Generic quicksort (qsort-style, element size and comparator passed in): every comparison is a
// call_indirect through the function table.
typedef int (*cmp_fn)(const void *, const void *);
#define N 200000
static int data[N];
static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static void swap(char *a, char *b, unsigned size) { while (size--) { char t = *a; *a++ = *b; *b++ = t; } }
__attribute__((noinline)) static void sort(char *base, unsigned n, unsigned size, cmp_fn cmp) {
  while (n > 1) {
    char *pivot = base + (n / 2) * size;
    swap(pivot, base + (n - 1) * size, size);
    pivot = base + (n - 1) * size;
    unsigned store = 0;
    for (unsigned i = 0; i + 1 < n; i++)
      if (cmp(base + i * size, pivot) < 0) { swap(base + i * size, base + store * size, size); store++; }
    swap(base + store * size, pivot, size);
    if (store < n - store - 1) { sort(base, store, size, cmp); base += (store + 1) * size; n -= store + 1; }
    else { sort(base + (store + 1) * size, n - store - 1, size, cmp); n = store; }
  }
}
static volatile cmp_fn pick[2] = {cmp_int, cmp_int_desc};
unsigned run(unsigned n) {
  if (n > N) n = N;
  unsigned x = 12345;
  for (unsigned i = 0; i < n; i++) { x = x * 1103515245u + 12345u; data[i] = (int)(x >> 1); }
  sort((char *)data, n, sizeof(int), pick[n & 1]);
  unsigned h = 0;
  for (unsigned i = 0; i < n; i++) h = h * 31 + (unsigned)data[i];
  return h;
}
