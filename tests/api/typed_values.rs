//! Status, role, consent, payment and kind columns read and written as Rust enums: every value
//! round-trips through Postgres, and a value the enum does not know is an error, never a default.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use serde_json::json;

use social_mission_api::champions::model::{ChampionStatus, NominationStatus, NomineeConsent};
use social_mission_api::editions::model::{CallKind, ConferenceStatus};
use social_mission_api::jobs::outbox::OutboxStatus;
use social_mission_api::newsletter::model::{SubscriberStatus, TokenPurpose};
use social_mission_api::proposals::model::ProposalStatus;
use social_mission_api::registrations::model::{PaymentStatus, RegistrationStatus};
use social_mission_api::resources::model::{ChangeKind, ResourceRow, ResourceStatus};
use social_mission_api::suggestions::model::{DuplicateKind, SuggestionStatus};
use social_mission_api::taxonomy::model::Vocabulary;
use social_mission_api::users::model::Role;

use crate::helpers::{resource, TestApp};

/// Writes each value as a bind parameter, reads it back as text and as the enum.
macro_rules! round_trip {
    ($conn:expr, $($ty:ty),+ $(,)?) => {$(
        for value in <$ty>::VALUES {
            let text: String =
                diesel::select(value.into_sql::<Text>()).get_result($conn).await.expect(stringify!($ty));
            assert_eq!(text, value.as_str());
            let back: $ty = diesel::select(text.into_sql::<Text>()).get_result($conn).await.expect(stringify!($ty));
            assert_eq!(back, *value);
        }
        let unknown = diesel::select(sql::<Text>("'no-such-value'")).get_result::<$ty>($conn).await;
        match unknown {
            Err(diesel::result::Error::DeserializationError(e)) => {
                let cause = format!("{e:?}");
                assert!(cause.contains("no-such-value"), "{}: {cause}", stringify!($ty))
            }
            other => panic!("{}: an unknown value must not read as {other:?}", stringify!($ty)),
        }
    )+};
}

#[actix_web::test]
async fn every_enum_round_trips_through_postgres_and_an_unknown_value_is_an_error() {
    let app = TestApp::spawn().await;
    let conn: &mut AsyncPgConnection = &mut app.db().await;
    round_trip!(
        conn,
        ResourceStatus,
        ChangeKind,
        Role,
        Vocabulary,
        SuggestionStatus,
        DuplicateKind,
        NominationStatus,
        NomineeConsent,
        ChampionStatus,
        SubscriberStatus,
        TokenPurpose,
        OutboxStatus,
        ConferenceStatus,
        CallKind,
        RegistrationStatus,
        PaymentStatus,
        ProposalStatus,
    );
}

#[actix_web::test]
async fn a_status_outside_the_enum_in_a_row_fails_the_read_instead_of_becoming_a_default() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Editor).await;
    let draft = app.create_resource(&token, &resource(json!({}))).await;
    let id: uuid::Uuid = draft["id"].as_str().unwrap().parse().unwrap();
    let path = format!("/api/v1/admin/resources/{id}");
    assert_eq!(app.get(&path).bearer_auth(&token).send().await.unwrap().status(), 200);

    // Only possible once the CHECK is gone: the enum is the second line of defence.
    let mut conn = app.db().await;
    conn.batch_execute(&format!(
        "ALTER TABLE resources DROP CONSTRAINT resources_status_check;
         UPDATE resources SET status = 'retired' WHERE id = '{id}';"
    ))
    .await
    .unwrap();

    use social_mission_api::db::schema::resources;
    let read = resources::table.find(id).select(ResourceRow::as_select()).first(&mut conn).await;
    assert!(
        matches!(read, Err(diesel::result::Error::DeserializationError(_))),
        "an unknown status must not read as a row: {read:?}"
    );
    // The service answers an opaque 500 rather than showing the resource as a draft.
    let response = app.get(&path).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 500);
}

/// The enums that are wire types too: one spelling in JSON and in the database.
macro_rules! same_spelling {
    ($($ty:ty),+) => {$(
        for value in <$ty>::VALUES {
            assert_eq!(serde_json::to_value(value).unwrap(), value.as_str(), "{}", stringify!($ty));
        }
    )+};
}

#[test]
fn wire_and_database_spell_each_value_alike() {
    same_spelling!(
        ResourceStatus,
        ChangeKind,
        Role,
        SuggestionStatus,
        DuplicateKind,
        NominationStatus,
        NomineeConsent,
        ChampionStatus,
        SubscriberStatus,
        ConferenceStatus,
        CallKind,
        RegistrationStatus,
        PaymentStatus,
        ProposalStatus
    );
}
