# vdeliver/build.mk — local delivery: vdeliver (= vpopmail's vdelivermail)
# and qvmail's qmail-queue, sharing the delivery modules below.
vdeliver_MODULES := vdeliver/dotqmail.c
