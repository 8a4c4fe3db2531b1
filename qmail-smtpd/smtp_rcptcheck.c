/* qmail-smtpd/smtp_rcptcheck.c — recipient validation hook (see
 * smtp_rcptcheck.h). No store is read here: see the man page for why
 * the network-facing process cannot read vpasswd. */
#include "smtp_rcptcheck.h"

int smtprcpt_accept_all(void *ctx, const char *addr, size_t len)
{
  (void)ctx; (void)addr; (void)len;
  return SMTPRCPT_OK;
}
