/* lib/verror.h — vpopmail's error codes (VA_*) and their texts.
 *
 * Admin operations return 0 or one of these negative codes; the vtools
 * print "Error: <verror_text(code)>" and exit(code), so the shell sees
 * 256 + code (e.g. -13 -> 243), exactly as vpopmail's tools do. */
#ifndef QV_VERROR_H
#define QV_VERROR_H

#define VA_SUCCESS 0
#define VA_ILLEGAL_USERNAME -1
#define VA_USERNAME_EXISTS -2
#define VA_BAD_DIR -3
#define VA_BAD_U_DIR -4
#define VA_BAD_D_DIR -5
#define VA_BAD_V_DIR -6
#define VA_EXIST_U_DIR -7
#define VA_BAD_U_DIR2 -8
#define VA_SUBDIR_CREATION -9
#define VA_USER_DOES_NOT_EXIST -10
#define VA_DOMAIN_DOES_NOT_EXIST -11
#define VA_INVALID_DOMAIN_NAME -12
#define VA_DOMAIN_ALREADY_EXISTS -13
#define VA_COULD_NOT_MAKE_DOMAIN_DIR -14
#define VA_COULD_NOT_OPEN_QMAIL_DEFAULT -15
#define VA_CAN_NOT_MAKE_DOMAINS_DIR -16
#define VA_COULD_NOT_UPDATE_FILE -17
#define VA_CRYPT_FAILED -18
#define VA_COULD_NOT_OPEN_DOT_QMAIL -19
#define VA_BAD_CHAR -20
#define VA_BAD_UID -22
#define VA_NO_AUTH_CONNECTION -23
#define VA_MEMORY_ALLOC_ERR -24
#define VA_USER_NAME_TOO_LONG -25
#define VA_DOMAIN_NAME_TOO_LONG -26
#define VA_PASSWD_TOO_LONG -27
#define VA_GECOS_TOO_LONG -28
#define VA_QUOTA_TOO_LONG -29
#define VA_DIR_TOO_LONG -30
#define VA_CLEAR_PASSWD_TOO_LONG -31
#define VA_ALIAS_LINE_TOO_LONG -32
#define VA_NULL_POINTER -33
#define VA_INVALID_EMAIL_CHAR -34
#define VA_PARSE_ERROR -35
#define VA_CANNOT_READ_LIMITS -36
#define VA_CANNOT_READ_ASSIGN -37
#define VA_PARSE_ERROR01 -45
#define VA_PARSE_ERROR02 -46
#define VA_PARSE_ERROR03 -47
#define VA_PARSE_ERROR04 -48
#define VA_PARSE_ERROR05 -49
#define VA_PARSE_ERROR06 -50
#define VA_PARSE_ERROR07 -51
#define VA_PARSE_ERROR08 -52
#define VA_PARSE_ERROR09 -53
#define VA_PARSE_ERROR10 -54
#define VA_CANNOT_DELETE_CATCHALL -55

/* vpopmail's text for code ("Unknown error" for codes without one). */
const char *verror_text(int code);

#endif
