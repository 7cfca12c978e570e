# Stand-in: the two commands a fresh Debian 12 machine needs are `make run` and `make test`.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Build: pkg-config + libdbus (the keyring crate talks to the Secret Service through it), WebKitGTK (Tauri).
# Test: a private D-Bus session with gnome-keyring for the real-keyring tests; Python for Sigma's example client.
SYSTEM_PACKAGES := build-essential curl ca-certificates pkg-config libdbus-1-dev libwebkit2gtk-4.1-dev \
	dbus gnome-keyring libsecret-tools python3 python3-pip
PYTHON := python3
STAMP := target/.system-packages
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup run test lint unit

$(STAMP):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check PyJWT requests 2>/dev/null \
	  || $(PYTHON) -m pip install --quiet --disable-pip-version-check --break-system-packages PyJWT requests
	# Debian 12's own cargo is too old: a fresh machine gets the stable toolchain through rustup.
	command -v cargo >/dev/null || (curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt)
	mkdir -p target && touch $(STAMP)

setup: $(STAMP)

# Serves the sandbox org on a fixed port and shows how to use `standin` against it; Ctrl+C stops it.
# (The desktop window arrives with the desktop issue; until then the CLI is the app.)
run: setup
	cargo build --release -p standin-cli
	@echo
	@echo "Sandbox org on http://127.0.0.1:8787 — in another terminal:"
	@echo "  export SIGMA_BASE_URL=http://127.0.0.1:8787 SIGMA_CLIENT_ID=standin-demo-admin SIGMA_CLIENT_SECRET=demo-admin-secret-5f2c9e7a4b1d8036"
	@echo "  target/release/standin users"
	@echo "  target/release/standin as tom.lee@acme.example --reason demo files --type workbook"
	@echo
	target/release/standin sandbox serve --port 8787

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

unit: setup
	cargo test --workspace

test: lint unit
