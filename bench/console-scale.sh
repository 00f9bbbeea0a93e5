#!/usr/bin/env bash
# The console at fleet scale (issue 4): 100 SIMULATED nodes x 10 calls x 10 participants served by
# io.sfufleet.console.bench.SimulatedFleet in a process of its own, and the real console window
# measured under Xvfb (frames per second, Pulse.beat() time, RSS, CPU). Prints a table and exits.
#
#   bench/console-scale.sh                        # 60 s per phase after a 15 s warm-up, under Xvfb
#   bench/console-scale.sh --seconds 20 --warmup 5
#   bench/console-scale.sh --monocle              # headless Monocle (software rendering, no X server)
#   JAVA_OPTS="-XX:StartFlightRecording=filename=bench/out/console.jfr" bench/console-scale.sh
#
# The output is also kept in bench/out/console-scale-<time>.txt (git-ignored).
# Environment: JAVA_HOME (default Temurin 25), MVN_FLAGS (default -o; set to "" to go online),
# JAVA_OPTS (added to the console's JVM; the default is none, like the installed console).
set -euo pipefail

cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MVN_FLAGS="${MVN_FLAGS--o}"
module=console-app
target="$module/target"
classpath_file="$target/bench-classpath.txt"

monocle=false
args=()
for a in "$@"; do
  if [[ "$a" == "--monocle" ]]; then monocle=true; else args+=("$a"); fi
done

# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
./mvnw $MVN_FLAGS -q -B -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test

mkdir -p bench/out
log="bench/out/console-scale-$(date -u +%Y%m%dT%H%M%SZ).txt"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- || echo '+dirty')"
echo "commit $commit, $(date -u +%FT%TZ), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" | tee "$log"

# shellcheck disable=SC2206 # JAVA_OPTS is a list of options on purpose
java_cmd=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-}
  -cp "$target/test-classes:$target/classes:$(cat "$classpath_file")")
main=io.sfufleet.console.bench.ConsoleScaleBenchmark

if $monocle; then
  # the surefire settings of console-app/pom.xml: Monocle's headless screen, software rendering
  "${java_cmd[@]}" -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dprism.text=t2k \
    -Djava.awt.headless=true "$main" "${args[@]}" 2>&1 | tee -a "$log"
else
  if ! command -v xvfb-run >/dev/null; then
    echo "xvfb-run is missing: installing xvfb (../shared/TOOLCHAIN.md)" >&2
    apt-get install -y --no-install-recommends xvfb xauth libgtk-3-0
  fi
  xvfb-run -a -s "-screen 0 1280x800x24" "${java_cmd[@]}" "$main" "${args[@]}" 2>&1 | tee -a "$log"
fi
echo "kept in $log"
