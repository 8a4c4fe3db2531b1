build-san/obj/lib/log_test.o: lib/log_test.c lib/../tests/check.h \
 lib/log.h
lib/../tests/check.h:
lib/log.h:
