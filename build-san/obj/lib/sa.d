build-san/obj/lib/sa.o: lib/sa.c lib/sa.h
lib/sa.h:
