// A small real program: LZ77 compression with a hash-chain match finder, then decompression and a
// checksum of the round trip, over `kb` KiB of generated text-like data.
typedef unsigned char u8;
#define MAXN (256 * 1024)
#define HBITS 14
static u8 src[MAXN], out[MAXN + MAXN / 8 + 64], back[MAXN];
static int head[1 << HBITS], prev[MAXN];
static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "and ", "runs ", "away, ", "again. "};
static unsigned hash3(const u8 *p) { return ((unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2]) * 2654435761u >> (32 - HBITS); }
static unsigned compress(const u8 *in, unsigned n, u8 *o) {
  for (int i = 0; i < (1 << HBITS); i++) head[i] = -1;
  unsigned op = 0, i = 0;
  while (i < n) {
    unsigned best = 0, dist = 0;
    if (i + 3 <= n) {
      unsigned h = hash3(in + i);
      int c = head[h], tries = 16;
      while (c >= 0 && tries-- > 0 && i - (unsigned)c < 65535) {
        unsigned l = 0;
        while (i + l < n && l < 258 && in[c + l] == in[i + l]) l++;
        if (l > best) { best = l; dist = i - (unsigned)c; }
        c = prev[c];
      }
      prev[i] = head[h]; head[h] = (int)i;
    }
    if (best >= 4) {
      o[op++] = 1; o[op++] = (u8)(best - 4); o[op++] = (u8)dist; o[op++] = (u8)(dist >> 8);
      for (unsigned k = 1; k < best && i + k + 3 <= n; k++) { unsigned h = hash3(in + i + k); prev[i + k] = head[h]; head[h] = (int)(i + k); }
      i += best;
    } else {
      o[op++] = 0; o[op++] = in[i++];
    }
  }
  return op;
}
static unsigned decompress(const u8 *c, unsigned n, u8 *o) {
  unsigned ip = 0, op = 0;
  while (ip < n) {
    if (c[ip] == 0) { o[op++] = c[ip + 1]; ip += 2; }
    else { unsigned l = c[ip + 1] + 4u, d = c[ip + 2] | (unsigned)c[ip + 3] << 8; ip += 4; for (unsigned k = 0; k < l; k++, op++) o[op] = o[op - d]; }
  }
  return op;
}
unsigned run(unsigned kb) {
  unsigned n = kb * 1024;
  if (n > MAXN) n = MAXN;
  unsigned x = 7, p = 0;
  while (p < n) {
    x = x * 1103515245u + 12345u;
    const char *w = words[(x >> 16) % 12];
    while (*w && p < n) src[p++] = (u8)*w++;
  }
  unsigned clen = compress(src, n, out);
  unsigned dlen = decompress(out, clen, back);
  unsigned h = clen * 31 + dlen;
  for (unsigned i = 0; i < dlen; i++) h = (h ^ back[i]) * 16777619u;
  return h;
}
