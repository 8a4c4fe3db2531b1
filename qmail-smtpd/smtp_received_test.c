/* qmail-smtpd/smtp_received_test.c — the Received: line, byte for byte. */
#include "../tests/check.h"
#include "smtp_received.h"

int main(void)
{
  stralloc s = {0};
  CHECK(smtprcvd_line(&s, "mx.example", "bare", 0, "192.0.2.7", "mail.local",
                      "SMTP", (time_t)812090814));
  CHECK_SA(s, "Received: from mx.example (HELO bare) (192.0.2.7)\n"
              "  by mail.local with SMTP; 26 Sep 1995 04:46:54 -0000\n");
  s.len = 0;
  CHECK(smtprcvd_line(&s, "unknown", 0, "joe", "::1", "[::1]", "SMTP", (time_t)1704067200));
  CHECK_SA(s, "Received: from unknown (joe@::1)\n  by [::1] with SMTP; 1 Jan 2024 00:00:00 -0000\n");
  s.len = 0;
  CHECK(smtprcvd_line(&s, "h", "a b\r\nX-Evil: 1(\xff)", 0, "1.2.3.4", "l", "SMTP", 0));
  CHECK_SA(s, "Received: from h (HELO a?b??X-Evil:?1??" "?) (1.2.3.4)\n  by l with SMTP; 1 Jan 1970 00:00:00 -0000\n");
  stralloc_free(&s);
  return check_done();
}
