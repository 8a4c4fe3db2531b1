build-san/obj/lib/cdbmap_test.o: lib/cdbmap_test.c lib/../tests/check.h \
 lib/cdbmap.h
lib/../tests/check.h:
lib/cdbmap.h:
