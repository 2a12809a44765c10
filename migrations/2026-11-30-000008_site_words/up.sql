-- The site's own words (issue 13, item 5): the library page (../shared/seeds/004_c155b7923dc59942.txt)
-- and the home page (000_d72aa89fae0fba0c.txt) say what the seeds used to paraphrase or invent.
-- Every change below is made by slug (vocabularies, editions) or by the exact seeded text
-- (examples), and only where a row still holds what an earlier seed wrote: staff edits stay.

-- Each vocabulary's sidebar heading and the page's introduction of it (empty where it has none).
CREATE TABLE vocabularies (
    vocabulary   text PRIMARY KEY CHECK (vocabulary IN ('type', 'domain', 'topic', 'profession')),
    heading      text NOT NULL CHECK (char_length(heading) BETWEEN 1 AND 120),
    introduction text NOT NULL DEFAULT '' CHECK (char_length(introduction) <= 5000),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO vocabularies (vocabulary, heading, introduction) VALUES
    ('type', 'Resource Type', ''),
    ('domain', 'Social Mission Domain',
     'You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Domains reflect core operations and functions of health professions education institutions and programs that can be targeted for action to advance equity. These are also the domains used for the Social Mission Metrics Self Assessment.'
     || E'\n\n' ||
     'Use this search filter if you are interested in resources describing actions, interventions, and inputs. The Social Mission Resource Library Domains are:'),
    ('topic', 'Social Mission Topic',
     'You can search for Social Mission resources based on Domain, Topic, or both. Social Mission Topics can be thought of as goals or outcome areas. Use this filter to see resources displayed based on outcome(s) of interest. Social Mission Topics are:'),
    ('profession', 'Health Profession', '');

-- The values' labels and descriptions, field by field: a label is replaced only while it is still
-- the seeded one, and so is a description. Slugs never change, so no value is added or lost.
WITH words (vocabulary, slug, old_label, new_label, old_description, new_description) AS (VALUES
    ('type', 'peer-reviewed-article', 'Peer-Reviewed Article', 'Peer Reviewed Articles',
     'Research and analysis published in peer-reviewed journals.', ''),
    ('type', 'implementation-guidance-tools', 'Implementation Guidance & Tools', 'Implementation Guidance & Tools',
     'Toolkits, guides, curricula and frameworks that help schools put the social mission into practice.', ''),
    ('type', 'real-world-example', 'Real World Example', 'Real World Examples',
     'Programs and initiatives at health professions schools that show the social mission at work.', ''),
    ('domain', 'pathways-admission-graduation', 'Pathways, Admission & Graduation', 'Pathways, Admission, & Graduation',
     'Includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support.',
     'This Domain includes alternative metrics/holistic admissions, pathway programs, recruitment strategies, and financial support.'),
    ('domain', 'curriculum-programming', 'Curriculum & Programming', 'Curriculum & Programming',
     'Includes curricula, experiential and service learning, and training that prepare students to advance health equity.',
     'This Domain includes incorporation of health equity principles, interprofessional education, community-based learning, curriculum review, and competencies.'),
    ('domain', 'community-engagement', 'Community Engagement', 'Community Engagement',
     'Includes partnerships with communities, community-based education and research, and service to local populations.',
     'This Domain includes community health needs assessments, community partnerships, and community representation in health professions education.'),
    ('domain', 'students-faculty', 'Students & Faculty', 'Students and Faculty',
     'Includes the diversity, development, support and retention of students, faculty and staff.',
     'This Domain includes advocacy training for students and faculty, faculty promotion, faculty research, and faculty & leadership demographics.'),
    ('domain', 'governance-accountability', 'Governance & Accountability', 'Governance & Accountability',
     'Includes mission statements, institutional leadership and policy, and measuring and reporting social mission outcomes.',
     'This Domain includes efforts to measure, assess, or evaluate institutional performance related to social mission, leadership demographics, and strategic planning.'),
    ('topic', 'diversity-inclusion-belonging', 'Diversity, Inclusion & Belonging', 'Diversity, inclusion & belonging',
     'Building a health workforce that reflects the communities it serves, and learning environments where everyone belongs.',
     'Diversity and representation of underrepresented groups among learners, faculty, and leadership across; The perceptions, attitudes, and expectations that define an institution, particularly as seen from the perspectives of individuals who are underrepresented based on race, ethnicity, gender or sexual orientation, mental and physical ability, or other dimensions of diversity; Policies and governance structures that institutionalize social mission.'),
    ('topic', 'practice-in-underserved-areas-or-settings', 'Practice in Underserved Areas or Settings', 'Practice in underserved areas or settings',
     'Preparing and encouraging graduates to practice in rural, urban and other underserved communities.',
     'Learners and providers servicing rural or underserved communities/facilities.'),
    ('topic', 'specialty-choice', 'Specialty Choice', 'Specialty choice',
     'Influences on graduates'' choice of primary care and other specialties most needed by underserved populations.',
     'Learners and providers practicing in high need specialty areas, especially primary care.'),
    ('topic', 'health-equity-champions', 'Health Equity Champions', 'Health equity champions',
     'Developing leaders who advocate for health equity within and beyond their institutions.',
     'Learners, practitioners, faculty, and administrators having the knowledge, competencies, attitudes, skills, and/or intent to address health inequities.'),
    ('topic', 'community-partnerships', 'Community Partnerships', 'Community partnerships',
     'Collaborations between schools and community organizations built on trust and shared goals.',
     'Programs and policies that address community inequities via external partnerships and practices.'),
    ('topic', 'patient-community-health', 'Patient & Community Health', 'Patient & community health',
     'Outcomes for the health of patients and communities that health professions education can improve.',
     'Effects of health professions education on health outcomes at the patient, community, or population level.')
)
UPDATE vocabulary_terms t SET
    label = CASE WHEN t.label = w.old_label THEN w.new_label ELSE t.label END,
    description = CASE WHEN t.description = w.old_description THEN w.new_description ELSE t.description END,
    updated_at = now()
FROM words w
WHERE t.vocabulary = w.vocabulary AND t.slug = w.slug
  AND ((t.label = w.old_label AND t.label <> w.new_label)
       OR (t.description = w.old_description AND t.description <> w.new_description));

-- The real examples and the spotlight (development data: production seeds none) as their cards
-- show them: titles from the cards' own first words, the summaries as written, the three examples
-- Open Access; what a card does not show (source, the spotlight's year and Open Access, domains,
-- topics and professions of the examples) is left empty. Only rows still as seeded change.
WITH cards (old_title, old_summary, title, summary, open_access, year, keep) AS (VALUES
    ('UC Davis School of Medicine: a diverse medical school and its Accelerated Competency-based Education in Primary Care program',
     'How UC Davis built one of the most diverse medical schools in the country, and how its three-year Accelerated Competency-based Education in Primary Care (ACE-PC) program prepares students from the communities it serves for primary care careers in those communities.',
     'UC Davis’s medical school became the third most diverse in the country',
     'UC Davis’s medical school became the third most diverse in the country by establishing programs for students who wanted to work in underserved communities, such as the Accelerated Competency-based Education in Primary Care program, prioritizing socioeconomically disadvantaged students in admissions and providing them with scholarships, developing pathways for community college students and pairing incoming students with like-minded peers and faculty.',
     true, 2024::integer, ARRAY[]::text[]),
    ('Texas A&M College of Dentistry: the Bridge to Dentistry program',
     'Bridge to Dentistry recruits and supports students from underrepresented and rural backgrounds from high school through dental school, and has changed the make-up of the college''s classes.',
     'Texas A&M College of Dentistry’s Bridge to Dentistry program',
     'Texas A&M College of Dentistry’s Bridge to Dentistry program demonstrates a transformative approach to increasing diversity in dental education.',
     true, 2024, ARRAY[]::text[]),
    ('An advocacy toolkit for medical students',
     'A practical toolkit that helps medical students learn and practise advocacy for their patients and communities: choosing an issue, building coalitions, and engaging policymakers.',
     'A toolkit for medical students to advocate for policy and practice',
     'A toolkit for medical students to advocate for policy and practice.',
     true, 2024, ARRAY[]::text[]),
    ('A collaborative process for academic research centers and community partners to embed anti-racism, equity and justice',
     'Describes how an academic research center and its community partners worked together to embed anti-racism, equity and justice into the center''s structures, research and partnerships.',
     'This article describes a collaborative process that academic research centers and community partners may adopt to address institutional racism',
     'This article describes a collaborative process that academic research centers and community partners may adopt to address institutional racism and embed anti-racism, equity, and justice into their operations and structures.',
     false, NULL, ARRAY['domain:community-engagement', 'profession:interdisciplinary'])
),
updated AS (
    UPDATE resources r SET title = c.title, summary = c.summary, open_access = c.open_access, year = c.year,
                           source = NULL, updated_at = now()
    FROM cards c
    WHERE r.title = c.old_title AND r.summary = c.old_summary
    RETURNING r.id, c.keep
)
DELETE FROM resource_terms t USING updated u, vocabulary_terms v
WHERE t.resource_id = u.id AND v.id = t.term_id AND NOT (v.vocabulary || ':' || v.slug = ANY (u.keep));

-- An edition's dates may be unknown: the home page names past editions by name and year only.
-- The year is stored (for the order of the list and for retention); dates are both set or both
-- unset, and when set the year is theirs. A published edition of this year or later must have
-- its dates (checked when written; a CHECK cannot read the clock, so a trigger does). A writer
-- that gives dates but no year (a script, an older tool) gets the year of the dates.
ALTER TABLE conferences ADD COLUMN year integer;
UPDATE conferences SET year = extract(year FROM starts_on)::integer;
ALTER TABLE conferences
    ALTER COLUMN year SET NOT NULL,
    ALTER COLUMN starts_on DROP NOT NULL,
    ALTER COLUMN ends_on DROP NOT NULL,
    ADD CONSTRAINT conferences_year CHECK (year BETWEEN 1900 AND 2200),
    ADD CONSTRAINT conferences_dates_together CHECK ((starts_on IS NULL) = (ends_on IS NULL)),
    ADD CONSTRAINT conferences_year_of_dates CHECK (starts_on IS NULL OR year = extract(year FROM starts_on)::integer);

CREATE FUNCTION conferences_dated_when_upcoming() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.year := coalesce(NEW.year, extract(year FROM NEW.starts_on)::integer);
    IF NEW.status = 'published' AND NEW.starts_on IS NULL AND NEW.year >= extract(year FROM current_date) THEN
        RAISE EXCEPTION 'a published edition of this year or later must have its dates'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'conferences_dated_when_upcoming';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER conferences_dated_when_upcoming BEFORE INSERT OR UPDATE ON conferences
    FOR EACH ROW EXECUTE FUNCTION conferences_dated_when_upcoming();

-- The seeded past editions lose the placeholder dates (May 1 to 3 of their year) and description
-- the seed gave them, where they still hold them.
UPDATE conferences SET starts_on = NULL, ends_on = NULL, updated_at = now()
WHERE slug IN ('beyond-flexner-2012', 'beyond-flexner-2015', 'beyond-flexner-2016', 'beyond-flexner-2018')
  AND starts_on = make_date(year, 5, 1) AND ends_on = make_date(year, 5, 3);
UPDATE conferences SET description = '', updated_at = now()
WHERE slug IN ('beyond-flexner-2012', 'beyond-flexner-2015', 'beyond-flexner-2016', 'beyond-flexner-2018')
  AND description = 'A past edition of the Beyond Flexner conference.';
