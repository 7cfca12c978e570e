//! Who can see which document, at what level: ownership (edit), direct user grants, grants to the
//! member's (non-archived) teams, and grants on a folder or workspace inherited by everything below it.
//! The strongest applicable grant wins. Admins get no bypass (Sigma's file listing is the same for them),
//! which is also why nobody but the owner sees a "My Documents" folder unless something in it is shared.

use std::collections::HashMap;

use crate::model::{Org, Permission, Principal};

/// Effective permission of `member` on every document they can access.
pub(crate) fn accessible(org: &Org, member: usize) -> HashMap<usize, Permission> {
    let mut seeds: Vec<(usize, Permission)> = Vec::new();
    seeds.extend(
        org.index.owned[member]
            .iter()
            .map(|&d| (d, Permission::Edit)),
    );
    seeds.extend(org.index.member_grants[member].iter().copied());
    for &team in &org.index.member_teams[member] {
        if !org.teams[team].is_archived {
            seeds.extend(org.index.team_grants[team].iter().copied());
        }
    }
    // Strongest first: when a walk reaches a document that already has an equal or stronger permission,
    // its whole subtree already has it too (an earlier walk covered it), so the walk can stop there.
    seeds.sort_by_key(|&(_, permission)| std::cmp::Reverse(permission));
    let mut result: HashMap<usize, Permission> = HashMap::new();
    let mut stack = Vec::new();
    for (root, permission) in seeds {
        stack.push(root);
        while let Some(d) = stack.pop() {
            match result.get(&d) {
                Some(&existing) if existing >= permission => continue,
                _ => {
                    result.insert(d, permission);
                }
            }
            stack.extend(org.index.children[d].iter().copied());
        }
    }
    result
}

/// Effective permission of `member` on one document (the document and its ancestors' grants).
pub(crate) fn permission_on(org: &Org, member: usize, doc: usize) -> Option<Permission> {
    let teams = &org.index.member_teams[member];
    let mut best: Option<Permission> = None;
    let mut current = Some(doc);
    while let Some(d) = current {
        let document = &org.documents[d];
        if document.owner == Some(member) {
            return Some(Permission::Edit);
        }
        for g in &document.grants {
            let applies = match g.principal {
                Principal::Member(m) => m == member,
                Principal::Team(t) => teams.contains(&t) && !org.teams[t].is_archived,
            };
            if applies {
                best = best.max(Some(g.permission));
            }
        }
        current = document.parent;
    }
    best
}

/// The folder path shown in `path`: the containing workspace/folders joined with "/", with a home folder
/// shown as "My Documents". Top-level documents (workspaces, home folders) show their own name.
pub(crate) fn display_path(org: &Org, doc: usize) -> String {
    let display = |d: usize| {
        let document = &org.documents[d];
        if document.home_of.is_some() {
            "My Documents"
        } else {
            document.name.as_str()
        }
    };
    let mut names = Vec::new();
    let mut current = org.documents[doc].parent;
    while let Some(d) = current {
        names.push(display(d));
        current = org.documents[d].parent;
    }
    if names.is_empty() {
        return display(doc).to_string();
    }
    names.reverse();
    names.join("/")
}

/// `true` when `doc` is `ancestor` or lies below it.
pub(crate) fn is_within(org: &Org, doc: usize, ancestor: usize) -> bool {
    let mut current = Some(doc);
    while let Some(d) = current {
        if d == ancestor {
            return true;
        }
        current = org.documents[d].parent;
    }
    false
}
