# tests/lib/launch.sh — sourced by the end-to-end tests: start a launcher
# (qvtcpserver or Debian's tcpserver, given -1 so it prints the port the
# kernel chose) in the background and wait until it accepts connections.
#
# launch_start PORTFILE LOGFILE CMD...
#   Runs CMD > PORTFILE 2> LOGFILE in the background, up to 5 tries. The
#   port file is emptied by this shell BEFORE the launch (the background
#   job truncates it only after the fork, so an earlier server's port
#   could be read). Then waits until the port accepts a connection
#   (Debian's tcpserver may print the port before it listens). Sets spid
#   and port; returns 1 (port empty) when every try failed.
#   With launch_noprobe non-empty that test connection is not made (for
#   a server whose log must hold only the test's own connections).
# launch_stop: SIGTERM to $spid, then SIGKILL after 5 s; waits for it.
launch_start() {
  ls_portfile=$1 ls_logfile=$2; shift 2
  ls_tries=0 port=
  while [ $ls_tries -lt 5 ] && [ -z "$port" ]; do
    ls_tries=$((ls_tries + 1))
    : > "$ls_portfile"
    "$@" > "$ls_portfile" 2> "$ls_logfile" &
    spid=$!
    ls_i=0
    while [ $ls_i -lt 150 ] && [ ! -s "$ls_portfile" ] && kill -0 $spid 2>/dev/null; do
      sleep 0.1; ls_i=$((ls_i + 1))
    done
    port=$(head -n 1 "$ls_portfile")
    if [ -n "$port" ] && [ -z "${launch_noprobe:-}" ]; then
      ls_i=0
      until timeout 5 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 2).close()" \
          > /dev/null 2>&1; do
        ls_i=$((ls_i + 1)); [ $ls_i -lt 50 ] || { port=; break; }; sleep 0.1
      done
    fi
    [ -n "$port" ] || { kill -TERM $spid 2>/dev/null; wait $spid 2>/dev/null; spid=; }
  done
  [ -n "$port" ]
}
launch_stop() {
  [ -n "$spid" ] || return 0
  kill -TERM "$spid" 2>/dev/null
  ls_i=0
  while [ $ls_i -lt 50 ] && kill -0 "$spid" 2>/dev/null; do sleep 0.1; ls_i=$((ls_i + 1)); done
  kill -KILL "$spid" 2>/dev/null
  wait "$spid" 2>/dev/null
  spid=
}
