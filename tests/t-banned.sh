#!/bin/sh
# The calls STYLE.md bans never appear in the sources.
cd "$QV_SRC" || exit 111
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|strncpy|scanf)[[:space:]]*\(' \
  $(find . -path ./build -prune -o -path ./build-san -prune -o -name '*.[ch]' -print) | grep -v 'snprintf')
if [ -n "$hits" ]; then
  echo "banned calls:"; echo "$hits"; exit 1
fi
exit 0
