build-san/obj/fuzz/control.o: fuzz/control.c lib/control.h
lib/control.h:
