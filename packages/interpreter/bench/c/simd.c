// Image/signal-style kernel written as plain loops, built twice: scalar and with -msimd128 (clang's
// auto-vectorizer then emits v128 code). Per round: an 8-bit alpha blend of two images, a sum of absolute
// differences (block matching, as in video codecs), an f32 multiply-add filter and an i16 dot product.
#define N 16384
static unsigned char X[N], Y[N], Z[N];
static float F[N], G[N];
static short P[N], Q[N];

static void init(void) {
  unsigned s = 12345;
  for (int i = 0; i < N; i++) {
    s = s * 1103515245u + 12345u;
    X[i] = (unsigned char)(s >> 16);
    Y[i] = (unsigned char)(s >> 24);
    F[i] = (float)(int)(s >> 20) * 0.001f;
    G[i] = 0.5f;
    P[i] = (short)(s >> 8);
    Q[i] = (short)(s >> 12);
  }
}

unsigned run(unsigned rounds) {
  init();
  unsigned acc = 0;
  for (unsigned r = 0; r < rounds; r++) {
    unsigned char a = (unsigned char)(r * 37 + 11);
    for (int i = 0; i < N; i++) Z[i] = (unsigned char)((X[i] * a + Y[i] * (255 - a)) >> 8);
    unsigned sad = 0;
    for (int i = 0; i < N; i++) {
      int d = Z[i] - X[i];
      sad += (unsigned)(d < 0 ? -d : d);
    }
    for (int i = 0; i < N; i++) G[i] = G[i] * 0.75f + F[i] * 0.25f;
    int dot = 0;
    for (int i = 0; i < N; i++) dot += P[i] * Q[i];
    acc = acc * 31 + sad + (unsigned)dot + (unsigned)(int)G[r & (N - 1)];
  }
  return acc;
}
