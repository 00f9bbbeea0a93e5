#!/usr/bin/env bash
# Runs the demo in a virtual X display and saves the console's fleet, node, call and alerts views
# as the window shows them into docs/screenshots/ (what the README shows).
# Needs: Xvfb and xauth (apt-get install -y xvfb xauth libgtk-3-0), a built tree (./mvnw -B package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=${1:-docs/screenshots}
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1280x800x24" \
  "$JAVA_HOME/bin/java" -Dprism.order=sw -jar demo/target/sfu-demo.jar --screenshots "$out" --duration 90s
ls -l "$out"
