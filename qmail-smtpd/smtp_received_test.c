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
  s.len = 0;
  CHECK(smtprcvd_protocol(&s, 0, 0));
  CHECK_SA(s, "SMTP");
  s.len = 0;
  CHECK(smtprcvd_protocol(&s, 0, 1));
  CHECK_SA(s, "ESMTPA");
  s.len = 0;
  CHECK(smtprcvd_protocol(&s, "TLS_AES_256_GCM_SHA384", 0));
  CHECK_SA(s, "ESMTPS (TLS_AES_256_GCM_SHA384 encrypted)");
  s.len = 0;
  CHECK(smtprcvd_protocol(&s, "ECDHE-RSA-AES256-GCM-SHA384", 1));
  CHECK_SA(s, "ESMTPSA (ECDHE-RSA-AES256-GCM-SHA384 encrypted, authenticated)");
  s.len = 0;
  CHECK(smtprcvd_protocol(&s, "a;b)\n", 1));
  CHECK_SA(s, "ESMTPSA (a?b?? encrypted, authenticated)");
  stralloc_free(&s);
  return check_done();
}
