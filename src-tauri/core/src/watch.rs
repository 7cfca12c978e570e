//! The expiry watcher: warns shortly before a session's end, then ends the session itself when its time is
//! up, so a session never outlives its deadline just because nobody clicked Stop. The app spawns one per
//! session (and per extension) and turns what it yields into events for the web view.
//!
//! Time is passed in twice: the session's deadline is judged by the client's [`crate::clock::Clock`], and
//! the waiting is done by a [`Sleeper`]. In the app both are real; in tests a [`ManualSleeper`] moves a
//! [`ManualClock`] forward by exactly the time asked for, so a 90-second session is watched to its end in
//! microseconds.

use crate::clock::ManualClock;
use crate::console::{Console, SessionEnd};
use crate::transport::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

/// The warning comes this long before a session expires…
pub const EXPIRY_WARNING: Duration = Duration::from_secs(60);

/// …or halfway through a session shorter than two minutes, so every session gets one.
pub fn warning_lead(session_length: Duration) -> Duration {
    EXPIRY_WARNING.min(session_length / 2)
}

/// After the deadline the watcher waits this much longer before ending the session, so the session is
/// surely past its deadline by the clock that judges it (`Console::expire_if_due` checks, not trusts).
const PAST_DEADLINE: Duration = Duration::from_millis(50);

/// How the watcher waits.
pub trait Sleeper: Send + Sync + 'static {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Waits on the runtime's timer (the app).
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Moves a manual clock forward by the time asked for, then lets other tasks run (tests).
#[derive(Debug, Clone)]
pub struct ManualSleeper(pub ManualClock);

impl Sleeper for ManualSleeper {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.advance(duration);
        Box::pin(tokio::task::yield_now())
    }
}

/// What the watcher saw happen to its session.
#[derive(Debug, Clone)]
pub enum WatchEvent {
    /// The session ends soon; the web view shows Extend.
    Expiring {
        session_id: String,
        seconds_left: u64,
    },
    /// The watcher ended the session: its time was up. (Boxed: a session's details are much bigger than
    /// the warning, and the event is passed by value.)
    Ended(Box<SessionEnd>),
}

/// Watches one session (by ID) of a console.
pub struct ExpiryWatch {
    console: Arc<Console>,
    session_id: String,
    left: Duration,
    sleeper: Arc<dyn Sleeper>,
}

impl ExpiryWatch {
    /// Watches session `session_id`, which has `left` to run, on the real timer.
    pub fn new(console: Arc<Console>, session_id: &str, left: Duration) -> Self {
        ExpiryWatch {
            console,
            session_id: session_id.to_string(),
            left,
            sleeper: Arc::new(TokioSleeper),
        }
    }

    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Runs until the session has ended: yields `Expiring` once near the end (while the session is still
    /// this one) and `Ended` if the watcher ended it. A session stopped, replaced or extended meanwhile is
    /// left alone, and the watcher returns without a word (`expire_if_due` checks the ID).
    pub async fn run(self, mut on_event: impl FnMut(WatchEvent) + Send) {
        let id = self.session_id.as_str();
        let lead = warning_lead(self.left);
        if !lead.is_zero() {
            self.sleeper.sleep(self.left - lead).await;
            match self.console.current().await {
                Some((info, remaining)) if info.id == id => on_event(WatchEvent::Expiring {
                    session_id: id.to_string(),
                    seconds_left: remaining.as_secs(),
                }),
                _ => return,
            }
        }
        loop {
            let remaining = match self.console.current().await {
                Some((info, remaining)) if info.id == id => remaining,
                // Already expired (current() hides it) or gone: try to end it, then stop watching.
                _ => Duration::ZERO,
            };
            self.sleeper.sleep(remaining + PAST_DEADLINE).await;
            if let Some(end) = self.console.expire_if_due(id).await {
                on_event(WatchEvent::Ended(Box::new(end)));
                return;
            }
            if remaining.is_zero() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_gets_a_warning_before_its_end() {
        assert_eq!(warning_lead(Duration::from_secs(3600)), EXPIRY_WARNING);
        assert_eq!(warning_lead(Duration::from_secs(120)), EXPIRY_WARNING);
        assert_eq!(
            warning_lead(Duration::from_secs(90)),
            Duration::from_secs(45)
        );
        assert_eq!(warning_lead(Duration::ZERO), Duration::ZERO);
    }

    #[tokio::test]
    async fn the_manual_sleeper_moves_its_clock_by_the_time_asked_for() {
        use crate::clock::Clock;
        let clock = ManualClock::starting_now();
        let before = clock.now();
        ManualSleeper(clock.clone())
            .sleep(Duration::from_secs(90))
            .await;
        assert_eq!(clock.now() - before, time::Duration::seconds(90));
    }
}
