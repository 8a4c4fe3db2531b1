build/obj/lib/qmailctl.o: lib/qmailctl.c lib/assign.h lib/atomicfile.h \
 lib/cdbmap.h lib/control.h lib/qmailctl.h lib/sa.h
lib/assign.h:
lib/atomicfile.h:
lib/cdbmap.h:
lib/control.h:
lib/qmailctl.h:
lib/sa.h:
