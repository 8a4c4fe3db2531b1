/* lib/verror_test.c — vpopmail's texts, which scripts match on. */
#include "../tests/check.h"
#include "verror.h"

int main(void)
{
  CHECK(!strcmp(verror_text(VA_DOMAIN_ALREADY_EXISTS), "Domain already exists"));
  CHECK(!strcmp(verror_text(VA_USER_DOES_NOT_EXIST), "User does not exist"));
  CHECK(!strcmp(verror_text(VA_ILLEGAL_USERNAME), "Illegal username"));
  CHECK(!strcmp(verror_text(VA_CANNOT_DELETE_CATCHALL), "can't delete catchall account"));
  CHECK(!strcmp(verror_text(-21), "Unknown error"));
  CHECK(!strcmp(verror_text(-40), "Unknown error"));
  CHECK((256 + VA_DOMAIN_ALREADY_EXISTS) == 243);
  return check_done();
}
