/*
 * wasi-c: a small wasm32-wasi command for the Fayger WASI subset.
 *
 *   wasi-c <file>       e.g. wasi-c /data/input.txt   (the file must be under a preopened directory)
 *
 * Prints "<lines> <words> <bytes> <file>" to stdout, like wc. When the WC_LABEL environment variable is
 * set (the env capability is optional: without it the guest simply sees no variables), the line is
 * prefixed with "<label>: ". Exit codes: 0 success, 1 usage, 2 the file cannot be opened (denied, not
 * found: the reason goes to stderr), 3 a read error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: wasi-c <file>\n");
    return 1;
  }
  const char *path = argv[1];
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "wasi-c: cannot open %s: %s\n", path, strerror(errno));
    return 2;
  }

  unsigned long lines = 0, words = 0, bytes = 0;
  int in_word = 0;
  unsigned char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    for (size_t i = 0; i < n; i++) {
      unsigned char c = buf[i];
      if (c == '\n') lines++;
      if (isspace(c)) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        words++;
      }
    }
    bytes += n;
  }
  if (ferror(f)) {
    fprintf(stderr, "wasi-c: error reading %s: %s\n", path, strerror(errno));
    fclose(f);
    return 3;
  }
  fclose(f);

  const char *label = getenv("WC_LABEL");
  if (label != NULL && label[0] != '\0') printf("%s: ", label);
  printf("%lu %lu %lu %s\n", lines, words, bytes, path);
  return 0;
}
