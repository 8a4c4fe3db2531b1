/* qmail-smtpd/smtp_received.c — the Received: line (see smtp_received.h).
 *
 * SECURITY: the HELO argument, TCPREMOTEHOST and TCPREMOTEINFO come
 * from the client or its DNS; every byte outside a small safe set is
 * replaced, so no field can break the header or start a new one. */
#include <string.h>
#include "sa.h"
#include "smtp_received.h"

static int safe(char c)
{
  if (c >= 'a' && c <= 'z') return 1;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c >= '0' && c <= '9') return 1;
  return c && strchr(".@%+/=:-[]", c) != 0;
}

static int safeput(stralloc *out, const char *s)
{
  for (; *s; ++s) {
    char c = safe(*s) ? *s : '?';
    if (!stralloc_append(out, &c)) return 0;
  }
  return 1;
}

static int cat2(stralloc *out, unsigned long n)
{
  char b[2];
  b[0] = (char)('0' + n / 10 % 10);
  b[1] = (char)('0' + n % 10);
  return stralloc_catb(out, b, 2);
}

int smtprcvd_date(stralloc *out, time_t when)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  struct tm tm;
  if (!gmtime_r(&when, &tm)) { memset(&tm, 0, sizeof tm); tm.tm_year = 70; tm.tm_mday = 1; }
  return sa_catulong(out, (unsigned long)tm.tm_mday)
      && stralloc_cats(out, " ")
      && stralloc_catb(out, months + 3 * tm.tm_mon, 3)
      && stralloc_cats(out, " ")
      && sa_catulong(out, (unsigned long)tm.tm_year + 1900)
      && stralloc_cats(out, " ")
      && cat2(out, (unsigned long)tm.tm_hour)
      && stralloc_cats(out, ":")
      && cat2(out, (unsigned long)tm.tm_min)
      && stralloc_cats(out, ":")
      && cat2(out, (unsigned long)tm.tm_sec)
      && stralloc_cats(out, " -0000");
}

/* OpenSSL cipher names use '_' too (TLS_AES_256_GCM_SHA384). */
static int safecipher(stralloc *out, const char *s)
{
  for (; *s; ++s) {
    char c = (safe(*s) || *s == '_') && *s != '[' && *s != ']' ? *s : '?';
    if (!stralloc_append(out, &c)) return 0;
  }
  return 1;
}

int smtprcvd_protocol(stralloc *out, const char *cipher, int authenticated)
{
  if (!cipher) return stralloc_cats(out, authenticated ? "ESMTPA" : "SMTP");
  return stralloc_cats(out, authenticated ? "ESMTPSA (" : "ESMTPS (")
      && safecipher(out, *cipher ? cipher : "unknown")
      && stralloc_cats(out, authenticated ? " encrypted, authenticated)" : " encrypted)");
}

int smtprcvd_line(stralloc *out, const char *remotehost, const char *helo,
                  const char *remoteinfo, const char *remoteip,
                  const char *local, const char *protocol, time_t when)
{
  if (!stralloc_cats(out, "Received: from ") || !safeput(out, remotehost)) return 0;
  if (helo)
    if (!stralloc_cats(out, " (HELO ") || !safeput(out, helo) || !stralloc_cats(out, ")")) return 0;
  if (!stralloc_cats(out, " (")) return 0;
  if (remoteinfo)
    if (!safeput(out, remoteinfo) || !stralloc_cats(out, "@")) return 0;
  return safeput(out, remoteip)
      && stralloc_cats(out, ")\n  by ")
      && safeput(out, local)
      && stralloc_cats(out, " with ")
      && stralloc_cats(out, protocol)
      && stralloc_cats(out, "; ")
      && smtprcvd_date(out, when)
      && stralloc_cats(out, "\n");
}
