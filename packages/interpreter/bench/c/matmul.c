// f64 matrix multiply, C = A * B over n x n (n <= 200), A and B filled from the indices.
#define M 200
static double A[M * M], B[M * M], C[M * M];
double run(unsigned n) {
  if (n > M) n = M;
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) {
      A[i * n + j] = (double)(i + j) * 0.5;
      B[i * n + j] = (double)(i * 3 + j) / (double)(j + 1);
    }
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++) {
      double s = 0;
      for (unsigned k = 0; k < n; k++) s += A[i * n + k] * B[k * n + j];
      C[i * n + j] = s;
    }
  double t = 0;
  for (unsigned i = 0; i < n * n; i++) t += C[i];
  return t;
}
