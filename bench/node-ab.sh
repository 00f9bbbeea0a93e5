#!/usr/bin/env bash
# Forwarded packets per node CPU-second for two builds of the node, in one run, with the same load
# tool (this checkout's), node and load tool pinned to separate CPUs as bench/loadtest.sh does, no
# Janus. Used to measure a change to the media path before/after; optionally records a JFR profile
# of each node.
#
#   cp -r sfu-server/target/{sfu-server.jar,lib} /tmp/before/    # before the change
#   ./mvnw -o -q -B package -pl sfu-server -am -DskipTests       # after it
#   bench/node-ab.sh /tmp/before sfu-server/target                # prints one table row per node
#   JFR=1 ROUNDS=2 bench/node-ab.sh /tmp/before sfu-server/target # also writes <out>/<n>-<round>.jfr
#   PERF=1 bench/node-ab.sh /tmp/before sfu-server/target         # perf profile of the node's CPU
#
# JFR only samples threads while they run Java code; the node spends most of its CPU in the kernel
# (UDP send and receive), which only perf sees. PERF=1 records the node's CPU (it is pinned) while
# the measured scenario runs, resolves JIT-compiled frames through the JVM's perf map, and writes
# <out>/perf-<n>-<round>.txt: the top symbols of the node's process, kernel included.
#
# Every run also writes <out>/threads-<n>-<round>.txt: the node's CPU per thread group (media,
# compiler, GC, HTTP, ...) over the middle of the hold, from /proc/<pid>/task/*/stat, so the
# steady-state figure can be split without a profiler.
#
# The same build twice with different settings compares a setting's cost, e.g. top-N audio:
#   NODE_ENV_1=SFU_LIMITS_MAX_AUDIO_STREAMS=5 NODE_ENV_2=SFU_LIMITS_MAX_AUDIO_STREAMS=100 \
#     SCENARIO="1 30 8 0 0" bench/node-ab.sh sfu-server/target sfu-server/target
#
# Environment: SCENARIO ("calls users unmuted video screen", default "10 8 2 0 0", the
# audio-10x8x2 scenario), DURATION (20s), RAMP (20), ROUNDS (1; the builds alternate each round),
# SERVER_CPUS (0), LT_CPUS (1), ADDRESS (127.0.0.1), OUT (bench/out/node-ab), NODE_ENV (extra
# VAR=value settings for every node), WARMUP (the 15 s warm-up scenario before each measured run, in
# SCENARIO's form, default "4 8 2 0 0"; give SCENARIO itself so the JIT has compiled its paths), NODE_ENV_<n> (for the n-th build on the command line only),
# NODE_JAVA_OPTS (extra JVM options for the nodes, e.g. -Xlog:gc:file=/tmp/gc.log).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SERVER_CPUS="${SERVER_CPUS:-0}"
export LT_CPUS="${LT_CPUS:-1}"
DURATION="${DURATION:-20s}"
RAMP="${RAMP:-20}"
ROUNDS="${ROUNDS:-1}"
ADDRESS="${ADDRESS:-127.0.0.1}"
OUT="${OUT:-bench/out/node-ab}"
read -r calls users unmuted video screen <<<"${SCENARIO:-10 8 2 0 0}"
[[ $# -ge 1 ]] || { echo "usage: bench/node-ab.sh <dir with sfu-server.jar and lib/> [more dirs...]" >&2; exit 2; }
for d in "$@"; do
  [[ -f "$d/sfu-server.jar" && -d "$d/lib" ]] || { echo "node-ab: $d has no sfu-server.jar and lib/" >&2; exit 2; }
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

node_pid=""
stop_node() {
  if [[ -n "$node_pid" ]]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
    node_pid=""
  fi
}
trap stop_node EXIT

# "<thread group> <user ticks> <system ticks> <uptime centiseconds>" per thread of PID; digits and pool
# indices are folded so "C2 CompilerThread0/1" or "sfu-media-1-1/2" add up as one group.
thread_ticks() {
  local up; up="$(awk '{printf "%d", $1 * 100}' /proc/uptime)"
  for t in /proc/"$1"/task/*; do
    local comm stat
    comm="$(cat "$t/comm" 2>/dev/null)" || continue
    stat="$(cat "$t/stat" 2>/dev/null)" || continue
    # fields after the ")" that closes comm: utime is the 12th, stime the 13th
    echo "$(echo "$comm" | sed -E 's/[0-9]+(-[0-9]+)*$//; s/ +$//; s/ /_/g') $(echo "${stat##*) }" | awk '{print $12, $13}') $up"
  done
}
# CPU % (100 = one core) per thread group between two thread_ticks snapshots, largest first, split
# into user and system (kernel) time. Threads that ended in between are left out.
thread_report() {
  local hz; hz="$(getconf CLK_TCK)"
  awk -v hz="$hz" 'FNR == NR { u[$1] += $2; k[$1] += $3; t0 = $4; next }
    { U[$1] += $2; K[$1] += $3; t1 = $4 }
    END { secs = (t1 - t0) / 100; if (secs <= 0) secs = 1
          printf "# window %.1f s; CPU %% (100 = one core): total user system\n", secs
          for (g in U) { du = (U[g] - u[g]) / hz; dk = (K[g] - k[g]) / hz; if (du < 0) du = 0; if (dk < 0) dk = 0
                         tu += du; tk += dk
                         if (du + dk > 0) printf "%-20s %7.2f %7.2f %7.2f\n", g, 100 * (du + dk) / secs, 100 * du / secs, 100 * dk / secs }
          printf "%-20s %7.2f %7.2f %7.2f\n", "ALL", 100 * (tu + tk) / secs, 100 * tu / secs, 100 * tk / secs }' "$1" "$2" \
    | sort -k2 -rn
}

http_port=18180; api_port=18145; udp_port=18543
echo "| round | node build | forwarded packets/s | node CPU % avg | forwarded packets per node CPU-second | loss % | node RSS max (MiB) | node's own forwarding delay p50 / p99 / p99.9 (ms) |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
for round in $(seq 1 "$ROUNDS"); do
  n=0
  for d in "$@"; do
    n=$((n + 1))
    secret="ab-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-join-secret"
    token="ab-$(head -c 16 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-api"
    read -r -a jfr <<<"${NODE_JAVA_OPTS:-}"
    per_build="NODE_ENV_$n"
    read -r -a node_env <<<"${NODE_ENV:-} ${!per_build:-}"
    label="$d${!per_build:+ (${!per_build})}"
    if [[ "${PERF:-0}" == 1 ]]; then
      jfr+=(-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer)
    fi
    if [[ "${JFR:-0}" == 1 ]]; then
      jfr+=("-XX:StartFlightRecording=filename=$OUT/$n-$round.jfr,settings=profile,delay=20s,duration=${DURATION}${JFR_EXTRA:-}")
    fi
    SFU_MEDIA_BIND_ADDRESS=$ADDRESS SFU_MEDIA_ICE_HOST_OVERRIDE=$ADDRESS SFU_HTTP_LISTEN_ADDRESS=$ADDRESS \
    SFU_API_LISTEN_ADDRESS=$ADDRESS \
    SFU_MEDIA_UDP_PORT=$udp_port SFU_HTTP_PORT=$http_port SFU_API_PORT=$api_port \
    SFU_AUTH_JOIN_TOKEN_SECRET="$secret" SFU_API_TOKEN="$token" SFU_LIMITS_OVERLOAD_CPU_PERCENT=100 \
    SFU_LIMITS_MAX_PARTICIPANTS_PER_CALL=200 \
      env "${node_env[@]}" taskset -c "$SERVER_CPUS" "$JAVA_HOME/bin/java" "${jfr[@]}" -jar "$d/sfu-server.jar" >"$OUT/node-$n.log" 2>&1 &
    node_pid=$!
    up=false
    for _ in $(seq 1 150); do
      curl -fsS "http://$ADDRESS:$api_port/livez" >/dev/null 2>&1 && { up=true; break; }
      kill -0 "$node_pid" 2>/dev/null || break
      sleep 0.2
    done
    $up || { echo "node-ab: node $d did not come up, see $OUT/node-$n.log" >&2; exit 1; }
    args=(--url "http://$ADDRESS:$http_port" --api "http://$ADDRESS:$api_port" --api-token "$token"
          --join-secret "$secret" --ramp "$RAMP" --bind "$ADDRESS")
    # Warm-up, not reported, so the JIT has compiled the media path (same as bench/loadtest.sh).
    read -r wcalls wusers wunmuted wvideo wscreen <<<"${WARMUP:-4 8 2 0 0}"
    bench/lt run "${args[@]}" --calls "$wcalls" --users-per-call "$wusers" --unmuted "$wunmuted" --video "$wvideo" \
      --screen-sharing "$wscreen" --duration 15s \
      --out "$OUT/warmup-$n" >"$OUT/warmup-$n.log" 2>&1 || { echo "node-ab: warm-up failed, see $OUT/warmup-$n.log" >&2; exit 1; }
    perf_pid=""
    if [[ "${PERF:-0}" == 1 ]]; then
      # Starts with the scenario's ramp and covers the time it holds.
      perf record -q -C "$SERVER_CPUS" -g -o "$OUT/perf-$n-$round.data" -- sleep "${DURATION%s}" >/dev/null 2>&1 &
      perf_pid=$!
    fi
    # Thread CPU window: from 5 s after the ramp's nominal end to 3 s before the hold ends.
    ramp_s=$(( (calls * users + RAMP - 1) / RAMP ))
    hold_s=${DURATION%s}
    ( sleep $((ramp_s + 5)); thread_ticks "$node_pid" >"$OUT/threads-a"; sleep $((hold_s - 8 > 1 ? hold_s - 8 : 1));
      thread_ticks "$node_pid" >"$OUT/threads-b"; thread_report "$OUT/threads-a" "$OUT/threads-b" >"$OUT/threads-$n-$round.txt" ) &
    threads_pid=$!
    bench/lt run "${args[@]}" --duration "$DURATION" --calls "$calls" --users-per-call "$users" --unmuted "$unmuted" \
      --video "$video" --screen-sharing "$screen" --out "$OUT/run-$n-$round" >"$OUT/run-$n-$round.table" 2>"$OUT/run-$n-$round.log"
    wait "$threads_pid" || true
    [[ -z "$perf_pid" ]] || wait "$perf_pid" || true
    t="$OUT/run-$n-$round.table"
    col() { grep -F "| $1" "$t" | head -1 | awk -F'|' '{print $3}' | tr -d ' ,'; }
    fwd="$(col 'packets/s clients received')"
    cpu="$(col 'server CPU %' | cut -d/ -f1)"
    per="$(col 'forwarded packets per server CPU-second')"
    loss="$(col 'receiver loss %')"
    rss="$(col 'server RSS max (MiB)')"
    delay="$(grep -F "| server's own forwarding delay" "$t" | head -1 | awk -F'|' '{print $3}' | sed 's/^ *//; s/ *$//')"
    echo "| $round | $label | $fwd | $cpu | $per | $loss | $rss | $delay |"
    pid="$node_pid"
    stop_node
    if [[ -n "$perf_pid" ]]; then
      perf report -q -i "$OUT/perf-$n-$round.data" --pid "$pid" --no-children --sort dso,sym --percent-limit 0.7 \
        -g none 2>/dev/null | sed '/^$/d' | head -60 >"$OUT/perf-$n-$round.txt" || true
    fi
  done
done
