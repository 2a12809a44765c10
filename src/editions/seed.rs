//! Demo data for the conference (development only): a published upcoming edition with its
//! agenda, calendar, lodging, three registration types and two calls, and the past editions.
//! The upcoming edition, its venue and its agenda are samples; the past editions carry only what
//! the home page (`../shared/seeds/000_d72aa89fae0fba0c.txt`) says of them: name and year, and
//! Tulsa, Oklahoma for 2012. Their dates are not known, so they have none.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::model::{CallFields, CallKind, ConferenceFields, ConferenceStatus, RegistrationTypeFields, SessionFields};
use super::{queries, time};
use diesel_async::{AsyncConnection, AsyncPgConnection};

fn edition(
    name: &str,
    theme: &str,
    year: i32,
    dates: Option<(NaiveDate, i64)>,
    city: &str,
    description: &str,
) -> ConferenceFields {
    ConferenceFields {
        name: name.into(),
        theme: theme.into(),
        starts_on: dates.map(|(starts, _)| starts),
        ends_on: dates.map(|(starts, days)| starts + Duration::days(days - 1)),
        year,
        time_zone: "America/Chicago".into(),
        venue: String::new(),
        city: city.into(),
        description: description.into(),
        lodging: json!([]),
        important_dates: json!([]),
        awards: json!([]),
        status: ConferenceStatus::Published,
    }
}

pub async fn demo(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    let past = [
        ("beyond-flexner-2012", "Beyond Flexner 2012", 2012, "Tulsa, Oklahoma"),
        ("beyond-flexner-2015", "Beyond Flexner 2015", 2015, ""),
        ("beyond-flexner-2016", "Beyond Flexner 2016", 2016, ""),
        ("beyond-flexner-2018", "Beyond Flexner 2018", 2018, ""),
    ];
    let year = Utc::now().year() + 1;
    let upcoming_slug = format!("beyond-flexner-{year}");
    if queries::slug_taken(conn, &upcoming_slug).await? {
        return Ok(());
    }
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        for (slug, name, y, city) in past {
            if !queries::slug_taken(conn, slug).await? {
                let fields = edition(name, "", y, None, city, "");
                queries::insert(conn, Uuid::now_v7(), slug, &fields).await?;
            }
        }
        let starts = NaiveDate::from_ymd_opt(year, 4, 15).expect("a date");
        let mut fields = edition(
            &format!("Beyond Flexner {year}"),
            "Social mission in health professions education",
            year,
            Some((starts, 3)),
            "Tulsa, Oklahoma",
            "A sample edition for development: the movement for health equity in health professions \
             education meets for three days of sessions, workshops and posters.",
        );
        fields.venue = "Sample Conference Center".into();
        fields.lodging = json!([{
            "name": "Sample Hotel Downtown",
            "address": "100 Main Street",
            "booking_url": "https://hotel.example.org/beyond-flexner",
            "group_rate": "$159 per night",
            "booking_deadline": starts - Duration::days(30),
        }]);
        fields.important_dates = json!([
            { "kind": "registration_opens", "label": "Registration opens", "date": Utc::now().date_naive() },
            { "kind": "proposal_deadline", "label": "Proposals due", "date": starts - Duration::days(90) },
            { "kind": "early_bird_ends", "label": "Early-bird registration ends", "date": starts - Duration::days(60) },
            { "kind": "registration_closes", "label": "Registration closes", "date": starts - Duration::days(7) },
        ]);
        fields.awards = json!([{
            "name": "Social Mission Champion Award",
            "description": "For a person whose work advances health equity in health professions education.",
            "nomination_deadline": starts - Duration::days(60),
        }]);
        let id = Uuid::now_v7();
        queries::insert(conn, id, &upcoming_slug, &fields).await?;
        let sales_end = Some(starts.and_time(NaiveTime::MIN).and_utc());
        for (position, (name, price, capacity)) in
            [("Student", 15000, 100), ("Professional", 45000, 300), ("Community Member", 7500, 50)]
                .into_iter()
                .enumerate()
        {
            let t = RegistrationTypeFields {
                name: name.into(),
                description: String::new(),
                price_minor: price,
                currency: "USD".into(),
                capacity,
                sales_start: None,
                sales_end,
                position: position as i32,
            };
            queries::insert_type(conn, id, &t).await?;
        }
        let tz = time::zone("America/Chicago", "time_zone").map_err(|e| anyhow::anyhow!(e.message))?;
        let at = |day: i64, hh: u32, mm: u32| -> anyhow::Result<chrono::DateTime<Utc>> {
            let local =
                NaiveDateTime::new(starts + Duration::days(day), NaiveTime::from_hms_opt(hh, mm, 0).expect("a time"));
            time::to_utc(tz, local, "starts_local").map_err(|e| anyhow::anyhow!(e.message))
        };
        let agenda = [
            (
                "Opening plenary: the social mission of health professions education",
                0,
                (9, 0),
                (10, 30),
                "Plenary",
                "Ballroom",
            ),
            (
                "Pathways into the health professions for underrepresented students",
                0,
                (11, 0),
                (12, 15),
                "Pathways",
                "Room A",
            ),
            ("Community partnerships that last", 1, (9, 0), (10, 15), "Community Engagement", "Room B"),
            ("Poster session", 1, (15, 0), (16, 30), "Posters", "Hall"),
        ];
        for (title, day, (h1, m1), (h2, m2), track, room) in agenda {
            let session = SessionFields {
                title: title.into(),
                abstract_: String::new(),
                starts_at: at(day, h1, m1)?,
                ends_at: at(day, h2, m2)?,
                track: track.into(),
                room: room.into(),
                speakers: Vec::new(),
            };
            queries::insert_session(conn, id, &session, None).await?;
        }
        for (kind, title, days_before, words) in [
            (CallKind::Presentation, "Presentations and workshops", 90, 300),
            (CallKind::Poster, "Student posters", 60, 250),
        ] {
            let call = CallFields {
                kind,
                title: title.into(),
                description: String::new(),
                opens_at: None,
                deadline: (starts - Duration::days(days_before)).and_time(NaiveTime::MIN).and_utc(),
                word_limit: words,
            };
            queries::insert_call(conn, id, &call).await?;
        }
        Ok(())
    })
    .await
}
