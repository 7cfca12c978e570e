//! A dropped `Secret` leaves no copy of its value in freed memory. An allocator wrapper looks at a watched
//! buffer at the moment it is freed (when reading it is still sound), so the test sees what a later
//! allocation would have found there.

use standin_core::Secret;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Watching;

thread_local! {
    /// The address of the buffer to look at when it is freed, and its length.
    static WATCH: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    /// Whether that buffer was all zeros when freed (`None` until it is freed).
    static ZEROED_AT_FREE: Cell<Option<bool>> = const { Cell::new(None) };
}

unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let (addr, len) = WATCH.try_with(Cell::get).unwrap_or((0, 0));
        if addr != 0 && addr == ptr as usize {
            // SAFETY: the buffer is still allocated until `System.dealloc` below, and `len` is within it.
            let bytes = std::slice::from_raw_parts(ptr, len.min(layout.size()));
            let zeroed = bytes.iter().all(|b| *b == 0);
            let _ = ZEROED_AT_FREE.try_with(|z| z.set(Some(zeroed)));
            let _ = WATCH.try_with(|w| w.set((0, 0)));
        }
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

fn watch(ptr: *const u8, len: usize) {
    ZEROED_AT_FREE.with(|z| z.set(None));
    WATCH.with(|w| w.set((ptr as usize, len)));
}

const VALUE: &str = "demo-admin-secret-5f2c9e7a4b1d8036";

#[test]
fn a_plain_string_leaves_its_bytes_behind() {
    // What the wipe is for: a String is freed with its content intact.
    let plain = String::from(VALUE);
    watch(plain.as_ptr(), plain.len());
    drop(plain);
    assert_eq!(ZEROED_AT_FREE.with(Cell::get), Some(false));
}

#[test]
fn a_dropped_secret_is_wiped_before_its_memory_is_freed() {
    let secret = Secret::new(String::from(VALUE));
    let exposed = secret.expose();
    watch(exposed.as_ptr(), exposed.len());
    drop(secret);
    assert_eq!(ZEROED_AT_FREE.with(Cell::get), Some(true));
}

#[test]
fn every_clone_is_wiped_too() {
    let secret = Secret::new(String::from(VALUE));
    let clone = secret.clone();
    drop(secret);
    let exposed = clone.expose();
    watch(exposed.as_ptr(), exposed.len());
    drop(clone);
    assert_eq!(ZEROED_AT_FREE.with(Cell::get), Some(true));
}

#[test]
fn a_deserialized_secret_is_wiped_too() {
    let secret: Secret = serde_json::from_str(&format!("\"{VALUE}\"")).unwrap();
    assert_eq!(format!("{secret:?}"), "[redacted]");
    let exposed = secret.expose();
    watch(exposed.as_ptr(), exposed.len());
    drop(secret);
    assert_eq!(ZEROED_AT_FREE.with(Cell::get), Some(true));
}
