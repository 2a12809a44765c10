//! Handlers of nominations and spotlights, and the conversions they share.

pub mod nominations;
pub mod spotlights;

use diesel_async::AsyncPgConnection;

use super::json::{AdminChampionJson, ChampionJson, ChampionRef, NominationJson, Nominator, Nominee};
use super::model::{ChampionRow, NominationRow};
use super::queries;
use crate::error::ApiResult;
use crate::taxonomy::json::TermRef;

fn unknown_term() -> TermRef {
    TermRef { slug: String::new(), label: String::new() }
}

pub async fn nominations_json(
    conn: &mut AsyncPgConnection,
    rows: Vec<NominationRow>,
) -> ApiResult<Vec<NominationJson>> {
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let mut champions = queries::champions_of(conn, &ids).await?;
    let terms = queries::terms(conn, &rows.iter().map(|r| r.profession_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| NominationJson {
            id: r.id,
            nominee: Nominee {
                name: r.nominee_name,
                role: r.nominee_role,
                institution: r.nominee_institution,
                profession: terms.get(&r.profession_id).cloned().unwrap_or_else(unknown_term),
                email: r.nominee_email,
            },
            health_equity_work: r.health_equity_work,
            self_nomination: r.self_nomination,
            nominator: (!r.self_nomination).then_some(Nominator { name: r.nominator_name, email: r.nominator_email }),
            consent_to_feature: r.consent_to_feature,
            nominee_consent: r.nominee_consent,
            consent_requested_at: r.consent_requested_at,
            consent_answered_at: r.consent_answered_at,
            status: r.status,
            decision_reason: r.decision_reason,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            champion: champions.remove(&r.id).map(|(id, slug)| ChampionRef { id, slug }),
            created_at: r.created_at,
        })
        .collect())
}

pub async fn champions_json(conn: &mut AsyncPgConnection, rows: Vec<ChampionRow>) -> ApiResult<Vec<AdminChampionJson>> {
    let terms = queries::terms(conn, &rows.iter().map(|r| r.profession_id).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|r| AdminChampionJson {
            id: r.id,
            status: r.status,
            nomination_id: r.nomination_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
            champion: ChampionJson {
                slug: r.slug,
                name: r.name,
                role: r.role,
                institution: r.institution,
                profession: terms.get(&r.profession_id).cloned().unwrap_or_else(unknown_term),
                story: r.story,
                photo_url: r.photo_url,
                published_on: r.published_on,
            },
        })
        .collect())
}
