#!/bin/sh
# Installs an sfu-server bundle after checking it, or rolls back to the previous release.
#
#   install.sh [--prefix DIR] [--key SITE_KEY.pem] [--no-system] BUNDLE.tar.gz
#   install.sh [--prefix DIR] [--no-system] --rollback
#   install.sh [--prefix DIR] [--key SITE_KEY.pem] --stage BUNDLE.tar.gz
#   install.sh [--prefix DIR] [--no-system] --switch VERSION
#
# Layout under the prefix (default /opt/sfu-server):
#   releases/<version>/   one verified bundle tree per version
#   current, previous     links to releases/<version>, each switched by an atomic rename
#   etc/                  sfu.toml (kept across upgrades), sfu-server.env (secrets, 0600),
#                         release-signing.pub (the site's key), sfu-server.service (rendered)
#
# The check needs no Java (this host may have none, and trusting the bundle's own runtime to
# verify the bundle would be circular): openssl checks the Ed25519 signature of MANIFEST with the
# site's public key, then sha256sum checks every file, and no file may be missing or unlisted.
# The bundle is unpacked into a scratch directory first; releases/ and current are touched only
# after every check has passed.
#
# The key must come from the site, not from the bundle: the first install takes it with --key
# (the public key the console made for this site) and keeps it in etc/; later installs use the
# kept key, and a different --key is refused. Upgrade with the install.sh of the installed
# release, which was itself verified: <prefix>/current/install.sh NEW_BUNDLE.tar.gz
#
# A rolling upgrade splits the install in two so that the slow part happens while the node still
# serves: --stage checks and unpacks the bundle into releases/<version> without touching current
# (a copy left by an earlier, interrupted stage of the same version is replaced, unless it is the
# running one); --switch VERSION later points current at that staged release (previous at the old
# one) and does what an install does after its switch.
#
# As root on a host running systemd it also creates the user sfu, installs and (re)starts the
# unit; as root it installs the sysctl settings. Otherwise it says what it skipped.
set -eu
umask 022
# sbin for useradd and sysctl; appended, so that the caller's PATH still comes first.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

me=install.sh
say() { echo "$me: $*"; }
die() {
  echo "$me: $*" >&2
  exit 1
}
usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

prefix=/opt/sfu-server
key=""
bundle=""
rollback=0
stage=0
switch=""
system=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --key) [ $# -ge 2 ] || die "--key needs a public key file"; key=$2; shift 2 ;;
    --key=*) key=${1#--key=}; shift ;;
    --rollback) rollback=1; shift ;;
    --stage) stage=1; shift ;;
    --switch) [ $# -ge 2 ] || die "--switch needs a staged version"; switch=$2; shift 2 ;;
    --switch=*) switch=${1#--switch=}; shift ;;
    --no-system) system=0; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$bundle" ] || die "one bundle at a time (got $bundle and $1)"; bundle=$1; shift ;;
  esac
done

# The bundle's runtime and native libraries are Linux x86_64 only.
os=$(uname -s)
arch=$(uname -m)
if [ "$os" != Linux ] || [ "$arch" != x86_64 ]; then
  die "this bundle runs on Linux x86_64 only; this host is $os $arch. Nothing was installed."
fi
for tool in openssl sha256sum tar gzip find sort comm mktemp readlink sed grep; do
  command -v "$tool" >/dev/null 2>&1 || die "needs '$tool', which is not installed"
done

case "$prefix" in
  /*) ;;
  *) prefix="$(pwd)/$prefix" ;;
esac
# The prefix ends up in the systemd unit and in sed expressions: plain path characters only.
printf '%s\n' "$prefix" | grep -Eq '^/[A-Za-z0-9._/+-]*$' || die "prefix '$prefix' has characters other than A-Z a-z 0-9 . _ / + -"
prefix=${prefix%/}
site_key="$prefix/etc/release-signing.pub"

if [ "$rollback" = 1 ] || [ -n "$switch" ]; then
  [ -z "$bundle" ] || die "--rollback and --switch take no bundle"
  [ "$rollback" = 0 ] || [ -z "$switch" ] || die "--rollback or --switch, not both"
  [ "$stage" = 0 ] || die "--stage takes a bundle, not --rollback or --switch"
elif [ -z "$bundle" ]; then
  usage >&2
  exit 2
fi

mkdir -p "$prefix/releases" "$prefix/etc"
# One install.sh at a time per prefix.
lock="$prefix/.install.lock"
mkdir "$lock" 2>/dev/null || die "another install.sh is working on $prefix (if none is, remove $lock)"
staging=""
cleanup() {
  [ -z "$staging" ] || rm -rf "$staging"
  rmdir "$lock" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# link NAME TARGET: points prefix/NAME at TARGET by renaming a fresh link over it (rename(2) is atomic).
link() {
  ln -s "$2" "$prefix/.$1.new"
  mv -T "$prefix/.$1.new" "$prefix/$1"
}

system_setup() {
  if [ "$system" = 0 ]; then
    say "--no-system: skipped the sfu user, the systemd unit and the sysctl settings"
    return
  fi
  root=0
  [ "$(id -u)" != 0 ] || root=1
  if [ "$root" = 1 ]; then
    install -m 644 "$prefix/current/sysctl/90-sfu-server.conf" /etc/sysctl.d/90-sfu-server.conf
    sysctl -q -p /etc/sysctl.d/90-sfu-server.conf || say "warning: could not apply /etc/sysctl.d/90-sfu-server.conf now (a container?); it applies at the next boot"
  else
    say "not root: skipped the sfu user and the sysctl settings; as root:"
    say "  install -m 644 $prefix/current/sysctl/90-sfu-server.conf /etc/sysctl.d/ && sysctl --system"
  fi
  if [ ! -d /run/systemd/system ]; then
    say "systemd is not running on this host: skipped the systemd unit ($prefix/etc/sfu-server.service)."
    say "  start the node with: $prefix/current/bin/sfu-server --config $prefix/etc/sfu.toml"
    return
  fi
  if [ "$root" = 0 ]; then
    say "not root: skipped the systemd unit; as root: install -m 644 $prefix/etc/sfu-server.service /etc/systemd/system/"
    return
  fi
  id sfu >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin sfu
  chgrp sfu "$prefix/etc/sfu.toml" "$prefix/etc/sfu-server.env"
  chmod 640 "$prefix/etc/sfu.toml" "$prefix/etc/sfu-server.env"
  install -m 644 "$prefix/etc/sfu-server.service" /etc/systemd/system/sfu-server.service
  systemctl daemon-reload
  systemctl enable sfu-server.service
  systemctl restart sfu-server.service
  say "sfu-server.service restarted on $(readlink "$prefix/current")"
}

render_unit() {
  sed "s|@PREFIX@|$prefix|g" "$prefix/current/systemd/sfu-server.service" > "$prefix/etc/.sfu-server.service.new"
  mv "$prefix/etc/.sfu-server.service.new" "$prefix/etc/sfu-server.service"
}

if [ "$rollback" = 1 ]; then
  previous=$(readlink "$prefix/previous" 2>/dev/null) || die "no previous release under $prefix to roll back to"
  current=$(readlink "$prefix/current" 2>/dev/null) || die "no current release under $prefix"
  [ -d "$prefix/$previous" ] || die "the previous release $prefix/$previous is gone"
  link current "$previous"
  link previous "$current"
  render_unit
  say "rolled back: current is now $previous (was $current; install.sh --rollback again to undo)"
  system_setup
  exit 0
fi

if [ -n "$switch" ]; then
  printf '%s\n' "$switch" | grep -Eq '^[0-9A-Za-z][0-9A-Za-z._+-]*$' || die "bad version '$switch'"
  [ -d "$prefix/releases/$switch" ] || die "release $switch is not staged under $prefix/releases (install.sh --stage BUNDLE first)"
  old=$(readlink "$prefix/current" 2>/dev/null) || old=""
  [ "$old" != "releases/$switch" ] || die "release $switch is already current"
  [ -z "$old" ] || link previous "$old"
  link current "releases/$switch"
  render_unit
  say "switched: current -> releases/$switch${old:+ (previous: $old; install.sh --rollback to undo)}"
  system_setup
  exit 0
fi

[ -f "$bundle" ] || die "no bundle at $bundle"
if [ -n "$key" ]; then
  [ -f "$key" ] || die "no public key at $key"
  openssl pkey -pubin -in "$key" -noout 2>/dev/null || die "$key is not a PEM public key"
  if [ -f "$site_key" ] && ! cmp -s "$key" "$site_key"; then
    die "--key $key differs from this site's key $site_key; nothing was installed (to change the site key, replace that file yourself)"
  fi
elif [ -f "$site_key" ]; then
  key=$site_key
else
  die "no site key yet: pass --key FILE with the public key the console made for this site"
fi

# Unpack into a scratch directory next to releases/ (same file system, so the final move is a rename).
staging=$(mktemp -d "$prefix/.incoming.XXXXXX")
tar -tzf "$bundle" > "$staging/names" 2>"$staging/err" || die "cannot read $bundle as a .tar.gz: $(head -c 300 "$staging/err")"
top=$(head -n 1 "$staging/names")
top=${top%%/*}
printf '%s\n' "$top" | grep -Eq '^sfu-server-[0-9A-Za-z][0-9A-Za-z._+-]*$' || die "refused: '$top' is not an sfu-server bundle directory"
if bad=$(grep -Ev "^$top(/[A-Za-z0-9._+@-]+)*/?\$" "$staging/names" | head -n 3) && [ -n "$bad" ]; then
  die "refused: unexpected paths in the bundle: $bad"
fi
if grep -Eq '(^|/)\.\.?(/|$)' "$staging/names"; then
  die "refused: the bundle has '.' or '..' path elements"
fi
tar -tvzf "$bundle" | cut -c1 | sort -u > "$staging/types"
if grep -qv '^[-d]$' "$staging/types"; then
  die "refused: the bundle has links or special files (only files and directories are allowed)"
fi
mkdir "$staging/tree"
tar -xzf "$bundle" -C "$staging/tree" --no-same-owner || die "refused: could not unpack $bundle"
root="$staging/tree/$top"

for f in MANIFEST MANIFEST.sig; do
  [ -f "$root/$f" ] || die "refused: missing $f, the bundle is not signed. Nothing was installed."
done
if ! openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$root/MANIFEST" -sigfile "$root/MANIFEST.sig" >/dev/null 2>&1; then
  die "refused: bad signature: MANIFEST.sig does not match MANIFEST for the site key $key (the bundle was changed, or signed with another key). Nothing was installed."
fi
if ! (cd "$root" && sha256sum --check --strict --quiet MANIFEST) > "$staging/sums" 2>&1; then
  die "refused: files differ from the signed MANIFEST: $(grep -v '^sha256sum: WARNING' "$staging/sums" | tr '\n' ';' | sed 's/;$//'). Nothing was installed."
fi
(cd "$root" && find . -type f ! -path ./MANIFEST ! -path ./MANIFEST.sig | sed 's|^\./||' | LC_ALL=C sort) > "$staging/have"
sed 's/^[0-9a-f]\{64\}  //' "$root/MANIFEST" | LC_ALL=C sort > "$staging/want"
extra=$(LC_ALL=C comm -23 "$staging/have" "$staging/want" | head -n 5 | tr '\n' ' ')
[ -z "$extra" ] || die "refused: files not in the signed MANIFEST: $extra. Nothing was installed."

version=$(cat "$root/VERSION")
printf '%s\n' "$version" | grep -Eq '^[0-9A-Za-z][0-9A-Za-z._+-]*$' || die "refused: bad VERSION '$version'"
[ "$top" = "sfu-server-$version" ] || die "refused: directory $top does not match VERSION $version"
if [ "$stage" = 1 ] && [ -e "$prefix/releases/$version" ] && [ "$(readlink "$prefix/current" 2>/dev/null)" != "releases/$version" ]; then
  # Left by an earlier stage (or rolled back from): not running, so replaced by this checked copy.
  mv "$prefix/releases/$version" "$staging/replaced"
fi
if [ -e "$prefix/releases/$version" ]; then
  die "release $version is already installed in $prefix/releases/$version (install.sh --rollback switches between current and previous)"
fi

# Checked: now it may become a release.
mv "$root" "$prefix/releases/$version"
[ "$key" = "$site_key" ] || { cp "$key" "$prefix/etc/.release-signing.pub.new" && mv "$prefix/etc/.release-signing.pub.new" "$site_key"; }
if [ "$stage" = 1 ]; then
  say "staged $version in $prefix/releases/$version; current is unchanged ($(readlink "$prefix/current" 2>/dev/null || echo none)); install.sh --switch $version makes it current"
  exit 0
fi
if [ ! -e "$prefix/etc/sfu.toml" ]; then
  cp "$prefix/releases/$version/config/sfu.toml" "$prefix/etc/sfu.toml"
  say "wrote the default configuration $prefix/etc/sfu.toml"
fi
if [ ! -e "$prefix/etc/sfu-server.env" ]; then
  (umask 077 && printf '# SFU_API_TOKEN=...\n# SFU_AUTH_JOIN_TOKEN_SECRET=...\n' > "$prefix/etc/sfu-server.env")
fi
if old=$(readlink "$prefix/current" 2>/dev/null); then
  link previous "$old"
fi
link current "releases/$version"
render_unit
say "installed $version in $prefix/releases/$version; current -> releases/$version${old:+ (previous: $old)}"
system_setup
