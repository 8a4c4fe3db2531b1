# tests/lib/vtree.sh — sourced by delivery tests: builds a sandbox
# QMAILDIR/VPOPMAILDIR with vpopmail domains and users by hand (the
# files vadddomain/vadduser write), so the delivery tests do not depend
# on the admin tools. Needs $tmp, $QV_BUILD, $QV_SRC.
export QMAILDIR="$tmp/q" VPOPMAILDIR="$tmp/v"
mkdir -p "$QMAILDIR/users" "$QMAILDIR/control" "$QMAILDIR/bin" "$VPOPMAILDIR/domains"
vt_uid=$(id -u); vt_gid=$(id -g)
vt_assign=""
# vt_domain NAME [ALIAS...]: a domain with bounce-no-mailbox catch-all
vt_domain() {
  d="$VPOPMAILDIR/domains/$1"
  mkdir -p "$d"; chmod 750 "$d"
  : > "$d/vpasswd"
  printf '| %s/bin/vdelivermail '"''"' bounce-no-mailbox\n' "$VPOPMAILDIR" > "$d/.qmail-default"
  vt_assign="$vt_assign+$1-:$1:$vt_uid:$vt_gid:$d:-::
"
  for a in $(echo "$@" | cut -d' ' -f2-); do
    [ "$a" = "$1" ] && continue
    vt_assign="$vt_assign+$a-:$1:$vt_uid:$vt_gid:$d:-::
"
  done
  printf '%s.\n' "$vt_assign" > "$QMAILDIR/users/assign"
  "$QV_BUILD/bin/qmail-newu" || exit 1
  vt_cdb "$1"
}
# vt_user DOMAIN NAME [QUOTA [FLAGS]]
vt_user() {
  d="$VPOPMAILDIR/domains/$1"
  mkdir -p "$d/$2/Maildir/cur" "$d/$2/Maildir/new" "$d/$2/Maildir/tmp"
  chmod -R 750 "$d/$2"
  printf '%s:$1$x$y:1:%s:%s:%s:%s\n' "$2" "${4:-0}" "$2" "$d/$2" "${3:-NOQUOTA}" >> "$d/vpasswd"
  case "${3:-NOQUOTA}" in
    NOQUOTA) ;;
    *) printf '%s\n' "$3" > "$d/$2/Maildir/maildirsize" ;;
  esac
  vt_cdb "$1"
}
vt_cdb() {
  d="$VPOPMAILDIR/domains/$1"
  LC_ALL=C awk '{ i = index($0, ":"); k = substr($0, 1, i - 1); v = substr($0, i + 1);
    printf "+%d,%d:%s->%s\n", length(k), length(v), k, v } END { print "" }' "$d/vpasswd" |
    python3 "$QV_SRC/tests/lib/cdbmake.py" "$d/vpasswd.cdb" || exit 1
}
