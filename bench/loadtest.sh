#!/usr/bin/env bash
# The load benchmark of issue 7: the agreed scenarios, scaled to this 2-core machine, against an
# sfu-fleet node and Janus 1.1 (VideoRoom) with the same clients in the same run, then a capacity
# search; writes bench/out/loadtest/<scenario>/ reports and the results table into
# docs/benchmarks.md (between the "lt:begin" and "lt:end" markers; the other sections stay).
#
#   bench/loadtest.sh                 # everything (about 10 minutes)
#   DURATION=60s bench/loadtest.sh    # hold each scenario longer
#   CAPACITY=0 bench/loadtest.sh      # skip the capacity search
#   CAPACITY_P99_MS=50 bench/loadtest.sh  # its delay threshold (default 300 ms: on this shared 2-core
#                                     # machine the load tool's own scheduling dominates the delay tail)
#
# Pinning: the server under test (the node, then Janus) runs on CPU $SERVER_CPUS (default 0), the
# load tool on CPU $LT_CPUS (default 1), with taskset. Needs root and iproute2 for Janus's network
# namespace, and the janus package (apt-get install -y janus). Everything stays on this machine:
# the node on 127.0.0.1, Janus on a private veth pair inside a namespace lt creates and deletes.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SERVER_CPUS="${SERVER_CPUS:-0}"
export LT_CPUS="${LT_CPUS:-1}"
DURATION="${DURATION:-20s}"
RAMP="${RAMP:-20}"
CAPACITY="${CAPACITY:-1}"
out=bench/out/loadtest
jar=sfu-server/target/sfu-server.jar

if [[ ! -f "$jar" ]]; then
  ./mvnw -o -q -B package -pl sfu-server -am -DskipTests
fi
command -v janus >/dev/null || { echo "loadtest: janus is not installed (apt-get install -y janus)" >&2; exit 2; }
mkdir -p "$out"

# The node, pinned, on loopback, with secrets made for this run.
secret="lt-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-join-secret"
api_token="lt-$(head -c 16 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-api"
http_port=18080; api_port=18045; udp_port=18443
SFU_MEDIA_BIND_ADDRESS=127.0.0.1 SFU_MEDIA_ICE_HOST_OVERRIDE=127.0.0.1 SFU_HTTP_LISTEN_ADDRESS=127.0.0.1 \
SFU_MEDIA_UDP_PORT=$udp_port SFU_HTTP_PORT=$http_port SFU_API_PORT=$api_port \
SFU_AUTH_JOIN_TOKEN_SECRET="$secret" SFU_API_TOKEN="$api_token" SFU_LIMITS_OVERLOAD_CPU_PERCENT=100 \
SFU_LIMITS_MAX_PARTICIPANTS_PER_CALL=200 \
  taskset -c "$SERVER_CPUS" "$JAVA_HOME/bin/java" -jar "$jar" >"$out/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$api_port/livez" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { echo "loadtest: the node did not start, see $out/node.log" >&2; exit 1; }
  sleep 0.2
done

node=(--url "http://127.0.0.1:$http_port" --api "http://127.0.0.1:$api_port" --api-token "$api_token"
      --join-secret "$secret" --ramp "$RAMP")
common=("${node[@]}" --duration "$DURATION")

# Warm-up, not reported: the node's JIT compiles the media path before anything is measured.
bench/lt run "${node[@]}" --calls 4 --users-per-call 8 --unmuted 2 --duration 15s --out "$out/warmup" \
  >"$out/warmup.log" 2>&1 || { echo "loadtest: the warm-up run failed, see $out/warmup.log" >&2; exit 1; }

# name | calls | users per call | unmuted | video | screen sharing
scenarios=(
  "audio-10x8x2|10|8|2|0|0"
  "audio-2x50x2|2|50|2|0|0"
  "wire-2x10-5a-9v|2|10|5|9|0"
  "screen-4x6x2|4|6|2|1|4"
)
tables=""
for s in "${scenarios[@]}"; do
  IFS='|' read -r name calls users unmuted video screen <<<"$s"
  echo "== $name"
  bench/lt run "${common[@]}" --janus --janus-cpus "$SERVER_CPUS" --calls "$calls" --users-per-call "$users" \
    --unmuted "$unmuted" --video "$video" --screen-sharing "$screen" --out "$out/$name" 2>"$out/$name.log" \
    | tee "$out/$name.table"
  table="$(grep '^|' "$out/$name.table")"
  tables+=$'\n'"### $name: $calls calls x $users users, $unmuted unmuted, $video video, $screen with screen share"$'\n\n'"$table"$'\n'
done

capacity=""
if [[ "$CAPACITY" == 1 ]]; then
  echo "== capacity (audio, 8 users per call, 2 unmuted)"
  bench/lt capacity "${common[@]}" --janus --janus-cpus "$SERVER_CPUS" --calls 5 --users-per-call 8 --unmuted 2 \
    --step-calls 5 --max-steps 4 --max-loss-percent 1 --max-p99-ms "${CAPACITY_P99_MS:-300}" --out "$out/capacity" \
    2>"$out/capacity.log"
  capacity="$(cat "$out/capacity/capacity.md" | sed 1d)"
fi

commit="$(git rev-parse --short HEAD)$(git diff --quiet -- . ':!docs/benchmarks.md' || echo '+uncommitted')"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
section="$(cat <<MD
<!-- lt:begin (written by bench/loadtest.sh; edit the script, not this section) -->
## Load: sfu-fleet node against Janus, same clients, same run (\`bench/loadtest.sh\`)

- Date $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) CPUs ($cpu), $(free -g | awk '/Mem:/{print $2}') GiB,
  load average at start $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other builds).
- Server under test pinned to CPU $SERVER_CPUS, the load tool (\`lt\`) to CPU $LT_CPUS (taskset). Each scenario
  holds $DURATION after a ramp of $RAMP joins/s; Janus 1.1 VideoRoom runs right after the node with the same
  clients. The node is reached on 127.0.0.1, Janus over a veth pair into its own network namespace
  (libnice gathers nothing on lo); both are in-kernel loopback-class paths.
- Clients: real ICE, DTLS 1.2 and SRTP both ways (AES-GCM where offered); Opus-sized audio at 50 packets/s
  with its RFC 6464 level in the header, VP8-sized camera video at about 350 kbit/s and screen share at
  1.5 Mbit/s, keyframes on PLI, RTCP sender and receiver reports every second.
- CPU is the server process's own (the node's admin API; /proc for Janus), 100 = one core.
  "Forwarded" counts what the receivers got; the delay is from a send timestamp in each payload to
  its receipt after SRTP, so it includes both clients' crypto and the load tool's scheduling
  (one core, shared), which dominates the tail.
$tables
### Capacity search
$capacity
<!-- lt:end -->
MD
)"
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path).read()
section = sys.argv[1]
if "<!-- lt:begin" in text:
    text = re.sub(r"<!-- lt:begin.*?<!-- lt:end -->", lambda m: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "written: docs/benchmarks.md (reports in $out)"
