#!/usr/bin/env bash
# Runs the demo in a virtual X display and saves the console's fleet, node, call and alerts views
# as the window shows them into docs/screenshots/ (what the README shows).
# Needs: Xvfb and xauth (apt-get install -y xvfb xauth libgtk-3-0), a built tree (./mvnw -B package -DskipTests).
# With --wizard it instead walks the add-host wizard in a real (GTK) window under Xvfb, against a real
# sshd and the signed bundle (ProvisionWizardGuiTest; needs openssh-server, builds the bundle, a few
# minutes), and saves the Hosts screen and the wizard's pages. With --rollout it walks the rolling-upgrade
# window the same way (RolloutGuiTest: two sshd hosts, the bundle installed, upgraded to a re-signed v2).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
if [ "${1:-}" = "--wizard" ] || [ "${1:-}" = "--hostops" ] || [ "${1:-}" = "--rollout" ] || [ "${1:-}" = "--config" ]; then
  # --hostops: the logs pane, the Certificates screen and the uninstall question (HostOpsGuiTest)
  # --rollout: the rolling upgrade window (RolloutGuiTest)
  test=ProvisionWizardGuiTest
  [ "$1" = "--hostops" ] && test=HostOpsGuiTest
  # --config: the Config editor (a refused value, the diff, after a push; ConfigEditorGuiTest)
  [ "$1" = "--config" ] && test=ConfigEditorGuiTest
  [ "$1" = "--rollout" ] && test=RolloutGuiTest
  out=${2:-docs/screenshots}
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  # command-line properties override the pom's Monocle settings: glass on GTK, in the Xvfb display
  xvfb-run -a -s "-screen 0 1280x800x24" ./mvnw -o -B verify -pl installers -am -Dtest="$test" \
    -Dsurefire.failIfNoSpecifiedTests=false -DskipBrowserTests -DskipFuzzing \
    -Dglass.platform=gtk -Dtestfx.headless=false -Dsfu.screenshots="$out"
  ls -l "$out"
  exit 0
fi
out=${1:-docs/screenshots}
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1280x800x24" \
  "$JAVA_HOME/bin/java" -Dprism.order=sw -jar demo/target/sfu-demo.jar --screenshots "$out" --duration 90s
ls -l "$out"
