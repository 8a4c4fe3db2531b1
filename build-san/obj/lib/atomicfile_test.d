build-san/obj/lib/atomicfile_test.o: lib/atomicfile_test.c \
 lib/../tests/check.h lib/atomicfile.h
lib/../tests/check.h:
lib/atomicfile.h:
