#!/bin/bash
# Server CPU per full TLCP handshake (ECC suite, no client authentication, no resumption), counted
# the same way for our server and GmSSL's: each server is its own process; handshakes come one by
# one from fresh `gmssl tlcp_client` processes (so no session reuse); the server process's
# utime+stime (/proc/PID/stat fields 14+15) is read around each batch. Batches alternate between
# the two servers, so both see the same load from whoever else shares the machine.
#
# usage: perf/tlcp-cpu.sh ROUNDS BATCH [SUITE]
#   GMGATE_GMSSL=path/to/gmssl (3.x, the client, and the comparison server)
#   GMSSL_CERTS=dir with server.gmssl.chain.pem, server.gmssl.keys.pem (password gmgate-test)
#     and ca.crt for the comparison server; leave unset to measure our server only
#   our server warms up in memory first (-Dtlcp.warmup=5000): a gateway runs warm; JAVA_OPTS go to its JVM
#   build first: nice mvn -B -ntp -q -pl perf -am package -DskipTests
set -eu
ROUNDS=$1 BATCH=$2 SUITE=${3:-ECC_SM4_CBC_SM3}
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 50 ] && [ "$BATCH" -ge 1 ] && [ "$BATCH" -le 5000 ] || { echo "ROUNDS 1..50, BATCH 1..5000"; exit 2; }
case $SUITE in
  ECC_SM4_CBC_SM3) gs=TLS_ECC_SM4_CBC_SM3;;
  ECC_SM4_GCM_SM3) gs=TLS_ECC_SM4_GCM_SM3;;
  *) echo "suite $SUITE: only the ECC suites run without client certificates"; exit 2;;
esac
G=${GMGATE_GMSSL:?set GMGATE_GMSSL to the gmssl binary}
JAR=$(cd "$(dirname "$0")" && pwd)/target/benchmarks.jar
tmp=$(mktemp -d); OURS= THEIRS=
trap 'kill $OURS $THEIRS 2>/dev/null; rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
listening() { for i in $(seq 1 1200); do ss -ltnH "sport = :$1" | grep -q . && return 0; sleep 0.1; done; return 1; }

p1=$((20000 + RANDOM % 5000)) p2=$((25000 + RANDOM % 5000))
java ${JAVA_OPTS:-} -cp "$JAR" io.gmgate.perf.tlcp.TlcpLoopbackServer $p1 $SUITE "$tmp/ours-ca.pem" > "$tmp/ours.log" 2>&1 & OURS=$!
listening $p1 || { echo "our server did not start"; cat "$tmp/ours.log"; exit 1; }
if [ -n "${GMSSL_CERTS:-}" ]; then
  "$G" tlcp_server -port $p2 -cert "$GMSSL_CERTS/server.gmssl.chain.pem" -key "$GMSSL_CERTS/server.gmssl.keys.pem" \
    -pass gmgate-test -cipher_suite $gs > "$tmp/gmssl.log" 2>&1 & THEIRS=$!
  listening $p2 || { echo "gmssl server did not start"; exit 1; }
fi
batch() { # port ca pid -> ticks used by n handshakes
  local t0 i f=0; t0=$(ticks $3)
  for i in $(seq 1 $BATCH); do
    "$G" tlcp_client -host localhost -port $1 -cacert "$2" -cipher_suite $gs < /dev/null > /dev/null 2>&1 || f=$((f + 1))
  done
  [ $f -eq 0 ] || echo "  ($f of $BATCH handshakes failed on port $1)" >&2
  echo $(( $(ticks $3) - t0 ))
}
batch $p1 "$tmp/ours-ca.pem" $OURS > /dev/null   # warm-up over sockets
[ -n "$THEIRS" ] && batch $p2 "$GMSSL_CERTS/ca.crt" $THEIRS > /dev/null
to=0 tt=0
for r in $(seq 1 $ROUNDS); do
  o=$(batch $p1 "$tmp/ours-ca.pem" $OURS); to=$((to + o)); line="round $r: gmgate $(echo "scale=3; 1000 * $o / $hz / $BATCH" | bc) ms"
  if [ -n "$THEIRS" ]; then
    t=$(batch $p2 "$GMSSL_CERTS/ca.crt" $THEIRS); tt=$((tt + t)); line="$line, gmssl $(echo "scale=3; 1000 * $t / $hz / $BATCH" | bc) ms"
  fi
  echo "$line  (load $(cut -d' ' -f1 /proc/loadavg))"
done
n=$((ROUNDS * BATCH))
echo "suite=$SUITE handshakes per server=$n: gmgate $(echo "scale=3; 1000 * $to / $hz / $n" | bc) ms CPU/handshake" \
     "${THEIRS:+, gmssl tlcp_server $(echo "scale=3; 1000 * $tt / $hz / $n" | bc) ms CPU/handshake}"
