//! Listings that hand over each page as it arrives (`standin users`, `standin team-members`), so printing
//! 100,000 members starts after the first page and holds one page at a time, not the whole org. The page
//! guards are those of every walk ([`walk_pages_within`]: empty page with a cursor, repeated cursor, caps),
//! and a callback that returns `Break` (stdout closed) stops the walk before the next request.

use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::client::{walk_pages_within, Api, MemberQuery, PageLimits, RosterEntry, PAGE_LIMIT};
use crate::error::Result;
use crate::model::{Member, TeamMember};

impl Api<'_> {
    /// Every member matching `query`, in pages of `limit`, each handed to `on_page` as it arrives. Returns
    /// how many members were handed over.
    pub async fn members_each<P>(
        &self,
        query: &MemberQuery,
        limit: u32,
        on_page: P,
    ) -> Result<usize>
    where
        P: FnMut(Vec<Member>) -> ControlFlow<()>,
    {
        walk_pages_within(
            "/v2/members",
            PageLimits::default(),
            |cursor: Option<String>| async move {
                self.members_page(query, cursor.as_deref(), limit).await
            },
            on_page,
        )
        .await
    }

    /// A team's members with their member records, handed to `on_page` as they are found.
    ///
    /// Sigma's team member list has only IDs (`userId`, `isTeamAdmin`), and no endpoint looks up many
    /// members by ID, so the records come from one walk of the org's member list — printed page by page as
    /// that walk finds the team's members (in the org's order), and stopped as soon as all are found. What
    /// is held is the team's ID list (what the output needs), never the org's records. Members the org list
    /// does not know come last, with `member: None`. Returns the team's size.
    pub async fn team_roster_each<P>(&self, team_id: &str, mut on_page: P) -> Result<usize>
    where
        P: FnMut(Vec<RosterEntry>) -> ControlFlow<()>,
    {
        let mut team: Vec<TeamMember> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        walk_pages_within(
            &format!("/v2/teams/{team_id}/members"),
            PageLimits::default(),
            |cursor: Option<String>| async move {
                self.team_members_page(team_id, cursor.as_deref(), PAGE_LIMIT)
                    .await
            },
            |page| {
                for tm in page {
                    // A server listing someone twice: the first entry counts.
                    if !index.contains_key(&tm.user_id) {
                        index.insert(tm.user_id.clone(), team.len());
                        team.push(tm);
                    }
                }
                ControlFlow::Continue(())
            },
        )
        .await?;
        if team.is_empty() {
            return Ok(0);
        }
        let everyone = MemberQuery {
            include_archived: true,
            include_inactive: true,
            ..Default::default()
        };
        let mut found = vec![false; team.len()];
        let mut remaining = team.len();
        let mut stopped = false;
        walk_pages_within(
            "/v2/members",
            PageLimits::default(),
            |cursor: Option<String>| {
                let everyone = &everyone;
                async move {
                    self.members_page(everyone, cursor.as_deref(), PAGE_LIMIT)
                        .await
                }
            },
            |page| {
                let rows: Vec<RosterEntry> = page
                    .into_iter()
                    .filter_map(|m| {
                        let i = *index.get(&m.member_id)?;
                        if std::mem::replace(&mut found[i], true) {
                            return None;
                        }
                        remaining -= 1;
                        Some(RosterEntry {
                            team_member: team[i].clone(),
                            member: Some(m),
                        })
                    })
                    .collect();
                if !rows.is_empty() && on_page(rows).is_break() {
                    stopped = true;
                    return ControlFlow::Break(());
                }
                if remaining == 0 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .await?;
        let size = team.len();
        if !stopped {
            let missing: Vec<RosterEntry> = team
                .into_iter()
                .zip(found)
                .filter(|(_, found)| !found)
                .map(|(tm, _)| RosterEntry {
                    team_member: tm,
                    member: None,
                })
                .collect();
            if !missing.is_empty() {
                let _ = on_page(missing);
            }
        }
        Ok(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{Credentials, SigmaClient};
    use crate::error::CoreError;
    use crate::model::Page;
    use crate::secret::Secret;
    use crate::transport::{BoxFuture, Transport};
    use crate::wire::{HttpRequest, HttpResponse};
    use std::sync::{Arc, Mutex};

    /// A scripted org: `members` member IDs m0…, listed `per_page` at a time; the team lists `team` (IDs,
    /// some possibly unknown to the org). Records every path asked for.
    struct Org {
        members: usize,
        team: Vec<String>,
        per_page: usize,
        asked: Mutex<Vec<String>>,
    }

    fn json(body: serde_json::Value) -> HttpResponse {
        HttpResponse {
            status: 200,
            content_type: Some("application/json".into()),
            retry_after: None,
            request_id: None,
            body: body.to_string().into_bytes(),
        }
    }

    impl Org {
        fn page_of(
            &self,
            path: &str,
            total: usize,
            entry: impl Fn(usize) -> serde_json::Value,
        ) -> HttpResponse {
            let start: usize = path
                .split(['?', '&'])
                .find_map(|kv| kv.strip_prefix("page="))
                .map_or(0, |p| p.parse().unwrap());
            let end = (start + self.per_page).min(total);
            json(serde_json::json!({
                "entries": (start..end).map(entry).collect::<Vec<_>>(),
                "nextPage": (end < total).then(|| end.to_string()),
            }))
        }
    }

    impl Transport for Org {
        fn send<'a>(
            &'a self,
            _base: &'a url::Url,
            request: HttpRequest,
        ) -> BoxFuture<'a, crate::error::Result<HttpResponse>> {
            let path = request.path_and_query.clone();
            self.asked.lock().unwrap().push(path.clone());
            let response = if path.starts_with("/v2/auth/token") {
                json(serde_json::json!({"access_token": "t", "expires_in": 3600}))
            } else if path.starts_with("/v2/teams/") {
                self.page_of(
                    &path,
                    self.team.len(),
                    |i| serde_json::json!({"userId": self.team[i], "isTeamAdmin": i == 0}),
                )
            } else {
                self.page_of(&path, self.members, |i| {
                    serde_json::json!({"memberId": format!("m{i}"), "email": format!("u{i}@x.example"),
                        "memberType": "viewer", "firstName": "U", "lastName": format!("{i}")})
                })
            };
            Box::pin(async move { Ok(response) })
        }
    }

    fn client(org: Arc<Org>) -> SigmaClient {
        let credentials = Credentials::new(
            None,
            "https://api.example",
            "client",
            Secret::new("secret".to_string()),
            None,
        )
        .unwrap();
        SigmaClient::new(credentials, org, crate::clock::system_clock())
    }

    fn org(members: usize, team: &[&str], per_page: usize) -> Arc<Org> {
        Arc::new(Org {
            members,
            team: team.iter().map(|s| s.to_string()).collect(),
            per_page,
            asked: Mutex::new(Vec::new()),
        })
    }

    fn member_pages(org: &Org) -> usize {
        let asked = org.asked.lock().unwrap();
        asked
            .iter()
            .filter(|p| p.starts_with("/v2/members"))
            .count()
    }

    #[tokio::test]
    async fn members_arrive_page_by_page_and_break_stops_the_requests() {
        let o = org(10_000, &[], 1000);
        let c = client(o.clone());
        let api = c.admin().await.unwrap();
        let mut sizes = Vec::new();
        let n = api
            .members_each(&MemberQuery::default(), 1000, |page| {
                sizes.push(page.len());
                ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!((n, sizes.len()), (10_000, 10));
        assert!(sizes.iter().all(|&s| s == 1000));
        assert_eq!(member_pages(&o), 10);

        // The reader went away after the second page: no third request.
        let o = org(10_000, &[], 1000);
        let c = client(o.clone());
        let api = c.admin().await.unwrap();
        let mut pages = 0;
        api.members_each(&MemberQuery::default(), 1000, |_| {
            pages += 1;
            if pages == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .await
        .unwrap();
        assert_eq!(member_pages(&o), 2);
    }

    #[tokio::test]
    async fn a_roster_prints_as_the_org_walk_finds_it_and_stops_when_all_are_found() {
        // The team's members are early in a 5,000-member org, plus one the org does not know.
        let o = org(5_000, &["m3", "m1500", "ghost", "m7", "m3"], 1000);
        let c = client(o.clone());
        let api = c.admin().await.unwrap();
        let mut got: Vec<Vec<(String, bool)>> = Vec::new();
        let n = api
            .team_roster_each("T1", |page| {
                got.push(
                    page.iter()
                        .map(|e| (e.team_member.user_id.clone(), e.member.is_some()))
                        .collect(),
                );
                ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!(n, 4, "the repeated m3 counts once");
        let flat: Vec<_> = got.iter().flatten().cloned().collect();
        assert_eq!(
            flat,
            [
                ("m3".to_string(), true),
                ("m7".to_string(), true),
                ("m1500".to_string(), true),
                ("ghost".to_string(), false)
            ]
        );
        assert_eq!(
            got.len(),
            3,
            "one batch per member page with matches, then the unknown ones"
        );
        // "ghost" is never found, so the whole org is walked; without it the walk stops at page 2.
        assert_eq!(member_pages(&o), 5);
        let o = org(5_000, &["m3", "m1500"], 1000);
        let c = client(o.clone());
        let api = c.admin().await.unwrap();
        api.team_roster_each("T1", |_| ControlFlow::Continue(()))
            .await
            .unwrap();
        assert_eq!(member_pages(&o), 2);
    }

    #[tokio::test]
    async fn walks_keep_the_page_guards() {
        let pages = Mutex::new(
            vec![
                Page {
                    entries: vec![1, 2],
                    next_page: Some("c1".to_string()),
                },
                Page {
                    entries: vec![3],
                    next_page: Some("c1".to_string()),
                },
            ]
            .into_iter(),
        );
        let mut handed = Vec::new();
        let e = walk_pages_within(
            "/v2/things",
            PageLimits::default(),
            |_| {
                let next = pages.lock().unwrap().next();
                async move { next.ok_or_else(|| CoreError::Decode("past the end".into())) }
            },
            |page| {
                handed.extend(page);
                ControlFlow::Continue(())
            },
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("same page cursor twice"), "{e}");
        assert_eq!(handed, [1, 2, 3]);
        let e = walk_pages_within(
            "/v2/things",
            PageLimits {
                max_pages: 3,
                max_entries: 100,
            },
            |c: Option<String>| async move {
                let n: usize = c.map_or(0, |c| c.parse().unwrap());
                Ok(Page {
                    entries: vec![n],
                    next_page: Some((n + 1).to_string()),
                })
            },
            |_| ControlFlow::Continue(()),
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("more than 3 pages"), "{e}");
        let e = walk_pages_within(
            "/v2/things",
            PageLimits::default(),
            |_| async {
                Ok(Page::<u8> {
                    entries: vec![],
                    next_page: Some("again".to_string()),
                })
            },
            |_| ControlFlow::Continue(()),
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("empty page"), "{e}");
    }
}
