//! The vocabularies as the library names and describes them. Seeded once; admins edit them after.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::json::Vocabulary;
use super::model::NewTerm;
use crate::db::schema::vocabulary_terms;
use crate::values::slug::slugify;

pub const TYPES: &[(&str, &str)] = &[
    ("Peer-Reviewed Article", "Research and analysis published in peer-reviewed journals."),
    (
        "Implementation Guidance & Tools",
        "Toolkits, guides, curricula and frameworks that help schools put the social mission into practice.",
    ),
    (
        "Real World Example",
        "Programs and initiatives at health professions schools that show the social mission at work.",
    ),
];

pub const DOMAINS: &[(&str, &str)] = &[
    (
        "Pathways, Admission & Graduation",
        "Includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support.",
    ),
    (
        "Curriculum & Programming",
        "Includes curricula, experiential and service learning, and training that prepare students to advance health equity.",
    ),
    (
        "Community Engagement",
        "Includes partnerships with communities, community-based education and research, and service to local populations.",
    ),
    (
        "Students & Faculty",
        "Includes the diversity, development, support and retention of students, faculty and staff.",
    ),
    (
        "Governance & Accountability",
        "Includes mission statements, institutional leadership and policy, and measuring and reporting social mission outcomes.",
    ),
];

pub const TOPICS: &[(&str, &str)] = &[
    ("Diversity, Inclusion & Belonging", "Building a health workforce that reflects the communities it serves, and learning environments where everyone belongs."),
    ("Practice in Underserved Areas or Settings", "Preparing and encouraging graduates to practice in rural, urban and other underserved communities."),
    ("Specialty Choice", "Influences on graduates' choice of primary care and other specialties most needed by underserved populations."),
    ("Health Equity Champions", "Developing leaders who advocate for health equity within and beyond their institutions."),
    ("Community Partnerships", "Collaborations between schools and community organizations built on trust and shared goals."),
    ("Patient & Community Health", "Outcomes for the health of patients and communities that health professions education can improve."),
];

pub const PROFESSIONS: &[&str] = &[
    "Interdisciplinary",
    "Medicine",
    "Nursing",
    "Dentistry",
    "Pharmacy",
    "Public Health",
    "Physician Assistant",
    "Social Work",
    "Behavioral Health",
    "Allied Health",
];

/// Inserts every value that is missing (by slug); existing values, possibly edited, are kept.
pub async fn vocabularies(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let mut rows: Vec<(Vocabulary, String, &str, &str, i32)> = Vec::new();
    for (vocabulary, values) in
        [(Vocabulary::Types, TYPES), (Vocabulary::Domains, DOMAINS), (Vocabulary::Topics, TOPICS)]
    {
        for (i, (label, description)) in values.iter().enumerate() {
            rows.push((vocabulary, slugify(label), label, description, i as i32));
        }
    }
    for (i, label) in PROFESSIONS.iter().enumerate() {
        rows.push((Vocabulary::Professions, slugify(label), label, "", i as i32));
    }
    let new: Vec<NewTerm> = rows
        .iter()
        .map(|(v, slug, label, description, position)| NewTerm {
            vocabulary: *v,
            slug,
            label,
            description,
            position: *position,
        })
        .collect();
    diesel::insert_into(vocabulary_terms::table)
        .values(&new)
        .on_conflict((vocabulary_terms::vocabulary, vocabulary_terms::slug))
        .do_nothing()
        .execute(conn)
        .await
}
