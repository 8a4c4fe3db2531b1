build-san/obj/lib/cdbmap.o: lib/cdbmap.c lib/atomicfile.h lib/cdbmap.h \
 lib/sa.h
lib/atomicfile.h:
lib/cdbmap.h:
lib/sa.h:
