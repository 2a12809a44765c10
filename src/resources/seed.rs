//! The library's real examples, and synthetic resources for development and benchmarks.

use diesel::sql_types::{BigInt, Integer};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use uuid::Uuid;

use super::model::ResourceFields;
use super::queries;
use crate::taxonomy::json::Vocabulary;

/// A card of the library page (`../shared/seeds/004_c155b7923dc59942.txt`) as a resource: its
/// words, and nothing the card does not show (no source, no links it does not name). The type is
/// required: the spotlight's card shows none, and "This article" makes it the one article type.
struct Example {
    /// The card's own first words.
    title: &'static str,
    /// The title an earlier seed gave it, so a database seeded before is not given a second copy.
    former_title: &'static str,
    /// The card's text as written.
    summary: &'static str,
    resource_type: &'static str,
    domains: &'static [&'static str],
    topics: &'static [&'static str],
    professions: &'static [&'static str],
    year: Option<i32>,
    authors: &'static [&'static str],
    /// Marked "Open Access" on the card.
    open_access: bool,
    spotlight: bool,
}

const EXAMPLES: &[Example] = &[
    Example {
        title: "UC Davis’s medical school became the third most diverse in the country",
        former_title: "UC Davis School of Medicine: a diverse medical school and its Accelerated Competency-based Education in Primary Care program",
        summary: "UC Davis’s medical school became the third most diverse in the country by establishing programs for \
                  students who wanted to work in underserved communities, such as the Accelerated Competency-based \
                  Education in Primary Care program, prioritizing socioeconomically disadvantaged students in \
                  admissions and providing them with scholarships, developing pathways for community college students \
                  and pairing incoming students with like-minded peers and faculty.",
        resource_type: "real-world-example",
        domains: &[],
        topics: &[],
        professions: &[],
        year: Some(2024),
        authors: &[],
        open_access: true,
        spotlight: false,
    },
    Example {
        title: "Texas A&M College of Dentistry’s Bridge to Dentistry program",
        former_title: "Texas A&M College of Dentistry: the Bridge to Dentistry program",
        summary: "Texas A&M College of Dentistry’s Bridge to Dentistry program demonstrates a transformative approach \
                  to increasing diversity in dental education.",
        resource_type: "real-world-example",
        domains: &[],
        topics: &[],
        professions: &[],
        year: Some(2024),
        authors: &[],
        open_access: true,
        spotlight: false,
    },
    Example {
        title: "A toolkit for medical students to advocate for policy and practice",
        former_title: "An advocacy toolkit for medical students",
        summary: "A toolkit for medical students to advocate for policy and practice.",
        resource_type: "implementation-guidance-tools",
        domains: &[],
        topics: &[],
        professions: &[],
        year: Some(2024),
        authors: &["Weaver J", "Fluker CJ"],
        open_access: true,
        spotlight: false,
    },
    Example {
        title: "This article describes a collaborative process that academic research centers and community partners \
                may adopt to address institutional racism",
        former_title: "A collaborative process for academic research centers and community partners to embed anti-racism, equity and justice",
        summary: "This article describes a collaborative process that academic research centers and community partners \
                  may adopt to address institutional racism and embed anti-racism, equity, and justice into their \
                  operations and structures.",
        resource_type: "peer-reviewed-article",
        domains: &["community-engagement"],
        topics: &[],
        professions: &["interdisciplinary"],
        year: None,
        authors: &[],
        open_access: false,
        spotlight: true,
    },
];

/// Adds the real examples that are missing (matched by title, or by the title an earlier seed
/// gave them), published; one is the spotlight.
pub async fn examples(conn: &mut AsyncPgConnection) -> anyhow::Result<usize> {
    let mut added = 0;
    for e in EXAMPLES {
        use crate::db::schema::resources;
        use diesel::{ExpressionMethods, QueryDsl};
        let title = one_line(e.title);
        let exists: bool = diesel::select(diesel::dsl::exists(
            resources::table.filter(resources::title.eq_any([title.as_str(), e.former_title])),
        ))
        .get_result(conn)
        .await?;
        if exists {
            continue;
        }
        conn.transaction::<_, anyhow::Error, _>(async |conn| {
            let type_id = queries::resolve_for_write(conn, Vocabulary::Types, &[e.resource_type.to_string()]).await?[0]
                .ok_or_else(|| anyhow::anyhow!("unknown type {}", e.resource_type))?;
            let mut links = Vec::new();
            for (vocabulary, slugs) in [
                (Vocabulary::Domains, e.domains),
                (Vocabulary::Topics, e.topics),
                (Vocabulary::Professions, e.professions),
            ] {
                let slugs: Vec<String> = slugs.iter().map(|s| s.to_string()).collect();
                for (slug, id) in slugs.iter().zip(queries::resolve_for_write(conn, vocabulary, &slugs).await?) {
                    links.push(id.ok_or_else(|| anyhow::anyhow!("unknown {} {slug}", vocabulary.key()))?);
                }
            }
            let fields = ResourceFields {
                title: title.clone(),
                summary: one_line(e.summary),
                url: None,
                resource_type_id: type_id,
                year: e.year,
                authors: e.authors.iter().map(|a| a.to_string()).collect(),
                source: None,
                doi: None,
                open_access: e.open_access,
            };
            let id = Uuid::now_v7();
            let slug = crate::values::slug::slugify(&title);
            queries::insert(conn, id, &slug, &fields).await?;
            queries::replace_links(conn, id, &links).await?;
            queries::set_status(conn, id, super::json::ResourceStatus::Published).await?;
            if e.spotlight {
                queries::set_spotlight(conn, id).await?;
            }
            Ok(())
        })
        .await?;
        added += 1;
    }
    Ok(added)
}

/// The text as one line: the constants above are wrapped for reading.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `count` synthetic resources with varied titles, realistic abstracts, authors, years and 1–3 values of
/// each vocabulary; about 92% published. Done in SQL so 100,000 load in well under a minute.
pub async fn synthetic(conn: &mut AsyncPgConnection, count: usize) -> anyhow::Result<i64> {
    let batch = 20_000;
    // The abstracts' generator (session-temporary functions) and a fixed seed for the rest.
    conn.batch_execute(ABSTRACTS).await?;
    diesel::sql_query("SELECT setseed(0.2026)").execute(conn).await?;
    let start: Total = diesel::sql_query("SELECT count(*) AS n FROM resources").get_result(conn).await?;
    let mut done = 0;
    while done < count {
        let n = batch.min(count - done);
        let first = start.n + done as i64 + 1;
        conn.transaction::<_, anyhow::Error, _>(async |conn| {
            diesel::sql_query("CREATE TEMPORARY TABLE synthetic_new (id uuid PRIMARY KEY) ON COMMIT DROP")
                .execute(conn)
                .await?;
            diesel::sql_query(SYNTHETIC_RESOURCES)
                .bind::<Integer, _>(n as i32)
                .bind::<BigInt, _>(first)
                .execute(conn)
                .await?;
            diesel::sql_query(SYNTHETIC_LINKS).execute(conn).await?;
            Ok(())
        })
        .await?;
        done += n;
    }
    let total: Total = diesel::sql_query("SELECT count(*) AS n FROM resources").get_result(conn).await?;
    Ok(total.n)
}

#[derive(diesel::QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `pg_temp.gen_abstract(i)`: a realistic abstract (100–250 words of the field's vocabulary),
/// the same for the same `i` everywhere; the bench's passthrough loads its data with it too.
const ABSTRACTS: &str = include_str!("abstracts.sql");

/// Inserts `$1` resources (`$2` numbers the first one's abstract), noting their ids in
/// `synthetic_new` (`SYNTHETIC_LINKS` links them; a resource without links, such as a real
/// example whose card shows none, is left as it is).
const SYNTHETIC_RESOURCES: &str = r#"
WITH words AS (
    SELECT
        ARRAY['Holistic admissions', 'Pipeline programs', 'Community-based education', 'Service learning',
              'Rural training tracks', 'Mentorship', 'Faculty diversity', 'Interprofessional education',
              'Health equity curricula', 'Community partnerships', 'Structural competency', 'Tuition-free education',
              'Longitudinal integrated clerkships', 'Social accountability', 'Anti-racism training',
              'Student-run free clinics', 'Scholarship programs', 'Community health workers', 'Telehealth training',
              'Leadership development'] AS subjects,
        ARRAY['underserved communities', 'rural America', 'urban safety-net hospitals', 'tribal nations',
              'federally qualified health centers', 'immigrant communities', 'the primary care workforce',
              'first-generation students', 'community colleges', 'public health departments'] AS settings,
        ARRAY['outcomes of', 'lessons from', 'a framework for', 'evaluating', 'scaling', 'building',
              'sustaining', 'measuring', 'a decade of', 'rethinking'] AS openers,
        ARRAY['Smith A', 'Garcia M', 'Nguyen T', 'Johnson K', 'Williams R', 'Patel S', 'Brown L', 'Lee J',
              'Martinez C', 'Davis P', 'Okafor N', 'Kim H', 'Lopez E', 'Wilson D', 'Chen Y', 'Hernandez G'] AS people,
        ARRAY['Academic Medicine', 'Journal of Dental Education', 'Nursing Outlook', 'American Journal of Public Health',
              'Medical Education', 'Journal of Interprofessional Care', 'Health Affairs', 'BMC Medical Education'] AS journals
),
fresh AS (
    SELECT
        -- A UUIDv7 of the moment the row is made, as the service gives every resource it creates
        -- (`Uuid::now_v7`): the random version 4 UUID with its first 48 bits replaced by the Unix
        -- time in milliseconds and its version set to 7. PostgreSQL 15 has no uuidv7(). So, as
        -- in a library built through the API, id order is the order rows were written in, which
        -- is what the export's batches (in id order) read the table in.
        encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                                       placing substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                                       FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid AS id,
        initcap(w.openers[1 + floor(random() * 10)::int]) || ' ' || lower(w.subjects[1 + floor(random() * 20)::int])
            || ' in ' || w.settings[1 + floor(random() * 10)::int] AS title,
        -- At most 2,000 characters (the column's limit; a few abstracts of 250 long words pass
        -- it): cut after the last whole sentence that fits.
        (SELECT CASE WHEN length(a) <= 2000 THEN a ELSE substring(left(a, 2000) from '^(.*\.)') END
         FROM pg_temp.gen_abstract($2 + g - 1) a) AS summary,
        ARRAY[w.people[1 + floor(random() * 16)::int], w.people[1 + floor(random() * 16)::int]] AS authors,
        w.journals[1 + floor(random() * 8)::int] AS source,
        1990 + floor(random() * 36)::int AS year,
        random() < 0.55 AS open_access,
        CASE WHEN random() < 0.92 THEN 'published' WHEN random() < 0.5 THEN 'draft' ELSE 'archived' END AS status,
        now() - random() * interval '3650 days' AS at
    FROM generate_series(1, $1) g, words w
),
inserted AS (
    INSERT INTO resources (id, slug, title, summary, resource_type_id, year, authors, source, open_access, status,
                           published_at, created_at, updated_at)
    SELECT f.id,
           -- The id's last 8 hex digits: random (its first ones are the time, shared by neighbours).
           trim(both '-' from lower(regexp_replace(f.title, '[^a-zA-Z0-9]+', '-', 'g'))) || '-' || substr(f.id::text, 29, 8),
           f.title, f.summary,
           (SELECT id FROM vocabulary_terms WHERE vocabulary = 'type' AND retired_at IS NULL
              ORDER BY random() + (f.id IS NULL)::int LIMIT 1),
           f.year, f.authors, f.source, f.open_access, f.status,
           CASE WHEN f.status = 'draft' THEN NULL ELSE f.at END, f.at, f.at
    FROM fresh f
    RETURNING id, slug
),
slugs AS (
    INSERT INTO resource_slugs (slug, resource_id) SELECT slug, id FROM inserted
)
INSERT INTO synthetic_new (id) SELECT id FROM inserted
"#;

const SYNTHETIC_LINKS: &str = r#"
INSERT INTO resource_terms (resource_id, term_id)
SELECT r.id, t.id
FROM resources r
JOIN synthetic_new n ON n.id = r.id
CROSS JOIN LATERAL (
    SELECT v.id FROM (SELECT unnest(ARRAY['domain', 'topic', 'profession']) AS vocabulary) k
    CROSS JOIN LATERAL (
        SELECT id FROM vocabulary_terms
        WHERE vocabulary = k.vocabulary AND retired_at IS NULL
        ORDER BY random() + (r.id IS NULL)::int
        LIMIT 1 + floor(random() * 3)::int + (r.id IS NULL)::int
    ) v
) t
ON CONFLICT DO NOTHING
"#;
