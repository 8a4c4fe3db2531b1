build/obj/lib/assign.o: lib/assign.c lib/atomicfile.h lib/assign.h \
 lib/cdbmap.h lib/paths.h lib/sa.h
lib/atomicfile.h:
lib/assign.h:
lib/cdbmap.h:
lib/paths.h:
lib/sa.h:
