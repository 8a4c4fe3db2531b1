/* qmail-newmrh — compile QMAILDIR/control/morercpthosts into
 * morercpthosts.cdb, as qmail's qmail-newmrh does. */
#include <errno.h>
#include <string.h>
#include "log.h"
#include "qmailctl.h"

int main(void)
{
  log_init("qmail-newmrh");
  if (qctl_newmrh() < 0) {
    log_event("fatal", "unable-to-write", "file", "control/morercpthosts.cdb",
              "error", strerror(errno), (char *)0);
    return 111;
  }
  return 0;
}
