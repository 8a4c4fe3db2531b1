build/obj/lib/qmailctl_test.o: lib/qmailctl_test.c lib/../tests/check.h \
 lib/atomicfile.h lib/cdbmap.h lib/qmailctl.h
lib/../tests/check.h:
lib/atomicfile.h:
lib/cdbmap.h:
lib/qmailctl.h:
