//! `/admin/taxonomy/{vocabulary}`: add, relabel, reorder, retire.

use serde_json::{json, Value};
use social_mission_api::error::ProblemType;
use social_mission_api::users::json::Role;

use crate::helpers::{invalid_fields, problem, refused, resource, SendJson, TestApp};

fn labels(taxonomy: &Value, vocabulary: usize) -> Vec<String> {
    taxonomy["vocabularies"][vocabulary]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn admins_add_relabel_and_reorder_values() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let response = app
        .post("/api/v1/admin/taxonomy/topics")
        .bearer_auth(&token)
        .json(&json!({ "label": "Rural Health", "description": "Health in rural places." }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "/api/v1/admin/taxonomy/topics/rural-health");
    let added: Value = response.json().await.unwrap();
    assert_eq!((added["slug"].as_str(), added["position"].as_i64()), (Some("rural-health"), Some(6)));
    assert_eq!(labels(&app.get_json("/api/v1/taxonomy").await, 2).last().unwrap(), "Rural Health");

    refused(
        app.post("/api/v1/admin/taxonomy/topics")
            .bearer_auth(&token)
            .json(&json!({ "label": "Rural health" }))
            .send()
            .await
            .unwrap(),
        ProblemType::SlugTaken,
    )
    .await;

    let relabelled: Value = app
        .patch("/api/v1/admin/taxonomy/topics/rural-health")
        .bearer_auth(&token)
        .json(&json!({ "label": "Rural & Frontier Health", "position": 0 }))
        .json_value()
        .await;
    assert_eq!(relabelled["slug"], "rural-health", "the slug is stable");
    assert_eq!(labels(&app.get_json("/api/v1/taxonomy").await, 2)[0], "Rural & Frontier Health");

    let fields = invalid_fields(
        app.post("/api/v1/admin/taxonomy/topics")
            .bearer_auth(&token)
            .json(&json!({ "label": "" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(fields[0].0, "label");
    let fields = invalid_fields(
        app.post("/api/v1/admin/taxonomy/topics")
            .bearer_auth(&token)
            .json(&json!({ "label": "X", "slug": "Bad Slug" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(fields, [("slug".to_string(), "invalid_slug".to_string())]);
    problem(
        app.post("/api/v1/admin/taxonomy/colours")
            .bearer_auth(&token)
            .json(&json!({ "label": "Red" }))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.patch("/api/v1/admin/taxonomy/topics/nope")
            .bearer_auth(&token)
            .json(&json!({ "label": "X" }))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;

    let log: Value =
        app.get("/api/v1/admin/audit-log?entity_type=vocabulary_term").bearer_auth(&token).json_value().await;
    let actions: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["taxonomy.update", "taxonomy.add"]);
}

#[actix_web::test]
async fn retiring_a_value_in_use_is_a_409_that_says_how_many_use_it() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let editor = app.token(Role::Editor).await;
    for i in 0..2 {
        app.create_resource(
            &editor,
            &resource(json!({ "title": format!("Uses dentistry {i}"), "professions": ["dentistry"] })),
        )
        .await;
    }
    let body = refused(
        app.delete("/api/v1/admin/taxonomy/professions/dentistry").bearer_auth(&admin).send().await.unwrap(),
        ProblemType::ValueInUse,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("2 resources use it"), "{body}");
    let listed: Value = app.get("/api/v1/admin/taxonomy/professions").bearer_auth(&admin).json_value().await;
    assert_eq!(listed["meta"]["total"], listed["data"].as_array().unwrap().len());
    let dentistry = listed["data"].as_array().unwrap().iter().find(|t| t["slug"] == "dentistry").unwrap();
    assert_eq!(dentistry["resource_count"], 2);

    assert_eq!(
        app.delete("/api/v1/admin/taxonomy/professions/pharmacy").bearer_auth(&admin).send().await.unwrap().status(),
        204
    );
    assert!(!labels(&app.get_json("/api/v1/taxonomy").await, 3).contains(&"Pharmacy".to_string()));
    // A retired value can no longer be chosen.
    let fields = invalid_fields(
        app.post("/api/v1/admin/resources")
            .bearer_auth(&editor)
            .json(&resource(json!({ "professions": ["pharmacy"] })))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(fields, [("professions[0]".to_string(), "unknown_value".to_string())]);
}

#[actix_web::test]
async fn vocabulary_edits_are_for_admins_only() {
    let app = TestApp::spawn().await;
    let editor = app.token(Role::Editor).await;
    for request in [
        app.get("/api/v1/admin/taxonomy/domains"),
        app.post("/api/v1/admin/taxonomy/domains").json(&json!({ "label": "New" })),
        app.patch("/api/v1/admin/taxonomy/domains/community-engagement").json(&json!({ "label": "New" })),
        app.delete("/api/v1/admin/taxonomy/domains/community-engagement"),
    ] {
        let anonymous = request.try_clone().unwrap().send().await.unwrap();
        problem(anonymous, 401).await;
        refused(request.bearer_auth(&editor).send().await.unwrap(), ProblemType::AdminRequired).await;
    }
    assert_eq!(labels(&app.get_json("/api/v1/taxonomy").await, 1).len(), 5);
}

/// The library page's words (`../shared/seeds/004_c155b7923dc59942.txt`), copied from the page,
/// not from the seed: (slug, label, description) by vocabulary.
/// (vocabulary, heading, introduction, its values as (slug, label, description)).
type PageVocabulary = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str, &'static str)]);

const PAGE: [PageVocabulary; 4] = [
    (
        "types",
        "Resource Type",
        "",
        &[
            ("peer-reviewed-article", "Peer Reviewed Articles", ""),
            ("implementation-guidance-tools", "Implementation Guidance & Tools", ""),
            ("real-world-example", "Real World Examples", ""),
        ],
    ),
    (
        "domains",
        "Social Mission Domain",
        "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Domains reflect core operations and functions of health professions education institutions and programs that can be targeted for action to advance equity. These are also the domains used for the Social Mission Metrics Self Assessment.\n\nUse this search filter if you are interested in resources describing actions, interventions, and inputs. The Social Mission Resource Library Domains are:",
        &[
            ("pathways-admission-graduation", "Pathways, Admission, & Graduation", "This Domain includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support."),
            ("curriculum-programming", "Curriculum & Programming", "This Domain includes incorporation of health equity principles, interprofessional education, community-based learning, curriculum review, and competencies."),
            ("community-engagement", "Community Engagement", "This Domain includes community health needs assessments, community partnerships, and community representation in health professions education."),
            ("students-faculty", "Students and Faculty", "This Domain includes advocacy training for students and faculty, faculty promotion, faculty research, and faculty & leadership demographics."),
            ("governance-accountability", "Governance & Accountability", "This Domain includes efforts to measure, assess, or evaluate institutional performance related to social mission, leadership demographics, and strategic planning."),
        ],
    ),
    (
        "topics",
        "Social Mission Topic",
        "You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:",
        &[
            ("diversity-inclusion-belonging", "Diversity, inclusion & belonging", "Diversity and representation of underrepresented groups among learners, faculty, and leadership across; The perceptions, attitudes, and expectations that define an institution, particularly as seen from the perspectives of individuals who are underrepresented based on race, ethnicity, gender or sexual orientation, mental and physical ability, or other dimensions of diversity; Policies and governance structures that institutionalize social mission."),
            ("practice-in-underserved-areas-or-settings", "Practice in underserved areas or settings", "Learners and providers servicing rural or underserved communities/facilities."),
            ("specialty-choice", "Specialty choice", "Learners and providers practicing in high need specialty areas, especially primary care."),
            ("health-equity-champions", "Health equity champions", "Learners, practitioners, faculty, and administrators having the knowledge, competencies, attitudes, skills, and/or intent to address health inequities."),
            ("community-partnerships", "Community partnerships", "Programs and policies that address community inequities via external partnerships and practices."),
            ("patient-community-health", "Patient & community health", "Effects of health professions education on health outcomes at the patient, community, or population level."),
        ],
    ),
    ("professions", "Health Profession", "", &[("interdisciplinary", "Interdisciplinary", "")]),
];

#[actix_web::test]
async fn the_taxonomy_serves_the_library_pages_own_words() {
    let app = TestApp::spawn().await;
    let taxonomy = app.get_json("/api/v1/taxonomy").await;
    for (i, (key, heading, introduction, values)) in PAGE.iter().enumerate() {
        let vocabulary = &taxonomy["vocabularies"][i];
        assert_eq!(vocabulary["vocabulary"], *key);
        assert_eq!(vocabulary["heading"], *heading, "{key}");
        assert_eq!(vocabulary["introduction"], *introduction, "{key}");
        let terms = vocabulary["terms"].as_array().unwrap();
        for (slug, label, description) in values.iter() {
            let term = terms.iter().find(|t| t["slug"] == *slug).unwrap_or_else(|| panic!("{key}/{slug}"));
            assert_eq!((term["label"].as_str(), term["description"].as_str()), (Some(*label), Some(*description)));
        }
        if *key != "professions" {
            let slugs: Vec<&str> = terms.iter().map(|t| t["slug"].as_str().unwrap()).collect();
            let page: Vec<&str> = values.iter().map(|v| v.0).collect();
            assert_eq!(slugs, page, "{key}: the page's values in the page's order, and no other");
        }
    }
    let professions = taxonomy["vocabularies"][3]["terms"].as_array().unwrap();
    assert_eq!(professions.len(), 10);
    assert!(professions.iter().all(|t| t["description"] == ""), "the page describes no profession");

    // Admins read and edit the texts; the public answer follows.
    let token = app.token(Role::Admin).await;
    let texts: Value = app.get("/api/v1/admin/taxonomy").bearer_auth(&token).json_value().await;
    assert_eq!(texts["vocabularies"][2]["heading"], "Social Mission Topic");
    assert_eq!(texts["vocabularies"][2]["introduction"], PAGE[2].2);
    let edited: Value = app
        .patch("/api/v1/admin/taxonomy/topics")
        .bearer_auth(&token)
        .json(&json!({ "heading": "Topic" }))
        .json_value()
        .await;
    assert_eq!((edited["heading"].as_str(), edited["introduction"].as_str()), (Some("Topic"), Some(PAGE[2].2)));
    assert_eq!(app.get_json("/api/v1/taxonomy").await["vocabularies"][2]["heading"], "Topic");
    let editor = app.token(Role::Editor).await;
    let editors = app.get("/api/v1/admin/taxonomy").bearer_auth(&editor).send().await.unwrap();
    refused(editors, ProblemType::AdminRequired).await;
}

/// Puts back what the first seed wrote: `Specialty Choice` with its invented description, and a
/// label staff chose for `students-faculty` beside the old seeded description.
async fn as_first_seeded(app: &TestApp) {
    use diesel_async::SimpleAsyncConnection;
    app.db()
        .await
        .batch_execute(
        "UPDATE vocabulary_terms SET label = 'Specialty Choice', \
             description = 'Influences on graduates'' choice of primary care and other specialties most needed by underserved populations.' \
         WHERE vocabulary = 'topic' AND slug = 'specialty-choice'; \
         UPDATE vocabulary_terms SET label = 'Students, Residents & Faculty', \
             description = 'Includes the diversity, development, support and retention of students, faculty and staff.' \
         WHERE vocabulary = 'domain' AND slug = 'students-faculty'",
        )
        .await
        .unwrap();
}

async fn check_brought_up_to_date(app: &TestApp) {
    let taxonomy = app.get_json("/api/v1/taxonomy").await;
    let term = |v: usize, slug: &str| {
        taxonomy["vocabularies"][v]["terms"].as_array().unwrap().iter().find(|t| t["slug"] == slug).unwrap().clone()
    };
    let specialty = term(2, "specialty-choice");
    assert_eq!(specialty["label"], "Specialty choice");
    assert_eq!(
        specialty["description"],
        "Learners and providers practicing in high need specialty areas, especially primary care."
    );
    let students = term(1, "students-faculty");
    assert_eq!(students["label"], "Students, Residents & Faculty", "a staff edit stays");
    assert_eq!(
        students["description"],
        "This Domain includes advocacy training for students and faculty, faculty promotion, faculty research, and faculty & leadership demographics.",
        "the seeded description beside it is brought up to date"
    );
    let count = |v: usize| taxonomy["vocabularies"][v]["terms"].as_array().unwrap().len();
    assert_eq!((count(0), count(1), count(2), count(3)), (3, 5, 6, 10), "no value added");
}

#[actix_web::test]
async fn the_migration_brings_seeded_words_up_to_date_and_leaves_staff_edits_alone() {
    use diesel_async::SimpleAsyncConnection;
    let app = TestApp::spawn().await;
    as_first_seeded(&app).await;
    // The migration's own statement for the values, as written in its file.
    let up = include_str!("../../migrations/2026-11-30-000008_site_words/up.sql");
    let start = up.find("WITH words").unwrap();
    let statement = &up[start..start + up[start..].find(";\n").unwrap()];
    app.db().await.batch_execute(statement).await.unwrap();
    check_brought_up_to_date(&app).await;
}

#[actix_web::test]
async fn the_seed_at_start_up_matches_by_slug_the_same_way() {
    let app = TestApp::spawn().await;
    as_first_seeded(&app).await;
    social_mission_api::seed::vocabularies(&mut app.db().await).await.unwrap();
    check_brought_up_to_date(&app).await;
}

/// A vocabulary's texts: every invalid field in one 422, an unknown vocabulary is a 404, and
/// neither changes what is stored.
#[actix_web::test]
async fn invalid_vocabulary_texts_are_422_per_field_and_an_unknown_vocabulary_404() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let before: Value = app.get("/api/v1/admin/taxonomy").bearer_auth(&admin).json_value().await;
    let refused = app
        .patch("/api/v1/admin/taxonomy/topics")
        .bearer_auth(&admin)
        .json(&json!({ "heading": "", "introduction": "x".repeat(5001) }))
        .send()
        .await
        .unwrap();
    let mut fields: Vec<String> = invalid_fields(refused).await.into_iter().map(|(field, _)| field).collect();
    fields.sort();
    assert_eq!(fields, ["heading", "introduction"]);
    let unknown =
        app.patch("/api/v1/admin/taxonomy/colours").bearer_auth(&admin).json(&json!({ "heading": "H" })).send().await;
    problem(unknown.unwrap(), 404).await;
    let after: Value = app.get("/api/v1/admin/taxonomy").bearer_auth(&admin).json_value().await;
    assert_eq!(before, after);
}
