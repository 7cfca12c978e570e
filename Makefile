# Stand-in: the two commands a fresh Debian 12 machine needs are `make run` and `make test`.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Build: pkg-config + libdbus (the keyring crate talks to the Secret Service through it), WebKitGTK (Tauri).
# Test: a private D-Bus session with gnome-keyring for the real-keyring tests; Python for Sigma's example
# client; Debian's Chromium for the UI's browser tests.
SYSTEM_PACKAGES := build-essential curl ca-certificates pkg-config libdbus-1-dev libwebkit2gtk-4.1-dev \
	dbus gnome-keyring libsecret-tools python3 python3-pip chromium
PYTHON := python3
STAMP := target/.system-packages
export PATH := $(HOME)/.cargo/bin:$(PATH)
APP := target/release/stand-in
CLI := target/release/standin
# The version of everything (app, CLI, packages) is the workspace's: [workspace.package] in Cargo.toml.
VERSION := $(shell sed -n '/^\[workspace\.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
BUNDLE := target/release/bundle

.PHONY: setup run test lint licenses unit ui-deps ui-test app e2e tauri-driver package install-test bench bench-deps

$(STAMP):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check PyJWT requests 2>/dev/null \
	  || $(PYTHON) -m pip install --quiet --disable-pip-version-check --break-system-packages PyJWT requests
	# Bootstrap for machines that lack the tools, skipped where they exist (the only downloads from outside the
	# package registries, and only then). Debian 12's own cargo is too old: a fresh machine gets the stable
	# toolchain through rustup.
	command -v cargo >/dev/null || (curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt)
	# Vite 7 needs Node.js 20.19 or newer (with npm); Debian 12 ships 18, so a fresh machine gets NodeSource's 20.
	node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null \
	  || { curl -fsSL https://deb.nodesource.com/setup_20.x | $(SUDO) bash - && $(SUDO) apt-get install -y -qq nodejs; }
	mkdir -p target && touch $(STAMP)

setup: $(STAMP)

ui/node_modules/.package-lock.json: ui/package-lock.json | $(STAMP)
	npm --prefix ui ci --no-audit --no-fund

ui-deps: ui/node_modules/.package-lock.json

# The UI bundle, rebuilt only when its sources change: cargo re-embeds ui/dist whenever its files are rewritten
# (even unchanged), and that costs a ≈ 1.5 min release relink of the app.
UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/tsconfig.json ui/package.json
ui/dist/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	npm --prefix ui run build

# The release app with the UI embedded, and the release CLI, in one cargo run (one feature resolution, so the
# dependencies they share are built once). This is the one release build: `make e2e` tests this app, and
# `make package` packs these two binaries as they are.
app: setup ui/dist/index.html
	cargo build --release --features stand-in/custom-protocol -p stand-in -p standin-cli

# Opens the desktop console on the built-in sandbox org (it starts in-process: no setup, no network).
run: app
	$(APP)

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

unit: setup
	cargo test --workspace

ui-test: ui-deps
	npm --prefix ui run typecheck
	npm --prefix ui test
	npm --prefix ui run build
	npm --prefix ui run test:browser

# End-to-end: the release app in a real window under Xvfb, driven over WebDriver (WebdriverIO 9 → tauri-driver →
# WebKitWebDriver), inside a private D-Bus session with an unlocked gnome-keyring and fresh HOME/XDG/STANDIN dirs.
# Screenshots of every screen go to target/e2e-screenshots/.
E2E_PACKAGES := xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools procps
E2E_STAMP := target/.e2e-packages

$(E2E_STAMP): | $(STAMP)
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(E2E_PACKAGES) \
	  || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(E2E_PACKAGES); }
	touch $@

tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json | $(STAMP)
	npm --prefix tests/e2e ci --no-audit --no-fund

tauri-driver: | $(STAMP)
	command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

e2e: $(E2E_STAMP) tests/e2e/node_modules/.package-lock.json app tauri-driver
	E2E_APP=$(CURDIR)/$(APP) tests/e2e/run.sh

# Licences of every dependency against an allow-list, and where they come from: cargo-deny for the Rust
# workspace (deny.toml: licences, crates.io as the only source), and packaging/check-npm-licenses.mjs for every
# npm lockfile (its own tests first: it must be able to fail). cargo-deny is compiled from crates.io once per
# machine (8 min of CPU: ≈ 5 min on 2 idle cores). `cargo fetch` brings the crates of every target deny.toml
# names (macOS, Windows) from crates.io; cargo-deny then runs offline (no advisory database: it is not in a
# package registry).
NPM_LOCKS := ui tests/e2e packaging
licenses: setup
	command -v cargo-deny >/dev/null || cargo install cargo-deny --locked
	cargo fetch --locked
	cargo deny --frozen check licenses sources
	node --test packaging/tests/
	node packaging/check-npm-licenses.mjs $(NPM_LOCKS)

# Tauri's CLI from npm (its native binary ships inside a registry package), pinned by packaging/package-lock.json.
packaging/node_modules/.package-lock.json: packaging/package-lock.json | $(STAMP)
	npm --prefix packaging ci --no-audit --no-fund

# The .deb and .rpm (Tauri's bundler: tauri.conf.json `bundle`) from the release build above. `tauri bundle`
# packs the binaries cargo built; it compiles nothing. --no-binary-patching keeps the app byte-for-byte the one
# `make e2e` tested (the patch only tells Tauri's updater, which Stand-in does not use, which package it came
# in). Run without a network where this machine allows it (root, `unshare`): proof that bundling downloads
# nothing.
package: app packaging/node_modules/.package-lock.json
	rm -rf $(BUNDLE)
	$(if $(shell unshare --net true 2>/dev/null && echo y),unshare --net) packaging/node_modules/.bin/tauri bundle \
	  --ci --no-sign --no-binary-patching --bundles deb,rpm --features custom-protocol
	@ls -l $(BUNDLE)/deb/*.deb $(BUNDLE)/rpm/*.rpm

# Installs the .deb on this machine, launches the installed app under Xvfb, runs the installed CLI, removes it
# (tests/e2e/install/run.sh). Needs root or sudo.
install-test: package $(E2E_STAMP) tests/e2e/node_modules/.package-lock.json tauri-driver
	tests/e2e/install/run.sh $(BUNDLE)/deb/*_$(VERSION)_*.deb

test: lint licenses unit ui-test e2e install-test

# Benchmarks (BENCHMARKS.md; not part of `make test`: minutes long, and they want a quiet machine). Criterion
# for in-process work (every [[bench]] target of the workspace's crates; `--bench '*'` and not `--benches`, which
# would also build each library's unit tests in release), then every executable bench/*.sh script, each of which
# builds what it needs and prints its results. Tools the scripts need come from apt.
BENCH_PACKAGES := hyperfine

# Checked on every run (dpkg knows in milliseconds), so a package added to the list later is installed too.
bench-deps: | $(STAMP)
	dpkg -s $(BENCH_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BENCH_PACKAGES); }

# bench/app.sh drives the desktop app the way the e2e suite does (Xvfb, private keyring, tauri-driver).
bench: setup bench-deps $(E2E_STAMP) tests/e2e/node_modules/.package-lock.json tauri-driver
	cargo bench --workspace --bench '*'
	for script in bench/*.sh; do [ -x "$$script" ] || continue; echo "== $$script"; "$$script" || exit 1; done
