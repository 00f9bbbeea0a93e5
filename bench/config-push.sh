#!/usr/bin/env bash
# Time to push a config to many hosts in parallel (issue 6's report figure): N real OpenSSH servers
# on 127.0.10.11.. (default 10), each with a node installed from the real signed bundle, then timed
# pushes through the console's ConfigService: a hot key with --parallel N, the same with 1 worker,
# and a restart key with N. Prints per-host and total times; the table is also kept in
# bench/out/config-push-<time>.txt (git-ignored).
#
#   bench/config-push.sh            # 10 hosts
#   BENCH_HOSTS=3 bench/config-push.sh
#
# Needs openssh-server (apt-get install -y openssh-server). Environment: JAVA_HOME (default Temurin
# 25), MVN_FLAGS (default -o). Builds the bundle first (a few minutes).
set -euo pipefail

cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MVN_FLAGS="${MVN_FLAGS--o}"
mkdir -p bench/out
out="$PWD/bench/out/config-push-$(date -u +%Y%m%dT%H%M%SZ).txt"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- || echo '+dirty')"

# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
./mvnw $MVN_FLAGS -B verify -pl installers -am -Dtest=ConfigPushBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -DskipBrowserTests -DskipFuzzing -Dbench.hosts="${BENCH_HOSTS:-10}" -Dbench.out="$out" \
  &>"$out.build.log" || {
  echo "the benchmark failed; see $out.build.log" >&2
  grep -E 'ERROR|FAIL' "$out.build.log" | head -20 >&2
  exit 1
}
{
  echo "commit $commit, $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$out"
} | tee "$out.tmp"
mv "$out.tmp" "$out"
