build/obj/lib/paths.o: lib/paths.c build/auto/conf.h lib/paths.h lib/sa.h
build/auto/conf.h:
lib/paths.h:
lib/sa.h:
