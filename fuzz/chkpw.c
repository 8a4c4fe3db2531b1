/* fuzz/chkpw.c — vchkpw's input splitter, and login splitter on
 * arbitrary bytes (the fd 3 record comes from the network). */
#include <stdint.h>
#include <string.h>
#include "../vchkpw/chkpw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct chkpw_creds c;
  stralloc u = {0}, d = {0};
  const char *buf = (const char *)data;
  int r, pr;

  if (size > CHKPW_INPUT_MAX) size = CHKPW_INPUT_MAX;
  pr = chkpw_parse_input(&c, buf, size);
  if (pr == CHKPW_OK || pr == CHKPW_NOPASS) {
    if (c.login != buf || c.loginlen >= size || buf[c.loginlen] != '\0') __builtin_trap();
    if (memchr(c.login, 0, c.loginlen)) __builtin_trap();
    r = chkpw_split_login(&u, &d, c.login, c.loginlen);
    if (r == 0) {
      size_t i;
      if (!u.len || u.s[u.len] != '\0' || d.s[d.len] != '\0') __builtin_trap();
      for (i = 0; i < u.len; ++i)
        if ((unsigned char)u.s[i] < 0x21 || u.s[i] == ':') __builtin_trap();
      for (i = 0; i < d.len; ++i)
        if (d.s[i] == '/' || d.s[i] == '@' || (d.s[i] >= 'A' && d.s[i] <= 'Z')) __builtin_trap();
    }
  }
  if (pr == CHKPW_OK && (c.passlen == 0 || c.pass + c.passlen > buf + size)) __builtin_trap();
  stralloc_free(&u);
  stralloc_free(&d);
  return 0;
}
