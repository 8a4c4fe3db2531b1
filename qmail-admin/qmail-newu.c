/* qmail-newu — compile QMAILDIR/users/assign into users/cdb, as qmail's
 * qmail-newu does (same records, same refusal of a malformed file). */
#include <errno.h>
#include <string.h>
#include "assign.h"
#include "log.h"

int main(void)
{
  log_init("qmail-newu");
  if (assign_newu() < 0) {
    log_event("fatal", errno == EINVAL ? "unable-to-parse" : "unable-to-write",
              "file", "users/assign", "error", strerror(errno), (char *)0);
    return 111;
  }
  return 0;
}
