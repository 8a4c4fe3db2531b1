build-san/obj/lib/paths_test.o: lib/paths_test.c lib/../tests/check.h \
 build-san/auto/conf.h lib/paths.h
lib/../tests/check.h:
build-san/auto/conf.h:
lib/paths.h:
