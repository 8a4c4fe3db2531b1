/* vdeliver/qqenv.c — qmail-queue envelope parser (see qqenv.h).
 *
 * SECURITY: the envelope comes from qmail-smtpd or any local user that
 * runs qmail-queue (it is setuid): every field is bounded (address
 * length, recipient count), the parser never reads past len, and a
 * malformed envelope is rejected whole, so nothing is delivered. */
#include "byte.h"
#include "qqenv.h"
#include "sa.h"

void qqenv_free(struct qqenv *e)
{
  stralloc_free(&e->sender);
  stralloc_free(&e->rcpts);
  e->nrcpt = e->used = 0;
}

int qqenv_parse(struct qqenv *e, const char *buf, size_t len)
{
  size_t i = 0, end;
  e->sender.len = 0;
  e->rcpts.len = 0;
  e->nrcpt = 0;
  e->used = 0;
  if (!len) return QQENV_MORE;
  if (buf[0] != 'F') return QQENV_BAD;
  end = 1 + byte_chr(buf + 1, len - 1, '\0');
  if (end - 1 > QQENV_ADDR_MAX) return QQENV_TOOLONG;
  if (end == len) return QQENV_MORE;
  if (!stralloc_copyb(&e->sender, buf + 1, end - 1) || !sa_cstr(&e->sender)) return QQENV_NOMEM;
  i = end + 1;
  for (;;) {
    if (i >= len) return QQENV_MORE;
    if (buf[i] == '\0') { e->used = i + 1; return QQENV_OK; }
    if (buf[i] != 'T') return QQENV_BAD;
    end = i + 1 + byte_chr(buf + i + 1, len - i - 1, '\0');
    if (end - i - 1 > QQENV_ADDR_MAX) return QQENV_TOOLONG;
    if (end == len) return QQENV_MORE;
    if (e->nrcpt == QQENV_RCPT_MAX) return QQENV_TOOMANY;
    if (!stralloc_catb(&e->rcpts, buf + i + 1, end - i - 1) ||
        !stralloc_append(&e->rcpts, "")) return QQENV_NOMEM;
    ++e->nrcpt;
    i = end + 1;
  }
}
