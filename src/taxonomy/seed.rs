//! The vocabularies in the library page's own words (`../shared/seeds/004_c155b7923dc59942.txt`):
//! each value's label and description, each vocabulary's sidebar heading and introduction.
//! Admins edit them after; the seed only adds what is missing and brings up to date the text that
//! still reads as an earlier seed wrote it (matched by slug), so a staff edit is never overwritten.

use diesel::sql_types::{Array, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::json::Vocabulary;
use super::model::NewTerm;
use crate::db::schema::{vocabularies, vocabulary_terms};
use diesel::prelude::*;

/// One seeded value: its stable slug, the page's words, and what earlier seeds wrote instead.
pub struct Seeded {
    pub slug: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    /// The label and description an earlier seed wrote (the same when they never changed).
    pub former: (&'static str, &'static str),
}

const fn value(
    slug: &'static str,
    label: &'static str,
    description: &'static str,
    former: (&'static str, &'static str),
) -> Seeded {
    Seeded { slug, label, description, former }
}

/// The page names three types (its cards and its opening sentence) and describes none.
pub const TYPES: &[Seeded] = &[
    value(
        "peer-reviewed-article",
        "Peer Reviewed Articles",
        "",
        ("Peer-Reviewed Article", "Research and analysis published in peer-reviewed journals."),
    ),
    value(
        "implementation-guidance-tools",
        "Implementation Guidance & Tools",
        "",
        (
            "Implementation Guidance & Tools",
            "Toolkits, guides, curricula and frameworks that help schools put the social mission into practice.",
        ),
    ),
    value(
        "real-world-example",
        "Real World Examples",
        "",
        (
            "Real World Example",
            "Programs and initiatives at health professions schools that show the social mission at work.",
        ),
    ),
];

pub const DOMAINS: &[Seeded] = &[
    value(
        "pathways-admission-graduation",
        "Pathways, Admission, & Graduation",
        "This Domain includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support.",
        (
            "Pathways, Admission & Graduation",
            "Includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support.",
        ),
    ),
    value(
        "curriculum-programming",
        "Curriculum & Programming",
        "This Domain includes incorporation of health equity principles, interprofessional education, community-based learning, curriculum review, and competencies.",
        (
            "Curriculum & Programming",
            "Includes curricula, experiential and service learning, and training that prepare students to advance health equity.",
        ),
    ),
    value(
        "community-engagement",
        "Community Engagement",
        "This Domain includes community health needs assessments, community partnerships, and community representation in health professions education.",
        (
            "Community Engagement",
            "Includes partnerships with communities, community-based education and research, and service to local populations.",
        ),
    ),
    value(
        "students-faculty",
        "Students and Faculty",
        "This Domain includes advocacy training for students and faculty, faculty promotion, faculty research, and faculty & leadership demographics.",
        ("Students & Faculty", "Includes the diversity, development, support and retention of students, faculty and staff."),
    ),
    value(
        "governance-accountability",
        "Governance & Accountability",
        "This Domain includes efforts to measure, assess, or evaluate institutional performance related to social mission, leadership demographics, and strategic planning.",
        (
            "Governance & Accountability",
            "Includes mission statements, institutional leadership and policy, and measuring and reporting social mission outcomes.",
        ),
    ),
];

pub const TOPICS: &[Seeded] = &[
    value(
        "diversity-inclusion-belonging",
        "Diversity, inclusion & belonging",
        "Diversity and representation of underrepresented groups among learners, faculty, and leadership across; The perceptions, attitudes, and expectations that define an institution, particularly as seen from the perspectives of individuals who are underrepresented based on race, ethnicity, gender or sexual orientation, mental and physical ability, or other dimensions of diversity; Policies and governance structures that institutionalize social mission.",
        (
            "Diversity, Inclusion & Belonging",
            "Building a health workforce that reflects the communities it serves, and learning environments where everyone belongs.",
        ),
    ),
    value(
        "practice-in-underserved-areas-or-settings",
        "Practice in underserved areas or settings",
        "Learners and providers servicing rural or underserved communities/facilities.",
        (
            "Practice in Underserved Areas or Settings",
            "Preparing and encouraging graduates to practice in rural, urban and other underserved communities.",
        ),
    ),
    value(
        "specialty-choice",
        "Specialty choice",
        "Learners and providers practicing in high need specialty areas, especially primary care.",
        (
            "Specialty Choice",
            "Influences on graduates' choice of primary care and other specialties most needed by underserved populations.",
        ),
    ),
    value(
        "health-equity-champions",
        "Health equity champions",
        "Learners, practitioners, faculty, and administrators having the knowledge, competencies, attitudes, skills, and/or intent to address health inequities.",
        (
            "Health Equity Champions",
            "Developing leaders who advocate for health equity within and beyond their institutions.",
        ),
    ),
    value(
        "community-partnerships",
        "Community partnerships",
        "Programs and policies that address community inequities via external partnerships and practices.",
        (
            "Community Partnerships",
            "Collaborations between schools and community organizations built on trust and shared goals.",
        ),
    ),
    value(
        "patient-community-health",
        "Patient & community health",
        "Effects of health professions education on health outcomes at the patient, community, or population level.",
        (
            "Patient & Community Health",
            "Outcomes for the health of patients and communities that health professions education can improve.",
        ),
    ),
];

/// The page shows one profession (the spotlight's "Interdisciplinary"); the others are the
/// professions the library has always offered. None has a description.
pub const PROFESSIONS: &[Seeded] = &[
    value("interdisciplinary", "Interdisciplinary", "", ("Interdisciplinary", "")),
    value("medicine", "Medicine", "", ("Medicine", "")),
    value("nursing", "Nursing", "", ("Nursing", "")),
    value("dentistry", "Dentistry", "", ("Dentistry", "")),
    value("pharmacy", "Pharmacy", "", ("Pharmacy", "")),
    value("public-health", "Public Health", "", ("Public Health", "")),
    value("physician-assistant", "Physician Assistant", "", ("Physician Assistant", "")),
    value("social-work", "Social Work", "", ("Social Work", "")),
    value("behavioral-health", "Behavioral Health", "", ("Behavioral Health", "")),
    value("allied-health", "Allied Health", "", ("Allied Health", "")),
];

/// Each vocabulary's sidebar heading and the page's introduction of it (empty where the page has none).
pub const VOCABULARIES: [(Vocabulary, &str, &str); 4] = [
    (Vocabulary::Types, "Resource Type", ""),
    (
        Vocabulary::Domains,
        "Social Mission Domain",
        "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Domains reflect core operations and functions of health professions education institutions and programs that can be targeted for action to advance equity. These are also the domains used for the Social Mission Metrics Self Assessment.\n\nUse this search filter if you are interested in resources describing actions, interventions, and inputs. The Social Mission Resource Library Domains are:",
    ),
    (
        Vocabulary::Topics,
        "Social Mission Topic",
        "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:",
    ),
    (Vocabulary::Professions, "Health Profession", ""),
];

/// Every seeded value with its vocabulary, in display order.
pub fn all() -> impl Iterator<Item = (Vocabulary, usize, &'static Seeded)> {
    [
        (Vocabulary::Types, TYPES),
        (Vocabulary::Domains, DOMAINS),
        (Vocabulary::Topics, TOPICS),
        (Vocabulary::Professions, PROFESSIONS),
    ]
    .into_iter()
    .flat_map(|(v, values)| values.iter().enumerate().map(move |(i, s)| (v, i, s)))
}

/// Inserts every value and vocabulary text that is missing (values by slug); then, by slug, puts
/// the page's label and description where a value still holds what an earlier seed wrote (each
/// field on its own: a label staff changed stays, whatever happens to the description). Returns
/// how many values were added.
pub async fn vocabularies(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let new: Vec<NewTerm> = all()
        .map(|(vocabulary, i, s)| NewTerm {
            vocabulary,
            slug: s.slug,
            label: s.label,
            description: s.description,
            position: i as i32,
        })
        .collect();
    let added = diesel::insert_into(vocabulary_terms::table)
        .values(&new)
        .on_conflict((vocabulary_terms::vocabulary, vocabulary_terms::slug))
        .do_nothing()
        .execute(conn)
        .await?;
    let texts: Vec<_> = VOCABULARIES
        .iter()
        .map(|(v, heading, introduction)| {
            (
                vocabularies::vocabulary.eq(*v),
                vocabularies::heading.eq(*heading),
                vocabularies::introduction.eq(*introduction),
            )
        })
        .collect();
    diesel::insert_into(vocabularies::table).values(&texts).on_conflict_do_nothing().execute(conn).await?;

    let changed: Vec<_> = all().filter(|(_, _, s)| s.former != (s.label, s.description)).collect();
    let column =
        |f: fn(Vocabulary, &Seeded) -> &'static str| changed.iter().map(|(v, _, s)| f(*v, s)).collect::<Vec<_>>();
    diesel::sql_query(
        "UPDATE vocabulary_terms t SET \
             label = CASE WHEN t.label = w.old_label THEN w.new_label ELSE t.label END, \
             description = CASE WHEN t.description = w.old_description THEN w.new_description ELSE t.description END, \
             updated_at = now() \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) \
              AS w(vocabulary, slug, old_label, new_label, old_description, new_description) \
         WHERE t.vocabulary = w.vocabulary AND t.slug = w.slug \
           AND ((t.label = w.old_label AND t.label <> w.new_label) \
                OR (t.description = w.old_description AND t.description <> w.new_description))",
    )
    .bind::<Array<Text>, _>(column(|v, _| v.as_str()))
    .bind::<Array<Text>, _>(column(|_, s| s.slug))
    .bind::<Array<Text>, _>(column(|_, s| s.former.0))
    .bind::<Array<Text>, _>(column(|_, s| s.label))
    .bind::<Array<Text>, _>(column(|_, s| s.former.1))
    .bind::<Array<Text>, _>(column(|_, s| s.description))
    .execute(conn)
    .await?;
    Ok(added)
}
