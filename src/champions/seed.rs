//! Demo data for the Champion Spotlight (development only): one sample spotlight, so the
//! website has something to show. Its person is invented, and says so.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::json::NominationStatus;
use super::model::{NewChampion, NewNomination};
use super::queries;
use crate::resources::queries::resolve_for_write;
use crate::taxonomy::json::Vocabulary;

pub async fn demo(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    if queries::slug_taken(conn, "sample-champion").await? {
        return Ok(());
    }
    let Some(profession_id) = resolve_for_write(conn, Vocabulary::Professions, &["nursing".to_string()]).await?[0]
    else {
        return Ok(());
    };
    let story = "A sample spotlight for development: an invented nurse educator who built a community health \
                 worker partnership into her school's curriculum, so that every student learns alongside the \
                 neighbourhoods the school serves.";
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let nomination = queries::insert_nomination(
            conn,
            &NewNomination {
                id: Uuid::now_v7(),
                nominee_name: "Sample Champion",
                nominee_role: "Nurse Educator",
                nominee_institution: "Example School of Nursing",
                profession_id,
                nominee_email: "sample.champion@example.org",
                health_equity_work: story,
                self_nomination: true,
                nominator_name: None,
                nominator_email: None,
                consent_to_feature: true,
                nominee_consent: crate::champions::model::NomineeConsent::Requested,
                consent_token_hash: None,
                consent_requested_at: None,
            },
        )
        .await?;
        // The invented nominee "answers" as a real one would through the emailed link.
        queries::set_consent(conn, nomination.id, crate::champions::json::NomineeConsent::Given).await?;
        queries::insert_champion(
            conn,
            &NewChampion {
                id: Uuid::now_v7(),
                nomination_id: nomination.id,
                slug: "sample-champion",
                name: "Sample Champion",
                role: "Nurse Educator",
                institution: "Example School of Nursing",
                profession_id,
                story,
                photo_url: None,
            },
        )
        .await?;
        queries::decide(conn, nomination.id, NominationStatus::Approved, None, None).await?;
        Ok(())
    })
    .await
}
