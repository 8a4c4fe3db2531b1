build-san/obj/lib/control_test.o: lib/control_test.c lib/../tests/check.h \
 lib/control.h lib/sa.h
lib/../tests/check.h:
lib/control.h:
lib/sa.h:
