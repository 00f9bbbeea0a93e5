#!/usr/bin/env bash
# The capacity benchmark of issue 7 in one command. Writes docs/benchmarks.md (two marked
# sections; the rest of the file stays) and keeps every report under bench/out/.
#
#   bench/run.sh                  # everything, about 25 minutes on the 2-core machine
#   QUICK=1 bench/run.sh          # shorter holds, no capacity search (about 10 minutes)
#   LOADTEST=0 bench/run.sh       # only steps 2 to 4 (the node alone, about 10 minutes)
#
#  1. bench/loadtest.sh: the agreed scenarios, scaled from the seeds' table to this machine, against
#     an sfu-fleet node and Janus 1.1 with the same clients in the same run, then the capacity search
#     (section "Load: sfu-fleet node against Janus").
#  2. Steady state (bench/node-ab.sh): audio 10 calls x 8 users x 2 unmuted held for $STEADY after a
#     warm-up, with the node's CPU split by thread and into user and kernel time: what one forwarded
#     packet costs once the JIT has finished, and where.
#  3. Top-N audio: one call of 30 with 8 unmuted, max_audio_streams 5 (the default) against 100 (no
#     limit), same build, same run: what the limit saves.
#  4. 1000 participants: 10 calls x 100 users with one speaker each (every participant has its
#     ICE/DTLS/SRTP sessions; about 49,500 forwarded packets/s): RSS, CPU and delay at that size.
#
# Pinning as in the scripts it calls: the server on CPU $SERVER_CPUS (0), the load tool on $LT_CPUS (1).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export SERVER_CPUS="${SERVER_CPUS:-0}" LT_CPUS="${LT_CPUS:-1}"
out=bench/out/run
mkdir -p "$out"
if [[ "${QUICK:-0}" == 1 ]]; then
  STEADY="${STEADY:-40s}" LARGE="${LARGE:-20s}" TOPN="${TOPN:-20s}"; export DURATION="${DURATION:-15s}" CAPACITY="${CAPACITY:-0}"
else
  STEADY="${STEADY:-120s}"
fi

./mvnw -o -q -B package -pl sfu-server -am -DskipTests
build=sfu-server/target

if [[ "${LOADTEST:-1}" == 1 ]]; then
  echo "== 1. node against Janus (bench/loadtest.sh)"
  bench/loadtest.sh
fi

echo "== 2. steady state, $STEADY"
OUT="$out/steady" DURATION="$STEADY" bench/node-ab.sh "$build" | tee "$out/steady.md"

echo "== 3. top-N audio"
OUT="$out/topn" DURATION="${TOPN:-60s}" SCENARIO="1 30 8 0 0" WARMUP="1 30 8 0 0" \
  NODE_ENV_1=SFU_LIMITS_MAX_AUDIO_STREAMS=5 NODE_ENV_2=SFU_LIMITS_MAX_AUDIO_STREAMS=100 \
  bench/node-ab.sh "$build" "$build" | tee "$out/topn.md"

echo "== 4. 1000 participants"
OUT="$out/memory" DURATION="${LARGE:-60s}" RAMP="${LARGE_RAMP:-25}" SCENARIO="10 100 1 0 0" WARMUP="10 20 1 0 0" \
  bench/node-ab.sh "$build" | tee "$out/memory.md"

commit="$(git rev-parse --short HEAD)$(git diff --quiet -- . ':!docs/benchmarks.md' || echo '+uncommitted')"
threads="$(cat "$out"/steady/threads-1-1.txt)"
large_threads="$(cat "$out"/memory/threads-1-1.txt)"
section="$(cat <<MD
<!-- run:begin (written by bench/run.sh; edit the script, not this section) -->
## Steady state, top-N audio and memory (\`bench/run.sh\`)

- Date $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) CPUs, load average at the end
  $(cut -d' ' -f1-3 /proc/loadavg). Node on CPU $SERVER_CPUS, load tool on CPU $LT_CPUS (taskset), node on loopback.
- "Node's own forwarding delay" is the node's \`sfu_forwarding_delay_seconds\` histogram over the
  hold (socket read to queued for the receiver), as bucket bounds: "<= 0.025" means at most 25 us.

### Steady state: audio 10 calls x 8 users x 2 unmuted, held $STEADY after a 15 s warm-up

$(cat "$out/steady.md")

Node CPU by thread over the middle of the hold (\`/proc/<pid>/task/*/stat\`; 100 = one core):

\`\`\`
$threads
\`\`\`

### Top-N audio: 1 call x 30 users, 8 unmuted, with and without the limit of 5 streams per receiver

Each node warmed up with the same scenario for 15 s, then held it ${TOPN:-60s}. All eight speakers
send the same level, so the node keeps the same five; the other tracks reach nobody and are left
undecrypted (one packet in 50 excepted).

$(cat "$out/topn.md")

### 1000 participants: 10 calls x 100 users, 1 unmuted per call, held ${LARGE:-60s}

Every participant has its own ICE/DTLS/SRTP sessions and receives its call's speaker; RSS is the
node's resident memory with the default JVM settings of the bundle's launcher.

$(cat "$out/memory.md")

\`\`\`
$large_threads
\`\`\`
<!-- run:end -->
MD
)"
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path).read()
section = sys.argv[1]
if "<!-- run:begin" in text:
    text = re.sub(r"<!-- run:begin.*?<!-- run:end -->", lambda m: section, text, flags=re.S)
else:
    text = text.replace("<!-- lt:end -->", "<!-- lt:end -->\n\n" + section, 1)
open(path, "w").write(text)
PY
echo "written: docs/benchmarks.md (reports in bench/out/loadtest and $out)"
