/* fuzz/pop3_msg.c — pop3_msg's converter: the input (after two control
 * bytes) is a stored message fed in slices of varying size. Asserts that
 * counting alone gives the same octets as converting, that the output
 * minus stuffing dots has exactly that many octets, that every LF is
 * preceded by CR, and that TOP's output is a prefix of RETR's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../pop3/pop3_msg.h"

static size_t convert(const uint8_t *d, size_t n, int top, unsigned long lines,
                      char *out, unsigned long long *octets, unsigned step0)
{
  struct pop3xf x;
  size_t off = 0, len = 0, step = step0 % 13 + 1;
  pop3xf_init(&x, top, lines);
  while (off < n) {
    size_t k = n - off < step ? n - off : step;
    len += pop3xf_feed(&x, (const char *)d + off, k, out ? out + len : 0);
    off += k;
    step = step * 7 % 31 + 1;
  }
  len += pop3xf_end(&x, out ? out + len : 0);
  *octets = x.octets;
  return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  unsigned long long o1, o2, o3;
  size_t n, len, tlen, i, dots = 0;
  char *out, *tout;
  if (size < 2) return 0;
  n = size - 2;
  out = malloc(2 * n + 4);
  tout = malloc(2 * n + 4);
  if (!out || !tout) abort();
  len = convert(data + 2, n, 0, 0, out, &o1, data[0]);
  (void)convert(data + 2, n, 0, 0, 0, &o2, data[1]);
  if (o1 != o2 || len > 2 * n + 2) abort();
  for (i = 0; i < len; ++i) {
    if ((i == 0 || out[i - 1] == '\n') && out[i] == '.') ++dots;
    if (out[i] == '\n' && (i == 0 || out[i - 1] != '\r')) abort();
  }
  if (len - dots != o1) abort();
  if (len && out[len - 1] != '\n') abort();
  tlen = convert(data + 2, n, 1, data[1] % 8, tout, &o3, data[0]);
  if (tlen > len || memcmp(tout, out, tlen) || o3 > o1) abort();
  free(out);
  free(tout);
  return 0;
}
