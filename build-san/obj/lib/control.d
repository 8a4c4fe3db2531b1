build-san/obj/lib/control.o: lib/control.c lib/atomicfile.h lib/control.h \
 lib/paths.h lib/sa.h
lib/atomicfile.h:
lib/control.h:
lib/paths.h:
lib/sa.h:
