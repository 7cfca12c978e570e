#!/usr/bin/env bash
# The install test: the .deb as an admin gets it, on this machine.
#
#   tests/e2e/install/run.sh PATH/TO/Stand-in_VERSION_amd64.deb        (as root; make install-test builds it first)
#
# 1. The package itself: control fields (version = the workspace's, maintainer, homepage, description, runtime
#    dependencies), the files it ships (app, CLI, desktop entry, icons, copyright).
# 2. `dpkg -i`, then `apt-get install -f` for what it depends on (fails when a dependency cannot be had).
# 3. Every shared library the installed binaries load belongs to a package the .deb depends on, directly or
#    through those packages' own dependencies: a dependency forgotten in tauri.conf.json fails here even on a
#    build machine where the library happens to be installed.
# 4. `stand-in --version` (no display) and `standin --version` print the workspace's version.
# 5. tests/e2e/install/installed.test.mjs through the e2e harness (Xvfb, private D-Bus, gnome-keyring, fresh
#    HOME and XDG dirs, no STANDIN_* overrides): the users table on first launch, `standin sandbox serve` and
#    `standin users`, files in their XDG places, then `dpkg -r` keeps the audit log and the keyring entries.
# The package is removed at the end whatever happened (a failed run must not leave it installed).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
DEB=${1:?usage: tests/e2e/install/run.sh PATH/TO/PACKAGE.deb}
DEB=$(realpath "$DEB")
SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
started=$(date +%s)

fail() { echo "install test: $*" >&2; exit 1; }
field() { dpkg-deb -f "$DEB" "$1"; }

# ---- 1. the package ----
VERSION=$(sed -n '/^\[workspace\.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml")
[ -n "$VERSION" ] || fail "no version in [workspace.package] of Cargo.toml"
PKG=$(field Package)
[ "$(field Version)" = "$VERSION" ] || fail "package version $(field Version), workspace version $VERSION"
for f in Maintainer Homepage Description Depends Architecture; do
  [ -n "$(field "$f")" ] || fail "the control file has no $f"
done
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
  grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends ($depends) lacks $dep"
done
contents=$(dpkg-deb -c "$DEB" | awk '{print $NF}')
for f in usr/bin/stand-in usr/bin/standin usr/share/applications/Stand-in.desktop \
  "usr/share/doc/$PKG/copyright"; do
  grep -qxF "$f" <<<"$contents" || fail "the package has no $f"
done
grep -q '^usr/share/icons/hicolor/.*/apps/stand-in\.png$' <<<"$contents" || fail "the package has no icon"
echo "install test: $PKG $VERSION ($(du -h "$DEB" | cut -f1)), Depends: $depends"

# ---- 2. install ----
if dpkg -s "$PKG" >/dev/null 2>&1; then
  echo "install test: $PKG is installed already; this test replaces it and removes it at the end" >&2
fi
remove() { if dpkg -s "$PKG" >/dev/null 2>&1; then $SUDO dpkg -r "$PKG" >/dev/null || true; fi; }
trap remove EXIT
# dpkg -i leaves the package unconfigured when a dependency is missing; apt-get -f then fetches it (or removes
# the package when it cannot, which the checks below catch).
$SUDO dpkg -i "$DEB" || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq --no-install-recommends
[ "$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null)" = installed ] || fail "$PKG is not installed after dpkg -i + apt-get -f"
APP=/usr/bin/stand-in
CLI=/usr/bin/standin
[ -x "$APP" ] && [ -x "$CLI" ] || fail "$APP or $CLI missing after install"
[ "$(command -v standin)" = "$CLI" ] || fail "standin is not on PATH as $CLI"
desktop=/usr/share/applications/Stand-in.desktop
grep -qx 'Exec=stand-in' "$desktop" || fail "$desktop: $(grep ^Exec= "$desktop")"
icon=$(sed -n 's/^Icon=//p' "$desktop")
ls /usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null 2>&1 || fail "no icon $icon for $desktop"

# ---- 3. every library the binaries load comes with the declared dependencies ----
# The closure of the package's Depends/Pre-Depends over installed packages (alternatives: each one installed;
# virtual names: their installed providers).
closure=$(python3 - "$PKG" <<'EOF'
import re, subprocess, sys
out = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${db:Status-Status}\t${Depends}, ${Pre-Depends}\t${Provides}\n"],
                     capture_output=True, text=True, check=True).stdout
deps, providers = {}, {}
for line in out.splitlines():
    name, status, depends, provides = line.split("\t")
    if status != "installed":
        continue
    deps[name] = [[re.sub(r"[\s(:].*", "", alt.strip()) for alt in group.split("|")]
                  for group in depends.split(",") if group.strip()]
    for p in provides.split(","):
        if p.strip():
            providers.setdefault(re.sub(r"[\s(:].*", "", p.strip()), set()).add(name)
seen, todo = set(), [sys.argv[1]]
while todo:
    pkg = todo.pop()
    if pkg in seen:
        continue
    seen.add(pkg)
    for group in deps.get(pkg, []):
        for alt in group:
            todo.extend([alt] if alt in deps else providers.get(alt, []))
print("\n".join(sorted(seen)))
EOF
)
for bin in "$APP" "$CLI"; do
  libs=$(ldd "$bin")
  if grep -q 'not found' <<<"$libs"; then fail "$bin: $(grep 'not found' <<<"$libs")"; fi
  for lib in $(awk '/=> \// {print $3}' <<<"$libs"); do
    owner=$(dpkg -S "$(realpath "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null) || fail "$bin loads $lib, which no package owns"
    owner=${owner%%:*}
    grep -qxF "$owner" <<<"$closure" || fail "$bin loads $lib from $owner, which $PKG does not depend on (tauri.conf.json bundle.linux.deb.depends)"
  done
done
echo "install test: every library of stand-in and standin comes with $PKG's dependencies"

# ---- 4. versions (no display: --version answers before Tauri starts) ----
app_version=$(env -u DISPLAY -u WAYLAND_DISPLAY "$APP" --version)
cli_version=$("$CLI" --version)
[ "$app_version" = "stand-in $VERSION" ] || fail "stand-in --version: $app_version (expected stand-in $VERSION)"
[ "$cli_version" = "standin $VERSION" ] || fail "standin --version: $cli_version (expected standin $VERSION)"
echo "install test: $app_version / $cli_version"

# ---- 5. first run, the CLI, where files land, removal ----
E2E_APP=$APP E2E_XDG_ONLY=1 INSTALL_TEST=1 INSTALL_CLI=$CLI INSTALL_PACKAGE=$PKG \
  "$ROOT/tests/e2e/run.sh" "$HERE/installed.test.mjs"
! dpkg -s "$PKG" >/dev/null 2>&1 || fail "$PKG is still installed after the spec's dpkg -r"
echo "install test: passed in $(($(date +%s) - started)) s"
