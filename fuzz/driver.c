/* fuzz/driver.c — replays files through a libFuzzer-style target.
 *
 * Every fuzz target defines LLVMFuzzerTestOneInput(); linked with this
 * driver it runs each file named on the command line once, so the seed
 * corpus is an ordinary test in `make check` (and runs under ASan+UBSan
 * in CI). `make fuzz` links the same targets with -fsanitize=fuzzer
 * instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
  int i;
  for (i = 1; i < argc; ++i) {
    FILE *f = fopen(argv[i], "rb");
    unsigned char *buf;
    long len;
    if (!f) { perror(argv[i]); return 111; }
    if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
      perror(argv[i]); return 111;
    }
    buf = malloc(len ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
      perror(argv[i]); return 111;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)len);
    free(buf);
  }
  printf("%d inputs replayed\n", argc - 1);
  return 0;
}
