build/obj/lib/vpasswd_test.o: lib/vpasswd_test.c lib/verror.h \
 lib/vpasswd.h lib/../tests/check.h
lib/verror.h:
lib/vpasswd.h:
lib/../tests/check.h:
