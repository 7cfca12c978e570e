//! The kernel-keyring cache in front of the Secret Service (kernel_keys.rs, `Cached` in secret_store.rs):
//! a second read is served without the store, writes and deletes are seen at once, copies expire, and two
//! Secret Services (two session buses) never share entries. The store here is an in-memory one that counts
//! its reads, so each test can tell a cache hit from a store read.
#![cfg(target_os = "linux")]

use standin_core::kernel_keys::KernelKeyCache;
use standin_core::secret::Secret;
use standin_core::secret_store::{Cached, MemorySecretStore, SecretStore};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Clone, Default)]
struct Counting {
    inner: MemorySecretStore,
    reads: Arc<AtomicUsize>,
}

impl Counting {
    fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }
}

impl SecretStore for Counting {
    fn set(&self, account: &str, secret: &Secret) -> standin_core::Result<()> {
        self.inner.set(account, secret)
    }
    fn get(&self, account: &str) -> standin_core::Result<Option<Secret>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.get(account)
    }
    fn delete(&self, account: &str) -> standin_core::Result<()> {
        self.inner.delete(account)
    }
}

/// A bus address of its own per test (and per run), so tests never read each other's copies or an older
/// run's.
fn bus() -> String {
    format!("unix:path=/tmp/test-bus-{}", uuid::Uuid::new_v4())
}

fn cached(store: &Counting, bus: &str, ttl: u32) -> Cached<Counting> {
    Cached::new(
        store.clone(),
        KernelKeyCache::new(bus, "com.standin.test", ttl),
    )
}

/// Skips nothing silently: where keyctl is refused (a seccomp filter), the cache must fall back to the store
/// on every read, and that is what is checked instead.
fn kernel_keyring() -> bool {
    let ok = KernelKeyCache::available();
    if !ok {
        eprintln!(
            "note: this process cannot use the kernel keyring; checking the fallback instead"
        );
    }
    ok
}

#[test]
fn a_second_read_comes_from_the_cache_not_the_store() {
    let store = Counting::default();
    store.inner.set("audit-key", &Secret::new("k1")).unwrap();
    let bus = bus();
    let keys = cached(&store, &bus, 60);
    assert_eq!(keys.get("audit-key").unwrap(), Some(Secret::new("k1")));
    assert_eq!(store.reads(), 1);
    // Another process (a new `Cached` on the same bus) finds the copy too: that is the point of it.
    let next_run = cached(&store, &bus, 60);
    assert_eq!(next_run.get("audit-key").unwrap(), Some(Secret::new("k1")));
    assert_eq!(store.reads(), if kernel_keyring() { 1 } else { 2 });
    keys.delete("audit-key").unwrap();
}

#[test]
fn the_cache_serves_its_copy_and_a_write_through_it_replaces_the_copy() {
    let store = Counting::default();
    let bus = bus();
    let keys = cached(&store, &bus, 60);
    keys.set("prod", &Secret::new("old")).unwrap();
    // Changed behind the cache's back (as by another tool): the copy is still served until it expires,
    // which proves reads are served from the cache.
    store.inner.set("prod", &Secret::new("changed")).unwrap();
    let expected = if kernel_keyring() { "old" } else { "changed" };
    assert_eq!(keys.get("prod").unwrap(), Some(Secret::new(expected)));
    // Through the cache, a write is seen at once.
    keys.set("prod", &Secret::new("new")).unwrap();
    assert_eq!(keys.get("prod").unwrap(), Some(Secret::new("new")));
    keys.delete("prod").unwrap();
}

#[test]
fn a_delete_clears_the_copy() {
    let store = Counting::default();
    let bus = bus();
    let keys = cached(&store, &bus, 60);
    keys.set("prod", &Secret::new("s")).unwrap();
    assert_eq!(keys.get("prod").unwrap(), Some(Secret::new("s")));
    keys.delete("prod").unwrap();
    assert_eq!(keys.get("prod").unwrap(), None);
    assert!(!keys.contains("prod").unwrap());
}

#[test]
fn a_failed_write_to_the_store_leaves_no_copy() {
    struct Refusing(Counting);
    impl SecretStore for Refusing {
        fn set(&self, _: &str, _: &Secret) -> standin_core::Result<()> {
            Err(standin_core::CoreError::KeyringUnavailable("locked".into()))
        }
        fn get(&self, account: &str) -> standin_core::Result<Option<Secret>> {
            self.0.get(account)
        }
        fn delete(&self, account: &str) -> standin_core::Result<()> {
            self.0.delete(account)
        }
    }
    let store = Counting::default();
    let bus = bus();
    // A copy from an earlier read…
    let good = cached(&store, &bus, 60);
    store.inner.set("prod", &Secret::new("before")).unwrap();
    assert_eq!(good.get("prod").unwrap(), Some(Secret::new("before")));
    // …is dropped when a write fails, so the next read asks the store.
    let refusing = Cached::new(
        Refusing(store.clone()),
        KernelKeyCache::new(&bus, "com.standin.test", 60),
    );
    assert!(refusing.set("prod", &Secret::new("after")).is_err());
    let reads = store.reads();
    assert_eq!(good.get("prod").unwrap(), Some(Secret::new("before")));
    assert_eq!(store.reads(), reads + 1);
    good.delete("prod").unwrap();
}

#[test]
fn copies_expire() {
    let store = Counting::default();
    store.inner.set("audit-key", &Secret::new("k")).unwrap();
    let bus = bus();
    let keys = cached(&store, &bus, 1);
    keys.get("audit-key").unwrap();
    keys.get("audit-key").unwrap();
    let after_two = store.reads();
    assert_eq!(after_two, if kernel_keyring() { 1 } else { 2 });
    // The kernel destroys the key when its timeout passes (whole seconds; a little slack for its clock).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(keys.get("audit-key").unwrap(), Some(Secret::new("k")));
    assert_eq!(store.reads(), after_two + 1);
    keys.delete("audit-key").unwrap();
}

#[test]
fn two_session_buses_never_share_copies() {
    let desktop = Counting::default();
    let private = Counting::default();
    desktop.inner.set("prod", &Secret::new("desktop")).unwrap();
    let on_desktop = cached(&desktop, &bus(), 60);
    let on_private = cached(&private, &bus(), 60);
    assert_eq!(
        on_desktop.get("prod").unwrap(),
        Some(Secret::new("desktop"))
    );
    // A test's private Secret Service has no such entry, and must not find the desktop's copy.
    assert_eq!(on_private.get("prod").unwrap(), None);
    on_desktop.delete("prod").unwrap();
}

#[test]
fn no_cache_when_turned_off_or_without_a_session_bus() {
    assert!(KernelKeyCache::new("unix:path=/x", "svc", 0).is_none());
    assert!(KernelKeyCache::new("", "svc", 60).is_none());
    let store = Counting::default();
    store.inner.set("k", &Secret::new("v")).unwrap();
    let keys = Cached::new(store.clone(), None);
    keys.get("k").unwrap();
    keys.get("k").unwrap();
    assert_eq!(store.reads(), 2);
}

#[test]
fn secrets_of_any_size_and_text_round_trip() {
    let store = Counting::default();
    let bus = bus();
    let keys = cached(&store, &bus, 60);
    // Longer than the first read buffer (4 KiB), and not ASCII.
    let long = "é".repeat(3000);
    keys.set("long", &Secret::new(long.clone())).unwrap();
    let again = cached(&store, &bus, 60);
    assert_eq!(again.get("long").unwrap(), Some(Secret::new(long)));
    if kernel_keyring() {
        assert_eq!(store.reads(), 0);
    }
    keys.delete("long").unwrap();
}
