build/obj/fuzz/assign.o: fuzz/assign.c lib/assign.h
lib/assign.h:
