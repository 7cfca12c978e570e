//! "Why can (or can't) this user see it?" for one member and one document, read with the admin's token.

use crate::dto::*;
use crate::state::AppState;

type Res<T> = Result<T, ErrorDto>;

pub async fn explain_access(
    state: &AppState,
    member_id: String,
    document_id: String,
) -> Res<ExplanationDto> {
    Ok(state
        .console
        .explain(member_id.trim(), document_id.trim())
        .await?
        .into())
}
