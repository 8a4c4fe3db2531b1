build-san/obj/fuzz/driver.o: fuzz/driver.c
