//! What `standin as` does while the session is open.

use super::AsAction;
use crate::output::{self, print_json, Table};
use standin_core::{CoreError, FileQuery, ImpersonationSession};

pub(super) async fn as_action(
    session: &ImpersonationSession,
    action: AsAction,
    json: bool,
) -> Result<(), CoreError> {
    match action {
        AsAction::Whoami => {
            let me = session.whoami().await?;
            if json {
                return print_json(&me);
            }
            let info = session.info();
            let mut t = Table::new(&["FIELD", "VALUE"]);
            t.row(vec!["user ID".into(), me.user_id.clone()]);
            t.row(vec!["organization ID".into(), me.organization_id.clone()]);
            if let Some(a) = &me.account_type {
                t.row(vec!["account type".into(), a.clone()]);
            }
            t.row(vec!["impersonating".into(), info.subject_email.clone()]);
            t.row(vec!["as".into(), info.actor.label()]);
            t.print();
            Ok(())
        }
        AsAction::Files { file_type } => {
            let files = session
                .files(&FileQuery::of_type(file_type.as_deref()))
                .await?;
            output::print_files(&files, json)
        }
        AsAction::MyDocuments => {
            let files = session.my_documents().await?;
            output::print_files(&files, json)
        }
        AsAction::Compare { file_type } => {
            let c = session.compare(file_type.as_deref()).await?;
            if json {
                return print_json(&c);
            }
            let mut t = Table::new(&["DIFFERENCE", "TYPE", "NAME", "PATH", "ADMIN", "USER"]);
            for f in &c.only_admin {
                t.row(vec![
                    "only you".into(),
                    f.file_type.clone(),
                    f.name.clone(),
                    f.path.clone(),
                    f.permission.clone(),
                    "—".into(),
                ]);
            }
            for f in &c.only_user {
                t.row(vec![
                    "only the user".into(),
                    f.file_type.clone(),
                    f.name.clone(),
                    f.path.clone(),
                    "—".into(),
                    f.permission.clone(),
                ]);
            }
            for d in &c.different {
                t.row(vec![
                    "different access".into(),
                    d.file.file_type.clone(),
                    d.file.name.clone(),
                    d.file.path.clone(),
                    d.admin_permission.clone(),
                    d.user_permission.clone(),
                ]);
            }
            t.print();
            output::note(&format!(
                "{} only you, {} only the user, {} different, {} the same",
                c.only_admin.len(),
                c.only_user.len(),
                c.different.len(),
                c.same
            ));
            Ok(())
        }
        AsAction::Get { path } => {
            let value: serde_json::Value = session.get(&path).await?;
            // The API console prints JSON either way.
            let _ = json;
            print_json(&value)
        }
    }
}
