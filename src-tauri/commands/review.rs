//! Access review: one at a time, run in the background by the core; `review-progress` and `review-finished`
//! events reach the web view, and the last review that ended stays in memory for its matrix and exports.

use crate::dto::*;
use crate::state::{blocking, AppState};
use standin_core::review::ReviewProgress;
use standin_core::review_runs::{export_review, ExportKind};
use std::sync::{Arc, Mutex, PoisonError};

type Res<T> = Result<T, ErrorDto>;

fn error(code: &str, message: String) -> ErrorDto {
    ErrorDto {
        code: code.into(),
        message,
        request_id: None,
        rule: None,
    }
}

fn not_found(id: &str) -> ErrorDto {
    let message =
        format!("access review {id} is not in memory (only the last one is kept); run it again");
    error("review_not_found", message)
}

fn emit<T: serde::Serialize>(state: &AppState, event: &str, payload: &T) {
    let value = serde_json::to_value(payload).unwrap_or_default();
    state.events.emit(event, value);
}

/// Starts a review and answers with its ID once the core has one (the scope is known). A review that
/// cannot start (an unknown team, credentials that are not an Admin's…) is this call's error, and sends
/// no event.
pub async fn start_access_review(
    state: &Arc<AppState>,
    request: ReviewRequestDto,
) -> Res<ReviewStartedDto> {
    let options = request.to_options()?;
    let Some(cancel) = state.reviews.begin() else {
        let message = "an access review is already running; cancel it or wait for it to end".into();
        return Err(error("review_running", message));
    };
    let (first_tx, first_rx) = tokio::sync::oneshot::channel::<Res<String>>();
    let first = Mutex::new(Some(first_tx));
    let take_first = move || first.lock().unwrap_or_else(PoisonError::into_inner).take();
    let st = state.clone();
    tokio::spawn(async move {
        let on_progress = |p: &ReviewProgress| {
            st.reviews.progressed(p);
            if let Some(tx) = take_first() {
                let _ = tx.send(Ok(p.review_id.clone()));
            }
            emit(&st, "review-progress", &ReviewProgressDto::from(p));
        };
        let result = st
            .console
            .access_review(&options, &on_progress, &cancel)
            .await;
        match result {
            Ok(review) => {
                let finished = ReviewFinishedDto::from(&review);
                st.reviews.ended(Some(review));
                emit(&st, "review-finished", &finished);
            }
            Err(e) => {
                let id = st
                    .reviews
                    .running()
                    .map(|p| p.review_id)
                    .unwrap_or_default();
                st.reviews.ended(None);
                if let Some(tx) = take_first() {
                    let _ = tx.send(Err(ErrorDto::from(e)));
                } else {
                    // After it began every problem is one user's, kept in their row; should the core still
                    // fail, the screen hears the end with the error rather than waiting for ever.
                    let finished = ReviewFinishedDto::failed(id, ErrorDto::from(e));
                    emit(&st, "review-finished", &finished);
                }
            }
        }
    });
    let review_id = first_rx
        .await
        .map_err(|_| error("review_failed", "the review stopped before it began".into()))??;
    Ok(ReviewStartedDto { review_id })
}

/// Cancels the running review: users in flight stop and their sessions end on record; the partial result
/// is kept. Cancelling a review that already ended does nothing.
pub async fn cancel_access_review(state: &AppState, review_id: String) -> Res<()> {
    state.reviews.cancel(&review_id);
    Ok(())
}

pub async fn access_review_status(state: &AppState) -> Res<ReviewStatusDto> {
    Ok(ReviewStatusDto {
        running: state
            .reviews
            .running()
            .as_ref()
            .map(ReviewProgressDto::from),
        last: state.reviews.last().as_deref().map(ReviewFinishedDto::from),
    })
}

pub async fn access_review_result(state: &AppState, review_id: String) -> Res<AccessReviewDto> {
    let review = state
        .reviews
        .get(&review_id)
        .ok_or_else(|| not_found(&review_id))?;
    // The copy of a matrix that can be megabytes is made off the async threads.
    Ok(blocking(move || Ok(AccessReviewDto::from(review.as_ref()))).await?)
}

/// A new file in the export folder (the audit export's folder), written whole by the core's CSV or JSON
/// writer; "Show in folder" (`reveal_export`) accepts it.
pub async fn export_access_review(
    state: &AppState,
    review_id: String,
    format: ExportFormat,
) -> Res<ReviewExportDto> {
    let review = state
        .reviews
        .get(&review_id)
        .ok_or_else(|| not_found(&review_id))?;
    let dir = state.export_dir.clone();
    let kind = match format {
        ExportFormat::Csv => ExportKind::Csv,
        ExportFormat::Json => ExportKind::Json,
    };
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let (users, documents) = (to_u32(review.users.len()), to_u32(review.documents.len()));
    let path = blocking(move || export_review(&review, &dir, kind, &stamp)).await?;
    Ok(ReviewExportDto {
        path: path.display().to_string(),
        users,
        documents,
    })
}
