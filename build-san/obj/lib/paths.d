build-san/obj/lib/paths.o: lib/paths.c build-san/auto/conf.h lib/paths.h \
 lib/sa.h
build-san/auto/conf.h:
lib/paths.h:
lib/sa.h:
