build-san/obj/lib/verror.o: lib/verror.c lib/verror.h
lib/verror.h:
