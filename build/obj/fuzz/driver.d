build/obj/fuzz/driver.o: fuzz/driver.c
