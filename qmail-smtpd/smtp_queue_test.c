/* qmail-smtpd/smtp_queue_test.c — qmail-queue exit status table. */
#include <string.h>
#include <sys/wait.h>
#include "../tests/check.h"
#include "smtp_queue.h"

static const char *t(int code, int err)
{
  return smtpq_status_text(code << 8, err);   /* W_EXITCODE(code, 0) */
}

int main(void)
{
  CHECK(!strcmp(t(0, 0), ""));
  CHECK(!strcmp(t(0, 1), "Zqq read error (#4.3.0)"));
  CHECK(!strcmp(t(11, 0), "Denvelope address too long for qq (#5.1.3)"));
  CHECK(!strcmp(t(115, 0), "Denvelope address too long for qq (#5.1.3)"));
  CHECK(!strcmp(t(31, 0), "Dmail server permanently rejected message (#5.3.0)"));
  CHECK(!strcmp(t(12, 0), "Dqq permanent problem (#5.3.0)"));
  CHECK(!strcmp(t(40, 0), "Dqq permanent problem (#5.3.0)"));
  CHECK(!strcmp(t(41, 0), "Zqq temporary problem (#4.3.0)"));
  CHECK(!strcmp(t(53, 0), "Zqq write error or disk full (#4.3.0)"));
  CHECK(!strcmp(t(64, 0), "Zqq trouble creating files in queue (#4.3.0)"));
  CHECK(!strcmp(t(71, 0), "Zmail server temporarily rejected message (#4.3.0)"));
  CHECK(!strcmp(t(74, 0), "Zcommunication with mail server failed (#4.4.2)"));
  CHECK(!strcmp(t(91, 0), "Zqq internal bug (#4.3.0)"));
  CHECK(!strcmp(t(120, 0), "Zunable to exec qq (#4.3.0)"));
  CHECK(!strcmp(t(1, 0), "Zqq temporary problem (#4.3.0)"));
  CHECK(!strcmp(smtpq_status_text(9, 0), "Zqq crashed (#4.3.0)"));   /* SIGKILL */
  return check_done();
}
