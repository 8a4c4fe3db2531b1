build/obj/lib/assign_test.o: lib/assign_test.c lib/../tests/check.h \
 lib/assign.h lib/atomicfile.h lib/cdbmap.h
lib/../tests/check.h:
lib/assign.h:
lib/atomicfile.h:
lib/cdbmap.h:
