#!/usr/bin/env bash
# Builds sfu-server's test classes (sfu-server/pom.xml runs JMH's annotation processor on them) and
# runs JMH from the test classpath. Arguments go to JMH; short defaults are added for the options
# you do not give.
#
#   bench/jmh.sh SrtpBenchmark                  # all SrtpBenchmark methods and params
#   bench/jmh.sh SrtpBenchmark -prof gc         # with allocation figures (gc.alloc.rate.norm)
#   bench/jmh.sh SrtpBenchmark.protectRtp -p payload=1200 -f 3 -i 10
#   bench/jmh.sh -l                             # list benchmarks
#   bench/jmh.sh SrtpBenchmark -rf json -rff bench/out/srtp.json   # keep the results (git-ignored)
#
# Environment: JAVA_HOME (default Temurin 25), MVN_FLAGS (default -o; set to "" to go online).
set -euo pipefail

cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MVN_FLAGS="${MVN_FLAGS--o}"
module=sfu-server
target="$module/target"
benchmark_list="$target/test-classes/META-INF/BenchmarkList"
classpath_file="$target/jmh-classpath.txt"

# Test classes compiled before the processor was configured are "up to date" to Maven's incremental
# build and would never get a benchmark list: drop the test-compile state so they are recompiled.
if [[ ! -f "$benchmark_list" ]]; then
  rm -rf "$target/maven-status/maven-compiler-plugin/testCompile"
fi

# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags on purpose
./mvnw $MVN_FLAGS -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test

if [[ ! -f "$benchmark_list" ]]; then
  echo "jmh.sh: $benchmark_list was not generated; is JMH's annotation processor configured?" >&2
  exit 1
fi

# Short runs unless the caller chose otherwise: one fork, 2 x 1 s warm-up, 3 x 1 s measurement.
defaults=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
args=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  option="${defaults[i]}"
  given=false
  for a in "$@"; do
    [[ "$a" == "$option" ]] && given=true
  done
  $given || args+=("$option" "${defaults[i + 1]}")
done

# JMH's forked JVMs inherit these flags: jitsi-srtp loads its OpenSSL binding with System.load, and
# JMH 1.37 still calls sun.misc.Unsafe (which JDK 24+ warns about on every fork).
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$target/test-classes:$target/classes:$(cat "$classpath_file")" \
  org.openjdk.jmh.Main "${args[@]}" "$@"
