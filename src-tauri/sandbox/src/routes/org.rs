//! Whoami, account types, user attributes, tenants, and the sandbox's audit log.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::views::{AttributeValueView, Paged, TokenPaged};
use super::{AppState, Caller};
use crate::error::ApiError;
use crate::model::format_time;
use crate::pagination::{page_a, page_b, DEFAULT_LIMIT};
use crate::query::{unset_or, QueryParams};
use crate::state::lock;
use crate::tokens::Scope;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Whoami {
    user_id: String,
    organization_id: String,
    /// Not in Sigma's schema but seen in its notes; same spelling as `memberType`.
    account_type: String,
}

pub(crate) async fn whoami(
    State(shared): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let org = caller.org(&shared);
    let member = &org.members[caller.member()];
    Ok(Json(Whoami {
        user_id: member.id.clone(),
        organization_id: org.id.clone(),
        account_type: org.account_types[member.account_type].member_type(),
    })
    .into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountTypeView {
    account_type_id: String,
    account_type_name: String,
    description: String,
    is_custom: bool,
}

pub(crate) async fn account_types(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let page = page_b(
        "/v2/accountTypes",
        &q,
        (0..org.account_types.len()).collect(),
    )?;
    Ok(Json(TokenPaged {
        entries: page
            .items
            .into_iter()
            .map(|i| {
                let t = &org.account_types[i];
                AccountTypeView {
                    account_type_id: t.id.clone(),
                    account_type_name: t.name.clone(),
                    description: t.description.clone(),
                    is_custom: t.is_custom,
                }
            })
            .collect(),
        next_page_token: page.next,
    })
    .into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserAttributeView {
    user_attribute_id: String,
    name: String,
    description: Option<String>,
    default_value: Option<AttributeValueView>,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
}

pub(crate) async fn user_attributes(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let name = q.get("name").map(str::to_lowercase);
    let matches: Vec<usize> = org
        .user_attributes
        .iter()
        .enumerate()
        .filter(|(_, a)| unset_or(name.as_ref(), |n| a.name.to_lowercase().contains(n)))
        .map(|(i, _)| i)
        .collect();
    let page = page_a("/v2/user-attributes", &q, matches, DEFAULT_LIMIT)?;
    Ok(Json(Paged {
        entries: page
            .items
            .into_iter()
            .map(|i| {
                let a = &org.user_attributes[i];
                let creator = org.members[a.created_by].id.clone();
                UserAttributeView {
                    user_attribute_id: a.id.clone(),
                    name: a.name.clone(),
                    description: a.description.clone(),
                    default_value: a.default_value.as_deref().map(AttributeValueView::string),
                    created_by: creator.clone(),
                    updated_by: creator,
                    created_at: format_time(a.created_at),
                    updated_at: format_time(a.updated_at),
                }
            })
            .collect(),
        next_page: page.next,
        total: Some(page.total),
    })
    .into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttributeUserView {
    user_id: String,
    value: AttributeValueView,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
}

pub(crate) async fn user_attribute_users(
    State(shared): State<AppState>,
    caller: Caller,
    Path(attribute_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let a = *org
        .index
        .attribute_by_id
        .get(&attribute_id)
        .ok_or_else(|| ApiError::not_found(format!("User attribute {attribute_id} not found")))?;
    let attribute = &org.user_attributes[a];
    let q = QueryParams::parse(raw.as_deref());
    let endpoint = format!("/v2/user-attributes/{attribute_id}/users");
    let page = page_a(
        &endpoint,
        &q,
        (0..attribute.user_values.len()).collect(),
        DEFAULT_LIMIT,
    )?;
    let creator = org.members[attribute.created_by].id.clone();
    Ok(Json(Paged {
        entries: page
            .items
            .into_iter()
            .map(|i| {
                let v = &attribute.user_values[i];
                AttributeUserView {
                    user_id: org.members[v.target].id.clone(),
                    value: AttributeValueView::string(&v.value),
                    created_by: creator.clone(),
                    updated_by: creator.clone(),
                    created_at: format_time(attribute.created_at),
                    updated_at: format_time(attribute.updated_at),
                }
            })
            .collect(),
        next_page: page.next,
        total: Some(page.total),
    })
    .into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TenantView {
    tenant_organization_id: String,
    parent_organization_id: String,
    created_by: String,
    updated_by: String,
    created_at: String,
    updated_at: String,
    tenant_organization_name: String,
    tenant_organization_slug: String,
}

pub(crate) async fn tenants(
    State(shared): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    caller.require_admin(&shared)?;
    let org = caller.org(&shared);
    let q = QueryParams::parse(raw.as_deref());
    let page = page_b("/v2/tenants", &q, (0..org.tenants.len()).collect())?;
    let creator = org
        .api_clients
        .first()
        .map(|c| org.members[c.owner].id.clone())
        .unwrap_or_default();
    Ok(Json(TokenPaged {
        entries: page
            .items
            .into_iter()
            .map(|i| {
                let t = &org.tenants[i];
                let (slug, parent) = match &t.tenant_info {
                    Some(info) => (info.slug.clone(), info.parent_organization_id.clone()),
                    None => (String::new(), org.id.clone()),
                };
                TenantView {
                    tenant_organization_id: t.id.clone(),
                    parent_organization_id: parent,
                    created_by: creator.clone(),
                    updated_by: creator.clone(),
                    created_at: format_time(t.created_at),
                    updated_at: format_time(t.created_at),
                    tenant_organization_name: t.name.clone(),
                    tenant_organization_slug: slug,
                }
            })
            .collect(),
        next_page_token: page.next,
    })
    .into_response())
}

/// `GET /sandbox/audit-log` (not a Sigma endpoint): the impersonation events, for an Admin's own token.
pub(crate) async fn audit_log(
    State(shared): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    if caller.0.impersonated || caller.0.scope != Scope::Main {
        return Err(ApiError::forbidden(
            "The audit log is only available with an Admin's own token, not an impersonation token",
        ));
    }
    caller.require_admin(&shared)?;
    let events = lock(&shared.audit).clone();
    Ok(Json(serde_json::json!({ "entries": events })).into_response())
}
