/* lib/verror.c — the texts of vpopmail's VA_* codes, word for word, since
 * scripts match on them. */
#include "verror.h"

static const struct {
  int code;
  const char *text;
} verror_table[] = {
  { VA_SUCCESS, "Success" },
  { VA_ILLEGAL_USERNAME, "Illegal username" },
  { VA_USERNAME_EXISTS, "Username exists" },
  { VA_BAD_DIR, "Unable to chdir to vpopmail directory" },
  { VA_BAD_U_DIR, "Unable to chdir to vpopmail/users directory" },
  { VA_BAD_D_DIR, "Unable to chdir to vpopmail/domains directory" },
  { VA_BAD_V_DIR, "Unable to chdir to vpopmail/domains/domain directory" },
  { VA_EXIST_U_DIR, "User's directory already exists" },
  { VA_BAD_U_DIR2, "Unable to chdir to user's directory" },
  { VA_SUBDIR_CREATION, "Creation of user's subdirectories failed" },
  { VA_USER_DOES_NOT_EXIST, "User does not exist" },
  { VA_DOMAIN_DOES_NOT_EXIST, "Domain does not exist" },
  { VA_INVALID_DOMAIN_NAME, "Invalid domain name" },
  { VA_DOMAIN_ALREADY_EXISTS, "Domain already exists" },
  { VA_COULD_NOT_MAKE_DOMAIN_DIR, "Could not make domain dir" },
  { VA_COULD_NOT_OPEN_QMAIL_DEFAULT, "Could not open qmail default" },
  { VA_CAN_NOT_MAKE_DOMAINS_DIR, "Can not make domains directory" },
  { VA_COULD_NOT_UPDATE_FILE, "Could not update file" },
  { VA_CRYPT_FAILED, "Crypt failed" },
  { VA_COULD_NOT_OPEN_DOT_QMAIL, "Could not open dot qmail file" },
  { VA_BAD_CHAR, "bad character" },
  { VA_BAD_UID, "running as invalid uid" },
  { VA_NO_AUTH_CONNECTION, "no authentication database connection" },
  { VA_MEMORY_ALLOC_ERR, "memory allocation error" },
  { VA_USER_NAME_TOO_LONG, "user name too long" },
  { VA_DOMAIN_NAME_TOO_LONG, "domain name too long" },
  { VA_PASSWD_TOO_LONG, "password too long" },
  { VA_GECOS_TOO_LONG, "gecos too long" },
  { VA_QUOTA_TOO_LONG, "quota too long" },
  { VA_DIR_TOO_LONG, "dir too long" },
  { VA_CLEAR_PASSWD_TOO_LONG, "clear password too long" },
  { VA_ALIAS_LINE_TOO_LONG, "alias line too long" },
  { VA_NULL_POINTER, "null pointer" },
  { VA_INVALID_EMAIL_CHAR, "invalid email character" },
  { VA_PARSE_ERROR, "parsing database configuration file" },
  { VA_CANNOT_READ_LIMITS, "can't read domain limits" },
  { VA_CANNOT_READ_ASSIGN, "can't read users/assign file" },
  { VA_PARSE_ERROR01, "error parsing database configuration file - update server" },
  { VA_PARSE_ERROR02, "error parsing database configuration file - update port" },
  { VA_PARSE_ERROR03, "error parsing database configuration file - update user" },
  { VA_PARSE_ERROR04, "error parsing database configuration file - update password" },
  { VA_PARSE_ERROR05, "error parsing database configuration file - update database" },
  { VA_PARSE_ERROR06, "error parsing database configuration file - readonly server" },
  { VA_PARSE_ERROR07, "error parsing database configuration file - readonly port" },
  { VA_PARSE_ERROR08, "error parsing database configuration file - readonly user" },
  { VA_PARSE_ERROR09, "error parsing database configuration file - readonly password" },
  { VA_PARSE_ERROR10, "error parsing database configuration file - readonly database" },
  { VA_CANNOT_DELETE_CATCHALL, "can't delete catchall account" },
};

const char *verror_text(int code)
{
  unsigned i;
  for (i = 0; i < sizeof verror_table / sizeof verror_table[0]; ++i)
    if (verror_table[i].code == code) return verror_table[i].text;
  return "Unknown error";
}
