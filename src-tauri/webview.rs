//! How the web view renders, chosen for memory: bench/app.sh measures the app against an empty Tauri window
//! (BENCHMARKS.md, "Desktop app").
//!
//! On Linux the window is drawn without GPU compositing (WebKitGTK's hardware acceleration policy `Never`). With
//! compositing, WebKit keeps a GL context and a tiled backing store per layer — in software (Mesa's llvmpipe) on
//! the many machines without a usable GPU — which cost this console ≈ 105 MiB of PSS at rest and ≈ 145 MiB with
//! a session open, for tables and forms that gain nothing from it. Measured alternatives that did not pay
//! (each within noise, BENCHMARKS.md): WebKit's DocumentViewer cache model, switching off WebGL, Web Audio,
//! media and the page cache, and one tokio worker instead of one per core.
//!
//! `STANDIN_GPU_COMPOSITING=1` leaves WebKit's own policy in place: for a desktop where compositing is wanted, and
//! for the end-to-end suite, because WebKitWebDriver's screenshots hang without compositing (as they do with
//! `WEBKIT_DISABLE_DMABUF_RENDERER`).

/// Whether the web view should be left to composite on the GPU (WebKit's default), from the value of
/// `STANDIN_GPU_COMPOSITING`: only "1" or "true" opt in; anything else — unset, empty, a typo — keeps the lean
/// default.
pub fn gpu_compositing_from(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("1") | Some("true"))
}

/// Applies the rendering choice to a window's web view (WebKitGTK on Linux; other platforms' engines are left as
/// they are). Never fails the app: a web view that cannot be tuned still works, with more memory.
pub fn apply<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    if gpu_compositing_from(std::env::var("STANDIN_GPU_COMPOSITING").ok().as_deref()) {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let result = window.with_webview(|platform| {
            use webkit2gtk::{SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&platform.inner()) {
                settings.set_hardware_acceleration_policy(
                    webkit2gtk::HardwareAccelerationPolicy::Never,
                );
            }
        });
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not set the web view's rendering mode");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(test)]
mod tests {
    use super::gpu_compositing_from;

    #[test]
    fn only_an_explicit_yes_turns_gpu_compositing_back_on() {
        assert!(gpu_compositing_from(Some("1")));
        assert!(gpu_compositing_from(Some(" true ")));
        for value in [
            None,
            Some(""),
            Some("0"),
            Some("false"),
            Some("yes please"),
            Some("TRUE1"),
        ] {
            assert!(!gpu_compositing_from(value), "{value:?}");
        }
    }
}
