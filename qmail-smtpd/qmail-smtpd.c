/* qmail-smtpd/qmail-smtpd.c — placeholder main until the session lands. */
int main(void) { return 111; }
