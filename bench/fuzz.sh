#!/usr/bin/env bash
# Fuzzes every Jazzer target of sfu-server in turn, each for the given time (default 60s), one JVM
# per target (Jazzer fuzzes one target per JVM). Findings are written next to the test's saved
# inputs (src/test/resources/.../<Class>Inputs/<method>/) and fail that target's run.
#
#   bench/fuzz.sh            # 60 s per target
#   bench/fuzz.sh 10m        # 10 minutes per target
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
duration="${1:-60s}"
targets=$(grep -rl '@FuzzTest' sfu-server/src/test/java | while read -r f; do
  cls=$(basename "$f" .java)
  grep -A3 '@FuzzTest' "$f" | grep -oP 'void \K\w+(?=\()' | sed "s/^/$cls#/"
done)
failed=0
for t in $targets; do
  echo "=== fuzzing $t for $duration"
  if ! JAZZER_FUZZ=1 ./mvnw -o -q -B -pl sfu-server -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -DskipBrowserTests -DskipFuzzing -Djazzer.max_duration="$duration"; then
    echo "=== $t: FINDING (see the test's Inputs directory)"; failed=1
  fi
done
exit $failed
