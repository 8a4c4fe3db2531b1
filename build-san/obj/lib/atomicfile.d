build-san/obj/lib/atomicfile.o: lib/atomicfile.c lib/atomicfile.h \
 lib/sa.h
lib/atomicfile.h:
lib/sa.h:
