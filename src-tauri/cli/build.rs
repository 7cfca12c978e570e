//! Link flags for the `standin` binary only.
//!
//! Packed relative relocations (DT_RELR; GNU ld ≥ 2.38, glibc ≥ 2.36 — Debian 12 has both): a position-
//! independent Rust binary carries tens of thousands of relative relocations, ≈ 0.5 MB of `.rela.dyn` that
//! the dynamic loader reads and applies at every start. Packed, they are a few kilobytes of bitmaps: fewer
//! pages touched, less loader work, for a command that runs in a few milliseconds (BENCHMARKS.md §2). The
//! binary stays position-independent (ASLR unchanged).
// A build script talks to cargo on stdout: `println!` is its protocol, not program output (clippy.toml bans it
// for the CLI's own code, which prints through `output`).
#[allow(clippy::disallowed_macros)]
fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os == "linux" && target_env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
