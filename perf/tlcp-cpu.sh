#!/bin/bash
# Server CPU per full TLCP handshake (ECC suite, no client authentication, no resumption), counted
# the same way for our server and GmSSL's: each server is its own process; the same load client
# (ours, TlcpLoopbackClient, one connection per handshake, no session reuse) drives both; the
# server process's utime+stime (/proc/PID/stat fields 14+15) is read around each batch. Batches
# alternate between the two servers, so both see the same load from whoever else shares the
# machine. GmSSL's tlcp_server keeps every accepted socket open, so it is restarted every 500 handshakes.
#
# usage: perf/tlcp-cpu.sh ROUNDS BATCH [SUITE]
#   GMGATE_GMSSL=path/to/gmssl (3.x) and GMSSL_CERTS=dir with server.gmssl.chain.pem,
#     server.gmssl.keys.pem (password gmgate-test) and ca.crt: the comparison server; leave
#     GMSSL_CERTS unset to measure our server only
#   JAVA_OPTS go to our server's JVM; it warms up with WARMUP (default 20000) handshakes first
#   build first: nice mvn -B -ntp -q -pl perf -am package -DskipTests
set -eu
ROUNDS=$1 BATCH=$2 SUITE=${3:-ECC_SM4_CBC_SM3} WARMUP=${WARMUP:-20000}
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 50 ] && [ "$BATCH" -ge 1 ] && [ "$BATCH" -le 20000 ] || { echo "ROUNDS 1..50, BATCH 1..20000"; exit 2; }
case $SUITE in
  ECC_SM4_CBC_SM3) gs=TLS_ECC_SM4_CBC_SM3;;
  ECC_SM4_GCM_SM3) gs=TLS_ECC_SM4_GCM_SM3;;
  *) echo "suite $SUITE: only the ECC suites run without client certificates"; exit 2;;
esac
JAR=$(cd "$(dirname "$0")" && pwd)/target/benchmarks.jar
tmp=$(mktemp -d); OURS= THEIRS=
trap 'kill $OURS $THEIRS 2>/dev/null; rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
listening() { for i in $(seq 1 1200); do ss -ltnH "sport = :$1" | grep -q . && return 0; sleep 0.1; done; return 1; }
load() { java -XX:+UseSerialGC -cp "$JAR" io.gmgate.perf.tlcp.TlcpLoopbackClient $1 $SUITE "$2" $3 > "$tmp/load.log" 2>&1 \
           || { echo "load client failed: $(cat "$tmp/load.log")" >&2; exit 1; }; }

p1=$((20000 + RANDOM % 5000))
java ${JAVA_OPTS:-} -Dtlcp.warmup=0 -cp "$JAR" io.gmgate.perf.tlcp.TlcpLoopbackServer $p1 $SUITE "$tmp/ours-ca.pem" > "$tmp/ours.log" 2>&1 & OURS=$!
listening $p1 || { echo "our server did not start"; cat "$tmp/ours.log"; exit 1; }
load $p1 "$tmp/ours-ca.pem" $WARMUP   # our server runs warm, as a gateway does
gmssl_batch() { # -> ticks of gmssl tlcp_server for BATCH handshakes, a fresh server every 500
  # (it never closes accepted sockets; at the descriptor limit its accept loop spins)
  local p t0 t=0 left=$BATCH k
  while [ $left -gt 0 ]; do
    k=$(( left < 500 ? left : 500 )); p=$((25000 + RANDOM % 5000))
    "$GMGATE_GMSSL" tlcp_server -port $p -cert "$GMSSL_CERTS/server.gmssl.chain.pem" \
      -key "$GMSSL_CERTS/server.gmssl.keys.pem" -pass gmgate-test -cipher_suite $gs > "$tmp/gmssl.log" 2>&1 & THEIRS=$!
    listening $p || { echo "gmssl server did not start" >&2; exit 1; }
    t0=$(ticks $THEIRS); load $p "$GMSSL_CERTS/ca.crt" $k; t=$(( t + $(ticks $THEIRS) - t0 ))
    kill $THEIRS; wait $THEIRS 2>/dev/null || true; THEIRS=; left=$((left - k))
  done
  echo $t
}
to=0 tt=0
for r in $(seq 1 $ROUNDS); do
  t0=$(ticks $OURS); load $p1 "$tmp/ours-ca.pem" $BATCH; o=$(( $(ticks $OURS) - t0 )); to=$((to + o))
  line="round $r: gmgate $(echo "scale=3; 1000 * $o / $hz / $BATCH" | bc) ms"
  if [ -n "${GMSSL_CERTS:-}" ]; then
    t=$(gmssl_batch); tt=$((tt + t)); line="$line, gmssl $(echo "scale=3; 1000 * $t / $hz / $BATCH" | bc) ms"
  fi
  echo "$line  (load average $(cut -d' ' -f1 /proc/loadavg))"
done
n=$((ROUNDS * BATCH))
echo "suite=$SUITE warmup=$WARMUP handshakes per server=$n: gmgate $(echo "scale=3; 1000 * $to / $hz / $n" | bc) ms CPU/handshake${GMSSL_CERTS:+, gmssl tlcp_server $(echo "scale=3; 1000 * $tt / $hz / $n" | bc) ms CPU/handshake}"
