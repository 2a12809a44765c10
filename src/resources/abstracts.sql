-- Synthetic research abstracts for the Social Mission Resource Library (benchmarks and demos).
--
-- Defines pg_temp.gen_abstract(i bigint) RETURNS text: a realistic, English, abstract-shaped
-- text about health-professions education and health equity (background, aim, methods,
-- results with numbers such as "38%", "n = 412" or "aOR 2.14, 95% CI 1.37-3.02", conclusions).
-- Every abstract has 100 to 250 words, spread about evenly over that range, whether words are
-- counted as whitespace-separated tokens or only as tokens holding a letter or digit.
--
-- Usage: run this file once per session, then call the function in that same session:
--     psql -v ON_ERROR_STOP=1 -f src/resources/abstracts.sql          (or send the whole text
--     as one multi-statement string: it is plain SQL, no psql meta-commands)
--     SELECT pg_temp.gen_abstract(i) FROM generate_series(1, 100000) AS i;
-- Everything lives in pg_temp, so nothing is left in the database when the session ends.
-- Running the file again in the same session just replaces the function.
--
-- Deterministic: the text is a pure function of i. Every choice comes from
-- hashint8extended(i * 8192 + k, 42) (stable across platforms since PostgreSQL 11); no
-- random(), no setseed, no dependence on locale or settings (ASCII text, to_char with literal
-- separators). Different i give different texts. (The Zipf draw uses exp() on doubles; a libm
-- differing in the last bit could only matter for a draw landing exactly on a rank boundary.)
--
-- How it works: the DO block below holds the vocabulary (named word lists, most frequent entry
-- first; 48 lists, 1,887 entries, 1,644 distinct words, 133 of them hyphenated) and sentence
-- templates per abstract section. Templates name their slots: {list} draws from a named list,
-- {a|b|c} from an inline list, {#kind} is a number (pct, n, num, small, year, year2, p, ratio,
-- pctup, pctdown, likert, yrs, money).
-- Entries are drawn Zipf-like: rank r = floor(exp(u * ln(n + 1))), u uniform in [0, 1), so the
-- first entries are common and the tail is rare. The block flattens lists and templates into
-- arrays and creates the PL/pgSQL function with those arrays as constants, so a call reads no
-- table and parses nothing. Each call picks a target length, always writes one background,
-- methods, results and conclusion sentence, adds aim, gap, methods and results sentences while
-- they fit the target, and tops up with a short closing sentence if below 100 words.
--
-- Measured over i = 1..100,000 (PostgreSQL 15, 2-core machine, one core used, other load running):
--     SELECT sum(length(pg_temp.gen_abstract(i))) FROM generate_series(1, 100000) i;
--     about 10 s (0.1 ms per abstract). Mean 1,301 bytes and 174 words (min 100, max 250);
--     to_tsvector('english', ...) gives 115 distinct lexemes per abstract on average (56..185);
--     1,974 distinct words used overall.
-- A list drawn twice in one sentence avoids repeating an entry, and an abstract avoids repeating
-- a template (up to six redraws each).

DO $do$
DECLARE
    w     text[]   := '{}';   -- every list entry, list after list
    off   int[]    := '{}';   -- list id -> offset of its first entry in w, minus one
    cnt   int[]    := '{}';   -- list id -> number of entries
    lnn   float8[] := '{}';   -- list id -> ln(cnt + 1), for the Zipf draw
    names text[]   := '{}';   -- list id -> name (inline lists get their own text as name)
    tl    text[]   := '{}';   -- template piece -> literal text before the slot
    ts    int[]    := '{}';   -- template piece -> slot: 0 none, > 0 list id, < 0 number kind
    tb    int[]    := '{}';   -- template -> first piece
    te    int[]    := '{}';   -- template -> last piece
    sb    int[]    := '{}';   -- section -> first template
    se    int[]    := '{}';   -- section -> last template
    nums  text[]   := '{pct,n,num,small,year,year2,p,ratio,pctup,pctdown,likert,yrs,money}';
    r     record;
    items text[];
    parts text[];
    line  text;
    slot  text;
    j     int;
    id    int;
    body  text;
BEGIN
    ---------------------------------------------------------------------------------------------
    -- Vocabulary. Entries are separated by "|"; "~" is the empty entry. Most frequent first.
    ---------------------------------------------------------------------------------------------
    FOR r IN SELECT * FROM (VALUES
    ('topic', $w$
        health equity | the social mission of health professions education | social accountability |
        workforce diversity | holistic review in admissions | community engagement | structural racism in health care |
        anti-racism education | structural competency | cultural humility | implicit bias training |
        interprofessional education | service learning | health policy advocacy | diversity, equity, and inclusion |
        the hidden curriculum | educational debt | the geographic maldistribution of physicians | the minority tax |
        language concordance | population health | trauma-informed care | environmental justice |
        climate change and health | oral health equity | maternal health equity | access to mental health care |
        addiction medicine training | firearm injury prevention | immigrant and refugee health | LGBTQ+ health education |
        disability inclusion | food insecurity | housing instability | Medicaid expansion | accreditation standards |
        competency-based education | faculty development | mentorship | pathway programming | race-conscious admissions |
        test-optional admissions | the use of the MCAT in admissions | situational judgment testing |
        the multiple mini-interview | rural health workforce development | the primary care workforce |
        graduate medical education financing | community-based medical education | social determinants of health |
        health literacy | telehealth equity | digital health equity | global health education |
        community health worker integration | patient navigation | medical-legal partnership | harm reduction |
        incarceration and health | Indigenous health | tribal sovereignty in health research | Black maternal health |
        Latino health | Asian American health | Native Hawaiian and Pacific Islander health | veteran health |
        the health of people experiencing homelessness | reproductive justice | gender-affirming care |
        chronic disease prevention | the opioid epidemic | pandemic preparedness | vaccine confidence |
        oral health integration | pharmacist-led care | nurse-led care | team-based primary care |
        physician assistant workforce development | public health workforce development | the nursing faculty shortage |
        dental therapy | community paramedicine | academic-community partnership | community-based participatory research |
        patient and family engagement | shared decision-making | value-based payment | safety-net sustainability |
        rural hospital closures | broadband access | transportation insecurity | neighborhood deprivation |
        residential segregation | wealth inequality | intergenerational poverty | adverse childhood experiences |
        toxic stress | early childhood development | school health | youth violence prevention | mass incarceration |
        immigration enforcement | language access | interpreter use | health misinformation | trust in science |
        medical mistrust | the legacy of segregation in medicine | the Flexner Report | the land-grant mission |
        civic professionalism | professional identity formation | learner well-being | burnout prevention |
        psychological safety | inclusive learning environments | bias in clinical assessment | grading equity |
        residency selection | the transition to residency | scholarship funding | tuition-free medical education |
        loan forgiveness | the National Health Service Corps | Title VII funding | the Teaching Health Center program |
        regional campuses | distributed medical education | longitudinal integrated clerkships | rural track programs
    $w$),
    ('problem', $w$
        the persistent under-representation of Black, Latinx, and Indigenous students | the maldistribution of the health workforce |
        rising educational debt | structural racism | residential segregation | inequitable access to primary care |
        the shortage of rural physicians | the closure of rural hospitals | limited access to dental care |
        the concentration of specialists in urban areas | the high cost of health professions education |
        reliance on standardized test scores | the scarcity of faculty from under-represented groups |
        unequal access to advanced coursework | chronic underfunding of public health | language discordance |
        medical mistrust | implicit bias among clinicians | the hidden curriculum | the exclusion of community voices |
        fragmented care | the erosion of primary care | chronic underinvestment in safety-net institutions |
        the digital divide | food insecurity | housing instability | lack of insurance coverage | concentrated poverty |
        environmental racism | the legacy of redlining | mass incarceration | restrictive immigration policy |
        the spread of pharmacy deserts | clinician burnout | attrition from the nursing workforce |
        the aging of the rural workforce | the uneven distribution of residency positions |
        bias in letters of recommendation | inequity in clerkship grading | the minority tax | a lack of mentorship |
        leakage from the educational pipeline | the underfunding of tribal health programs | occupational segregation
    $w$),
    ('gap', $w$
        disparities in access to care | inequities in health outcomes | unmet health needs | avoidable hospitalizations |
        preventable deaths | delayed diagnoses | gaps in preventive care | poor continuity of care |
        disparities in life expectancy | excess maternal mortality | untreated dental disease | uncontrolled hypertension |
        poorly controlled diabetes | low rates of cancer screening | inequitable vaccination coverage |
        unmet mental health needs | disparities in addiction treatment | long travel distances to care |
        high rates of uninsurance | worse self-rated health | excess mortality | lower trust in clinicians |
        inequitable pain management | disparities in infant mortality | shortages of culturally concordant clinicians |
        limited access to specialty care | late-stage cancer diagnoses | frequent emergency department use |
        medication insecurity | fragmented prenatal care
    $w$),
    ('burden', $w$
        rates of chronic disease | barriers to care | rates of uninsurance | rates of preventable hospitalization |
        rates of maternal morbidity | exposure to environmental hazards | rates of untreated caries |
        rates of opioid overdose | rates of suicide | food and housing insecurity | wait times for care |
        out-of-pocket costs | rates of diabetes and hypertension | rates of infant mortality | cardiovascular mortality |
        rates of asthma | rates of obesity | rates of tuberculosis | rates of hepatitis C | firearm injury rates
    $w$),
    ('mission', $w$
        prepare a workforce that reflects the communities it serves | address the health needs of underserved communities |
        reduce health disparities | advance health equity | improve access to care in rural and underserved areas |
        increase the number of graduates entering primary care | diversify the health professions |
        dismantle structural racism in health care | strengthen community partnerships |
        train clinicians who practice in shortage areas | expand the pipeline of students from disadvantaged backgrounds |
        prepare learners to address social determinants of health | foster civic engagement among learners |
        align education with community needs | produce graduates committed to service |
        build trust with historically marginalized communities | recruit and retain faculty from under-represented groups |
        integrate equity into clinical training | support first-generation students | reduce the financial burden of training |
        improve the health of the communities they serve | embed anti-racism in teaching and practice |
        grow the rural health workforce | respond to population health priorities | cultivate future leaders in public health |
        create inclusive learning environments | strengthen the safety net | increase access to oral health care |
        expand pharmacist roles in underserved communities | prepare nurses for community-based practice |
        train physician assistants for primary care | promote interprofessional collaboration |
        center community voices in education and research | meet the needs of an aging population
    $w$),
    ('strategy', $w$
        holistic admissions practices | pathway programs | community-based training experiences | longitudinal mentoring relationships |
        rural training tracks | service-learning experiences | anti-racism curricula | structural competency workshops |
        partnerships with community colleges | tuition relief programs | loan repayment incentives | targeted scholarships |
        early-assurance programs | longitudinal integrated clerkships | interprofessional simulations |
        community health worker partnerships | curricular reforms | faculty development programs |
        institutional accountability metrics | mission-driven admissions policies | regional campuses |
        community-engaged research partnerships | social mission metrics | equity-focused quality improvement projects |
        student-run free clinics | peer mentoring programs | near-peer teaching programs | structured reflection exercises |
        community-based participatory research partnerships | academic-community partnerships | place-based education models |
        immersive rural placements | bilingual education programs | language-concordant training programs |
        advocacy training programs | health policy courses | cohort-based support models | coaching programs |
        wraparound student services | affinity groups | targeted recruitment efforts | medical-legal partnerships
    $w$),
    ('prog', $w$
        pipeline program | pathway program | post-baccalaureate program | summer enrichment program | mentorship program |
        longitudinal integrated clerkship | rural training track | urban underserved track | service-learning course |
        anti-racism curriculum | structural competency curriculum | health equity curriculum | social medicine course |
        health policy elective | advocacy curriculum | community health worker training program | student-run free clinic |
        interprofessional simulation program | tuition-free program | loan repayment program | faculty development series |
        implicit bias workshop | cultural humility workshop | community-engaged research course | narrative medicine seminar |
        peer-mentoring initiative | near-peer tutoring program | early-assurance program | conditional acceptance program |
        bridge program | pre-matriculation program | community-based clerkship | telehealth elective | global health track |
        tribal health track | border health track | medical Spanish course | trauma-informed care module |
        motivational interviewing workshop | quality improvement curriculum | health systems science curriculum |
        population health rotation | food insecurity screening initiative | mobile health clinic |
        school-based health center partnership | teaching health center residency | community preceptorship |
        home visit program | street medicine program | harm reduction curriculum | addiction medicine elective |
        immigrant health clinic | refugee health elective | reproductive justice curriculum | LGBTQ+ health curriculum |
        disability awareness curriculum | oral health integration program | dental outreach program |
        community pharmacy residency | pharmacist-led outreach program | nurse-managed health center | nurse residency program |
        physician assistant residency | public health practicum | leadership development program | diversity fellowship |
        visiting clerkship program | holistic review process | mission-based admissions process |
        multiple mini-interview process | community college partnership | high school outreach program |
        undergraduate research program | MCAT preparation program | scholarship program | learning community |
        longitudinal coaching program | wellness curriculum | climate and health curriculum | environmental justice elective |
        medical-legal partnership | social needs screening program | patient navigation program | community outreach program |
        accelerated three-year curriculum | rural immersion program | frontier medicine program | Indigenous health curriculum |
        civic engagement initiative | voter registration initiative | dental therapy program | community paramedicine program
    $w$),
    ('adjgood', $w$
        novel | longitudinal | community-based | innovative | competency-based | evidence-based | team-based | case-based |
        experiential | immersive | required | elective | voluntary | structured | semester-long | year-long | multi-year |
        hybrid | virtual | place-based | trauma-informed | culturally tailored | student-led | faculty-led | co-designed |
        community-led | interprofessional | integrated | scalable | low-cost | sustainable | multi-component |
        theory-informed | justice-oriented | equity-focused | mission-driven | grant-funded | state-funded | statewide |
        regional | national | pilot | comprehensive | intensive | brief | two-week | four-week | eight-week | twelve-week |
        residential | online | asynchronous | bilingual | peer-led | mentor-based | cohort-based | strengths-based |
        asset-based | anti-oppressive | practice-based | problem-based | simulation-based | reflective | participatory
    $w$),
    ('school', $w$
        medical schools | nursing schools | dental schools | schools of pharmacy | physician assistant programs |
        schools of public health | osteopathic medical schools | health professions schools | academic health centers |
        residency programs | family medicine residency programs | teaching hospitals | colleges of nursing |
        dental hygiene programs | allied health programs | nurse practitioner programs | midwifery programs |
        social work programs | public universities | historically Black colleges and universities |
        Hispanic-serving institutions | tribal colleges and universities | land-grant universities |
        community-based medical schools | regional medical campuses | new medical schools | research-intensive universities |
        state university systems | academic medical centers | pharmacy residency programs | graduate medical education programs
    $w$),
    ('learners', $w$
        medical students | nursing students | residents | dental students | pharmacy students | physician assistant students |
        public health students | first-year medical students | third-year medical students | fourth-year medical students |
        first-generation college students | students from rural backgrounds | under-represented in medicine students |
        Black and Latinx applicants | socioeconomically disadvantaged applicants | community college transfer students |
        high school students | undergraduate pre-health students | faculty members | clinical preceptors | program directors |
        admissions committee members | graduates | alumni | interns | fellows | clerkship students | student veterans |
        American Indian and Alaska Native students | Hispanic students | women faculty | LGBTQ+ trainees |
        students with disabilities | international medical graduates | nurse practitioner students | midwifery students |
        social work students | occupational therapy students | physical therapy students | family medicine residents |
        pediatric residents | psychiatry residents | general surgery residents | obstetrics and gynecology residents |
        emergency medicine residents | internal medicine residents | dental hygiene students | pharmacy residents |
        nursing faculty | early-career faculty | department chairs | academic leaders | applicants | matriculants |
        postbaccalaureate students | osteopathic medical students | new graduate nurses | baccalaureate nursing students |
        community health worker trainees | health sciences students | preclinical students | bilingual students |
        students from low-income families | Pell grant recipients | pathway program participants | summer program alumni |
        trainees | learners | recent graduates | rural track graduates | dental residents | preventive medicine residents |
        public health practitioners | clinician educators
    $w$),
    ('urm', $w$
        Black students | Hispanic and Latinx students | American Indian and Alaska Native students |
        Native Hawaiian and Pacific Islander students | students from rural backgrounds | first-generation college students |
        students from low-income families | students with disabilities | Black men | Indigenous women | Latina physicians |
        Black nurses | Hispanic dentists | Indigenous pharmacists | faculty of color | women of color | students from Appalachia |
        Southeast Asian American students | students from immigrant families | sexual and gender minority students
    $w$),
    ('fieldn', $w$
        medicine | nursing | dentistry | pharmacy | public health | academic medicine | the physician workforce |
        nursing faculty | dental faculty | surgical specialties | graduate medical education | leadership positions |
        the physician assistant profession | clinical research | biomedical research | health administration | psychiatry |
        obstetrics and gynecology | primary care | the health professions | optometry | physical therapy |
        occupational therapy | veterinary medicine
    $w$),
    ('prof', $w$
        medical | nursing | health professions | dental | pharmacy | public health | physician assistant | graduate medical |
        interprofessional | undergraduate medical | osteopathic medical | allied health | continuing | dental hygiene |
        midwifery | social work | rehabilitation | community health worker
    $w$),
    ('comm', $w$
        underserved communities | rural communities | low-income patients | uninsured patients | immigrant families | refugees |
        people experiencing homelessness | incarcerated individuals | tribal communities | Medicaid beneficiaries | older adults |
        children and adolescents | migrant farmworkers | patients with limited English proficiency |
        sexual and gender minority patients | people who use drugs | veterans | Appalachian communities |
        residents of frontier counties | urban neighborhoods | safety-net patients | historically marginalized groups |
        residents of medically underserved areas | residents of health professional shortage areas | Indigenous communities |
        Black communities | Latino communities | Asian American communities | Pacific Islander communities |
        border communities | people living with HIV | pregnant people | people with serious mental illness |
        survivors of intimate partner violence | adults with diabetes | people with disabilities | unhoused youth |
        formerly incarcerated people | agricultural workers | seasonal workers | deaf and hard-of-hearing patients |
        undocumented immigrants | asylum seekers | low-wage workers | public housing residents | single-parent households |
        families living in poverty | transgender adults | youth in foster care | students in under-resourced schools |
        residents of food deserts | coal-mining communities | fishing communities | island communities |
        Alaska Native villages | Hmong families | Somali immigrants | Haitian immigrants | Arab American communities |
        Filipino Americans | Vietnamese Americans | Puerto Rican communities | Mexican American families |
        Native Hawaiian families | frontier ranching communities | people who inject drugs | sex workers |
        patients with chronic pain | people with substance use disorders | rural elders | homebound older adults |
        family caregivers | dialysis patients | cancer survivors | patients with multiple chronic conditions | faith communities
    $w$),
    ('setting', $w$
        a large public medical school | a community-based medical school | a historically Black college or university |
        a Hispanic-serving institution | a tribal college | an academic health center | a federally qualified health center |
        a safety-net hospital | a rural critical access hospital | a regional medical campus | a land-grant university |
        a private research university | a dental school clinic | a school of pharmacy | a college of nursing |
        a physician assistant program | a school of public health | an urban teaching hospital |
        a Veterans Affairs medical center | a student-run free clinic | a county health department |
        a community health center network | a teaching health center | an osteopathic medical school |
        a multi-campus university system | a consortium of medical schools | a new community-based medical school |
        a state university | a family medicine residency program | a pediatric residency program |
        a rural family medicine residency | an Indian Health Service hospital | a tribally operated clinic |
        a community hospital | a freestanding children's hospital | a mobile dental clinic | a school-based health center |
        a homeless shelter clinic | a correctional health facility | a migrant health center |
        a public university in the Southwest | a private medical school in the Northeast | a medical school in the Midwest |
        a university in the rural South | a nursing program in the Pacific Northwest | a dental school on the West Coast |
        a pharmacy school in Appalachia | an academic medical center in the Deep South | a health sciences university |
        a community college | a regional hospital system | an integrated delivery system | a public health institute |
        a statewide area health education center | a nurse-managed clinic | a community pharmacy |
        a practice-based research network | a Medicaid managed care organization | a faith-based health ministry |
        a legal aid organization
    $w$),
    ('place', $w$
        the United States | Appalachia | the Mississippi Delta | the Navajo Nation | California's Central Valley |
        the Rio Grande Valley | the Pacific Northwest | New Mexico | rural Georgia | upstate New York | the Upper Midwest |
        Alaska | Hawaii | Puerto Rico | the Black Belt of Alabama | eastern Kentucky | West Virginia | South Dakota | Montana |
        Texas | Arizona | Oklahoma | North Carolina | South Carolina | Louisiana | Mississippi | Arkansas | Tennessee |
        Minnesota | Wisconsin | Michigan | Ohio | Pennsylvania | Maine | Vermont | Colorado | Utah | Idaho | Wyoming | Nevada |
        Florida | Chicago | Detroit | Baltimore | Philadelphia | Atlanta | Houston | Los Angeles | the Bronx | Oakland |
        New Orleans | Canada | Northern Ontario | Australia | rural Queensland | South Africa | the Philippines |
        sub-Saharan Africa | Uganda | Ghana | Brazil | Mexico | the US-Mexico border region | Indian Country |
        the Great Plains | the Four Corners region | the Ozarks | the Texas Panhandle | the Eastern Shore of Maryland |
        the Southeast | the Southwest | New England | the Mountain West
    $w$),
    ('org', $w$
        the Association of American Medical Colleges | the American Association of Colleges of Nursing |
        the American Dental Education Association | the American Association of Colleges of Pharmacy |
        the Physician Assistant Education Association | the Association of Schools and Programs of Public Health |
        the Liaison Committee on Medical Education | the Commission on Dental Accreditation |
        the Accreditation Council for Graduate Medical Education | the National Academies of Sciences, Engineering, and Medicine |
        the World Health Organization | the Health Resources and Services Administration | the Beyond Flexner Alliance |
        the Josiah Macy Jr. Foundation | the Robert Wood Johnson Foundation | the Council on Education for Public Health |
        the Accreditation Council for Pharmacy Education | the Commission on Collegiate Nursing Education |
        the American Association of Colleges of Osteopathic Medicine | the National League for Nursing |
        the Institute of Medicine | the Sullivan Commission | the Association of Faculties of Medicine of Canada |
        the Training for Health Equity Network | the American Medical Association | the American Nurses Association |
        the National Medical Association | the Council on Graduate Medical Education
    $w$),
    ('design', $w$
        retrospective cohort study | cross-sectional survey | mixed-methods evaluation | qualitative study |
        prospective cohort study | quasi-experimental study | randomized controlled trial | cluster-randomized trial |
        pre-post evaluation | pretest-posttest study | longitudinal study | case study | multi-institutional survey |
        national survey | secondary analysis | scoping review | systematic review | meta-analysis | realist review |
        program evaluation | difference-in-differences analysis | interrupted time series analysis |
        propensity score-matched analysis | descriptive study | phenomenological study | grounded theory study |
        Delphi study | nominal group study | community-based participatory research study | participatory action research project |
        document analysis | policy analysis | geospatial analysis | cost-effectiveness analysis | natural experiment |
        narrative review | focus group study | ethnographic study | photovoice project | needs assessment |
        environmental scan | convergent parallel mixed-methods study | explanatory sequential study | case-control study |
        pilot study | feasibility study | multisite evaluation | retrospective chart review | bibliometric analysis |
        content analysis of mission statements | critical discourse analysis | autoethnography | comparative case study |
        longitudinal panel study | national cohort study
    $w$),
    ('data', $w$
        semi-structured interviews | institutional admissions records | focus groups | AAMC Matriculating Student Questionnaire data |
        Graduation Questionnaire responses | AMA Physician Masterfile records | course evaluations | reflective essays |
        electronic health record data | national licensure data | census tract data | county-level workforce data |
        American Community Survey estimates | National Provider Identifier records | residency match data | alumni surveys |
        standardized patient encounters | objective structured clinical examinations | validated instruments |
        pre- and post-course questionnaires | field notes | program records | accreditation self-study documents |
        publicly available mission statements | bibliometric data | Medicare claims | Medicaid claims |
        shortage area designation data | state licensing board data | student portfolios | narrative evaluations |
        faculty evaluations | clerkship grades | application files | secondary application essays | interview scores |
        situational judgment test scores | MCAT scores | undergraduate grade point averages | tuition and debt records |
        financial aid records | curriculum maps | course syllabi | learning management system logs | clinic encounter logs |
        community partner surveys | patient experience surveys | key informant interviews | listening sessions |
        photovoice images | geocoded practice addresses | Area Deprivation Index scores | Social Vulnerability Index data |
        rural-urban commuting area codes | Dental Admission Test scores | NCLEX pass rates | PANCE results |
        board certification records | institutional climate surveys | exit interviews | meeting minutes
    $w$),
    ('quant', $w$
        multivariable logistic regression | descriptive statistics | chi-square tests | linear regression |
        paired t-tests | hierarchical linear modeling | structural equation modeling | Poisson regression |
        Cox proportional hazards models | generalized estimating equations | latent class analysis | social network analysis |
        geographic information system mapping | Wilcoxon signed-rank tests | multilevel modeling | mixed-effects regression |
        exploratory factor analysis | confirmatory factor analysis | Rasch analysis | item response theory |
        negative binomial regression | Kaplan-Meier survival analysis | propensity score matching |
        inverse probability weighting | segmented regression | spatial autocorrelation analysis | analysis of variance |
        Mann-Whitney U tests | Fisher exact tests | bootstrapped confidence intervals | multiple imputation
    $w$),
    ('qual', $w$
        thematic analysis | content analysis | framework analysis | constant comparative analysis |
        reflexive thematic analysis | interpretative phenomenological analysis | inductive coding | deductive coding |
        a codebook approach | rapid qualitative analysis | qualitative comparative analysis | narrative analysis |
        discourse analysis | immersion-crystallization | grounded theory methods | template analysis | sentiment analysis |
        natural language processing | topic modeling | consensus coding
    $w$),
    ('covar', $w$
        race and ethnicity | gender | rurality of origin | socioeconomic status | first-generation status |
        age at matriculation | parental education | program participation | campus | cohort year | specialty choice |
        debt level | Medicaid expansion status | urbanicity | undergraduate institution | MCAT score | grade point average |
        disadvantaged status | primary language | citizenship status | marital status | family income | military service |
        prior health care experience | region | school ownership | research intensity | community size |
        county poverty rate | Pell grant eligibility
    $w$),
    ('component', $w$
        didactic sessions | small-group discussions | community site visits | reflective writing | home visits |
        simulation exercises | case conferences | service-learning projects | standardized patient encounters |
        mentorship meetings | policy advocacy projects | journal clubs | structured debriefing | neighborhood walking tours |
        community-based research projects | MCAT preparation | financial literacy workshops | clinical shadowing |
        research internships | leadership retreats | grand rounds | book clubs | online modules |
        panels with community members | longitudinal patient panels | health fairs | interprofessional team huddles |
        telehealth visits | quality improvement projects | legislative visits | op-ed writing |
        community health needs assessments | cultural immersion experiences | language instruction | study skills coaching |
        wellness check-ins | peer study groups | residential summer sessions | college application support |
        academic advising | talking circles | capstone projects | field placements | poverty simulations |
        implicit association test exercises | case-based learning | team-based learning | flipped classroom sessions |
        storytelling sessions | art-based reflection
    $w$),
    ('partners', $w$
        community advisory boards | community health workers | patients with lived experience | tribal leaders |
        faith-based organizations | local health departments | community-based organizations | student leaders | alumni |
        promotoras | school districts | public libraries | housing authorities | food banks | legal aid attorneys |
        elected officials | employers | community college faculty | high school counselors | youth advisory councils |
        peer recovery specialists | parents | elders | cultural brokers | social workers | pharmacists | nurses | dentists |
        physicians | public health nurses | emergency medical services | hospital administrators | state Medicaid agencies |
        philanthropic partners | neighborhood associations | mutual aid networks
    $w$),
    ('lout', $w$
        practice location | specialty choice | primary care intent | retention in underserved practice | matriculation |
        graduation | attrition | licensure examination performance | self-efficacy | empathy | cultural humility |
        implicit bias | civic engagement | sense of belonging | burnout | well-being | imposter phenomenon |
        professional identity formation | clinical reasoning | communication skills | knowledge of social determinants of health |
        advocacy skills | readiness for interprofessional collaboration | rural practice | time to degree |
        academic performance | clerkship performance | residency placement | leadership development |
        critical consciousness | structural competency | moral distress | perceived discrimination | stereotype threat |
        financial stress | food security | mentoring quality | career satisfaction | intent to stay |
        interprofessional attitudes | attitudes toward underserved patients | attitudes toward people who use drugs |
        comfort discussing race | confidence in addressing social needs | educational debt |
        service to underserved populations | Medicaid participation | faculty retention | promotion |
        research productivity | volunteerism | public service | scholarly output | student engagement | psychological safety
    $w$),
    ('pout', $w$
        access to care | workforce diversity | patient satisfaction | community trust | vaccination uptake |
        cancer screening completion | emergency department use | hospital readmission | continuity of care |
        social mission performance | applicant diversity | admissions yield | screening for social needs | referral completion |
        blood pressure control | glycemic control | oral health status | preventive dental visits | medication adherence |
        prescription fill rates | maternal outcomes | birth outcomes | hospitalization rates | preventable admissions |
        quality of care | patient trust | patient-provider communication | health literacy | care coordination |
        community health indicators | population health outcomes | cost of care | return on investment |
        program sustainability | institutional culture | organizational commitment | policy change | curricular integration |
        faculty engagement | preceptor recruitment | community partnership quality | learning climate | inclusion |
        language access | wait times | no-show rates | uptake of telehealth
    $w$),
    ('qualdata', $w$
        semi-structured interviews | focus groups | reflective essays | key informant interviews | open-ended survey responses |
        field notes | listening sessions | narrative evaluations | secondary application essays | photovoice images |
        meeting minutes | exit interviews | student portfolios | course evaluations | publicly available mission statements |
        accreditation self-study documents | community partner surveys | written reflections | policy documents
    $w$),
    ('records', $w$
        institutional admissions records | AMA Physician Masterfile records | National Provider Identifier records |
        national licensure data | residency match data | AAMC Matriculating Student Questionnaire data |
        Graduation Questionnaire responses | alumni surveys | state licensing board data | Medicare claims | Medicaid claims |
        financial aid records | board certification records | census tract data | geocoded practice addresses |
        shortage area designation data | American Community Survey estimates | county-level workforce data |
        electronic health record data | clerkship grades | tuition and debt records | rural-urban commuting area codes |
        Area Deprivation Index scores
    $w$),
    ('rate', $w$
        matriculation of under-represented students | primary care match rates | the share of graduates practicing rurally |
        retention of graduates in the state | graduation rates | board pass rates | cancer screening completion |
        vaccination coverage | the proportion of faculty from under-represented groups | applicant diversity |
        the proportion of first-generation matriculants | the proportion of graduates entering family medicine |
        social needs screening rates | referral completion rates |
        the proportion of students reporting a strong sense of belonging | student participation in service learning |
        the proportion of patients with a usual source of care | hypertension control rates | the share of Medicaid patients seen |
        preceptor retention | student satisfaction | the proportion of graduates working in shortage areas |
        completion of advance directives | dental sealant coverage | naloxone distribution |
        uptake of HIV pre-exposure prophylaxis | enrollment from rural counties | the proportion of bilingual graduates |
        on-time graduation | the proportion of women in leadership roles
    $w$),
    ('rated', $w$
        attrition | burnout | reported mistreatment | the proportion of students reporting food insecurity |
        emergency department visits | no-show rates | hospital readmissions | reports of discrimination |
        turnover among preceptors | missed appointments | the proportion of uninsured patients |
        delays to first appointment | reliance on test scores in screening | disparities in clerkship honors |
        leaves of absence
    $w$),
    ('scale', $w$
        cultural humility | self-efficacy | empathy | attitudes toward underserved populations |
        knowledge of social determinants of health | structural competency | interprofessional collaboration |
        civic-mindedness | advocacy readiness | belonging | preparedness for practice | confidence in addressing racism |
        critical consciousness | health equity knowledge | cultural competence | social responsibility |
        tolerance of ambiguity | resilience | professional identity | commitment to service | teamwork |
        community orientation | motivation for primary care | awareness of implicit bias | health policy knowledge |
        perceived stress | moral courage | patient-centeredness | trauma-informed practice | communication self-efficacy |
        intercultural sensitivity | attitudes toward poverty
    $w$),
    ('expsub', $w$
        financial stress | experiences of discrimination | a strong sense of belonging |
        an intention to practice in underserved areas | an interest in primary care | increased confidence |
        greater comfort working with interpreters | improved understanding of structural racism | burnout symptoms |
        mistreatment during clerkships | feeling unprepared for clinical work | food insecurity |
        working more than 20 hours per week | caregiving responsibilities | a mentor from a similar background |
        satisfaction with the program | plans to return to their home communities | greater awareness of community assets |
        a desire to engage in advocacy | increased interest in public health careers |
        positive experiences with community preceptors | concerns about educational debt | exposure to microaggressions |
        imposter feelings | a stronger professional identity | improved teamwork skills | a clearer understanding of health policy |
        greater trust in faculty | feeling isolated | support from peers | changes in clinical practice |
        routine social needs screening | sharing resources with patients | sustained community involvement |
        lasting relationships with community partners | a commitment to serving Medicaid patients |
        an intent to pursue rural practice | interest in academic careers | a greater sense of purpose |
        heightened awareness of bias
    $w$),
    ('theme', $w$
        trust | reciprocity | belonging | identity | tokenism | microaggressions | role modeling | institutional support |
        financial barriers | family obligations | peer support | community partnership | structural barriers | moral distress |
        protected time | leadership buy-in | sustainability | funding | cultural humility | power sharing |
        relationship building | mutual benefit | bidirectional learning | humility | accountability | transparency |
        representation | mentorship | sponsorship | visibility | invisibility | isolation | resilience | resistance |
        advocacy | solidarity | hope | frustration | fatigue | pride | purpose | calling | service | community connection |
        place attachment | rural identity | cultural identity | language | faith | spirituality | family support |
        generational trauma | historical trauma | healing | safety | respect | dignity | voice | agency | empowerment |
        ownership | co-creation | shared governance | inclusion | exclusion | bias | racism | sexism | ableism | classism |
        homophobia | xenophobia | stigma | shame | courage | vulnerability | authenticity | self-advocacy |
        navigational capital | aspirational capital | social capital | community cultural wealth | mentoring networks |
        the hidden curriculum | role strain | competing demands | time constraints | workload | compensation | recognition |
        promotion criteria | institutional inertia | bureaucracy | leadership turnover | grant dependence | mission drift |
        competing priorities | collaboration | communication | coordination | flexibility | adaptability | creativity |
        curiosity | empathy | compassion | patience
    $w$),
    ('barrier', $w$
        financial barriers | lack of protected time | limited institutional funding | competing clinical demands |
        faculty turnover | inadequate preceptor capacity | transportation challenges | limited broadband access |
        standardized test requirements | high application costs | limited advising | lack of mentorship |
        geographic isolation | housing costs | childcare responsibilities | language barriers | bureaucratic hurdles |
        resistance from faculty | curricular overload | limited community input | short funding cycles | inflexible schedules |
        immigration status | licensing restrictions | scope-of-practice laws | reimbursement policies |
        limited clinical placements | competition for preceptors | lack of diverse role models | stigma | mistrust |
        political opposition | legal uncertainty about race-conscious programs | data limitations |
        inadequate evaluation capacity | lack of leadership support | staff shortages | rising tuition |
        limited loan forgiveness | credentialing delays | unclear promotion criteria | documentation burden |
        space constraints | long travel distances
    $w$),
    ('behavior', $w$
        practice in primary care | practice in a health professional shortage area | work in a federally qualified health center |
        remain in the state after training | serve Medicaid patients | choose family medicine | practice in rural communities |
        pursue careers in academic medicine | engage in advocacy | accept uninsured patients | hold leadership positions |
        return to their home communities | enter public health careers | join the National Health Service Corps |
        work with the Indian Health Service | precept students | volunteer in free clinics | pursue research on health equity |
        match into pediatrics | match into psychiatry | match into internal medicine | practice in a safety-net setting |
        provide care in Spanish | screen patients for social needs | prescribe buprenorphine | provide gender-affirming care |
        work in community pharmacies | practice in community health centers | teach in pathway programs |
        mentor under-represented students | serve on community boards | participate in policy advocacy |
        complete the program | graduate on time | practice in the communities where they trained
    $w$),
    ('practice', $w$
        primary care | health professional shortage areas | rural counties | federally qualified health centers |
        Indian Health Service facilities | safety-net hospitals | community health centers | public health departments |
        medically underserved areas | their home states | urban underserved settings | tribal health programs |
        correctional facilities | school-based clinics | community pharmacies | public dental clinics | rural hospitals |
        Veterans Affairs facilities | free clinics | migrant health centers | academic health centers | frontier communities
    $w$),
    ('demog', $w$
        first-generation college students | from rural backgrounds | Black or African American | Hispanic or Latino | women |
        eligible for Pell grants | from disadvantaged backgrounds | multilingual | non-traditional students | veterans |
        older than 30 years | parents | American Indian or Alaska Native | Asian American | from low-income families |
        immigrants or children of immigrants | LGBTQ+ | community college transfers | employed during training |
        the first in their families to attend graduate school | residents of the state | from medically underserved counties
    $w$),
    ('stake', $w$
        admissions committees | curriculum committees | accrediting bodies | policymakers | state legislatures | funders |
        institutional leaders | educators | program directors | community partners | health systems |
        philanthropic foundations | federal agencies | professional associations | deans | department chairs |
        faculty developers | clerkship directors | residency programs | student affairs offices | diversity officers |
        state Medicaid agencies | public health agencies | hospital boards | university presidents | boards of trustees |
        licensing boards | payers | employers | researchers | evaluators | student leaders | community health centers |
        area health education centers | workforce planners
    $w$),
    ('action', $w$
        invest in sustained community partnerships | align admissions criteria with institutional mission |
        track graduate outcomes longitudinally | embed equity across the curriculum | protect faculty time for mentorship |
        reward community-engaged scholarship in promotion decisions | expand holistic review |
        reduce reliance on standardized test scores | fund pathway programs beyond pilot phases |
        share power with community partners | compensate community partners fairly | collect disaggregated data |
        publish social mission metrics | create rural training opportunities | expand tuition support |
        increase loan repayment options | build evaluation capacity | recruit faculty from under-represented groups |
        support first-generation learners | address the hidden curriculum | strengthen preceptor development |
        co-design curricula with communities | integrate social needs screening into clinical training |
        prioritize primary care training | establish accountability structures | adopt shared outcome measures |
        partner with community colleges | engage high school students early | support learners' basic needs |
        invest in faculty development | address mistreatment in clinical settings | review grading practices for bias |
        expand interprofessional learning | incorporate structural competency into assessment |
        align graduate medical education funding with workforce needs | make outcome data publicly available |
        center patient voices | create inclusive learning environments | provide dedicated funding for community engagement |
        recognize the minority tax | sponsor under-represented faculty for leadership roles |
        sustain commitments to diversity despite legal constraints | evaluate programs with rigorous designs |
        report both successes and failures | coordinate efforts across institutions | leverage state and federal funding |
        expand telehealth training | prepare learners for advocacy | sustain programs beyond grant funding
    $w$),
    ('gerund', $w$
        advancing health equity | diversifying the health workforce | strengthening the primary care pipeline |
        addressing rural physician shortages | fulfilling the social mission of health professions education |
        preparing learners to address social determinants of health | building trust with communities |
        reducing educational debt | supporting first-generation students | recruiting faculty from under-represented groups |
        embedding anti-racism in curricula | expanding access to oral health care |
        integrating community health workers into care teams | measuring social accountability |
        improving care for underserved populations | fostering interprofessional collaboration | promoting civic engagement |
        developing community-engaged scholars | training clinicians for rural practice | retaining graduates in underserved areas |
        creating inclusive learning environments | teaching structural competency | aligning education with community needs |
        evaluating pathway programs | sustaining academic-community partnerships | increasing language concordance |
        reducing bias in assessment | preparing the public health workforce | expanding pharmacist-led care |
        preparing nurses for community practice | training physician assistants for underserved settings |
        reforming admissions | advancing health justice | addressing climate-related health risks |
        improving maternal health outcomes | responding to the opioid crisis | strengthening the safety net
    $w$),
    ('framework', $w$
        critical race theory | the social-ecological model | self-determination theory | transformative learning theory |
        communities of practice | situated learning theory | intersectionality | the structural competency framework |
        the RE-AIM framework | the Consolidated Framework for Implementation Research | Kirkpatrick's model |
        the CanMEDS framework | the Quadruple Aim | the Social Mission Metrics framework | Bourdieu's theory of capital |
        community cultural wealth | social identity theory | the minority stress model | Freirean critical pedagogy |
        the health belief model | Bronfenbrenner's ecological systems theory | a logic model | appreciative inquiry |
        the Theoretical Domains Framework | social cognitive career theory | the cultural humility framework |
        experiential learning theory | Public Health Critical Race praxis | anti-oppressive practice | the Collective Impact model
    $w$),
    ('vreport', $w$
        reported | described | identified | noted | emphasized | highlighted | expressed | cited | recounted | named |
        endorsed | discussed | valued | mentioned
    $w$),
    ('vstudy', $w$
        examine | describe | evaluate | assess | explore | characterize | compare | quantify | determine | investigate |
        identify | analyze | document | map | understand | measure | estimate | appraise
    $w$),
    ('vpos', $w$
        increased | improved | strengthened | enhanced | expanded | boosted | raised | promoted | fostered | supported |
        accelerated | bolstered | deepened | broadened | advanced | sustained | reinforced
    $w$),
    ('adjsig', $w$
        significant | substantial | modest | meaningful | marked | statistically significant | sustained | consistent |
        measurable | large | small but significant | clinically meaningful | durable | notable | robust | moderate
    $w$),
    ('adv', $w$
        consistently | substantially | significantly | markedly | modestly | slightly | considerably | disproportionately |
        notably | appreciably | somewhat | dramatically | meaningfully | steadily
    $w$),
    ('conn_add', $w$
        ~ | In addition, | Moreover, | Furthermore, | Additionally, | Notably, | Importantly, | Similarly, | Likewise, |
        Overall, | Specifically, | In particular, | At the same time,
    $w$),
    ('conn_con', $w$
        However, | In contrast, | Nevertheless, | Yet | Still, | Despite these efforts, | Even so, | Nonetheless, |
        By comparison, | Conversely,
    $w$)
    ) AS v(name, items)
    LOOP
        items := ARRAY(
            SELECT CASE WHEN e = '~' THEN '' ELSE e END
            FROM unnest(regexp_split_to_array(btrim(regexp_replace(r.items, '\s+', ' ', 'g')), '\s*\|\s*'))
                 WITH ORDINALITY AS x(e, o)
            ORDER BY o);
        IF r.name = ANY (names) THEN
            RAISE EXCEPTION 'abstracts.sql: list % defined twice', r.name;
        END IF;
        names := names || r.name;
        off := off || cardinality(w);
        cnt := cnt || cardinality(items);
        lnn := lnn || ln(cardinality(items) + 1)::float8;
        w := w || items;
    END LOOP;

    ---------------------------------------------------------------------------------------------
    -- Sentence templates, one a line, by section: 1 background, 2 gap, 3 aim, 4 methods,
    -- 5 results, 6 conclusions, 7 short closings (used only to reach 100 words).
    ---------------------------------------------------------------------------------------------
    FOR r IN SELECT * FROM (VALUES
    (1, $t$
        {school} {have a|share a|carry a|bear a} {social|public|moral|civic|societal} {responsibility|obligation|mandate} to {mission}.
        Interest in {topic} has {grown|increased|intensified|expanded|accelerated} {rapidly|steadily|substantially|markedly|considerably} across {school}.
        {problem} {contributes to|perpetuates|exacerbates|sustains|compounds|deepens} {gap} among {comm}.
        Despite decades of {investment|advocacy|policy reform|targeted recruitment|institutional effort}, {urm} remain {substantially|persistently|markedly|severely|significantly|deeply} under-represented in {fieldn}.
        {comm} in {place} {experience|face|bear|continue to face} {disproportionately high|persistently elevated|higher|rising} {burden}.
        {org} has called on {school} to {mission}.
        A growing body of {evidence|literature|research|scholarship} suggests that {strategy} can {mission}.
        Calls to prioritize {topic} have {grown|multiplied|intensified|become more urgent} in {prof} education.
        {prof} education {plays a|has a} {central|critical|pivotal|vital|unique} role in {gerund}.
        {strategy} {have been proposed|are widely promoted|have been recommended|are increasingly used} as {a strategy|a lever|a means|one approach} to {mission}.
        Since {#year}, {school} {have expanded|have launched|have adopted|have invested in} {strategy} to {mission}.
        In {place}, {comm} {have long faced|continue to face|face} {gap}.
        The {COVID-19 pandemic|opioid epidemic|closure of rural hospitals|national reckoning with structural racism|expansion of telehealth|end of race-conscious admissions} {exposed|magnified|highlighted|deepened|renewed attention to} {gap} among {comm}.
        Educators increasingly recognize the importance of {topic} for {gerund}.
        {problem} {remains|is} a {major|persistent|well-documented|central|growing} {barrier to|challenge for|threat to|concern for} {gerund}.
        {comm} {rely heavily on|depend on|often receive care from} clinicians trained in {school}.
    $t$),
    (2, $t$
        {conn_con} little is known about how {strategy} {influence|shape|affect} {lout} among {learners}.
        {conn_con} the {long-term|downstream|comparative|longitudinal|sustained} {effects|outcomes} of {strategy} on {lout} remain {poorly understood|understudied|unclear|largely undocumented|uncertain}.
        Evidence {on|regarding|about} {lout} among {learners} remains {sparse|limited|mixed|inconclusive|fragmented}.
        Few {studies|evaluations|reports|multi-institutional studies} have {examined|assessed|compared|measured} {pout} across {school}.
        Most prior {work|research|scholarship} has focused on {single institutions|short-term outcomes|self-reported attitudes|medical students alone|urban settings|admissions outcomes}, leaving {lout} {largely unexamined|understudied|poorly characterized}.
        {conn_con} {school} {often lack|rarely have|seldom collect} {validated measures|shared metrics|longitudinal measures|reliable benchmarks|rigorous evaluations} of {pout}.
        It remains unclear whether {strategy} {can|will} {mission} {at scale|in the long term|across diverse settings|without sustained funding}.
        Understanding the {barriers|facilitators|mechanisms|conditions} that shape {pout} is {essential|critical|necessary} for {gerund}.
        {conn_con} the perspectives of {comm} are {rarely|seldom|infrequently} {represented|included|centered} in {prof} education research.
        {conn_con} {school} in {place} have {received little attention|been understudied|rarely been studied}.
    $t$),
    (3, $t$
        This {design} {aimed to|sought to} {vstudy} {lout} among {learners} who {completed|participated in|enrolled in} a {adjgood} {prog} at {setting}.
        We {describe|evaluate|report on|examine|present} the {development|implementation|evaluation|outcomes|first decade} of a {adjgood} {prog} {designed to|intended to|created to} {mission}.
        The purpose of this {design} was to {vstudy} the {association|relationship} between {lout} and {lout} among {learners}.
        This {article|paper|report|case study} {describes|outlines|presents} {a framework|lessons learned|a model|a toolkit|an approach} for {gerund} at {setting}.
        We {assessed|examined|tested|evaluated|investigated} whether {participation in|exposure to|completion of} a {adjgood} {prog} {was associated with|predicted|influenced} {lout}.
        Our objective was to {vstudy} {lout} and {lout} among {learners} in {place}.
        Guided by {framework}, we {explored|examined|characterized} how {learners} {experience|perceive|navigate|make sense of} {topic}.
        This {design} {explores|examines|assesses} how {setting} {implemented|sustained|scaled|evaluated} a {adjgood} {prog}.
    $t$),
    (4, $t$
        We conducted a {design} of {#num} {learners} at {setting} between {#year} and {#year2}.
        Data {were drawn from|came from|included} {data} and {data}.
        {Participants|Respondents|Students|Trainees} completed {validated instruments|surveys|questionnaires|standardized measures} of {scale}, {scale}, and {scale} {before and after the intervention|at baseline and follow-up|at matriculation and graduation|at three time points}.
        We used {quant} to {compare|examine|model|estimate} {lout} {by|across} {covar}.
        {qual} {was used|was applied|was performed} to {identify|analyze|characterize} {themes|patterns|key concepts} in {qualdata}.
        The {prog} {included|comprised|consisted of} {component}, {component}, and {component}.
        {partners} {co-designed|co-led|helped design|informed|guided} the {curriculum|intervention|evaluation|research questions|recruitment strategy}.
        Outcomes were {measured|assessed|compared|ascertained} using {data} and {data}.
        We {linked|matched|merged} {records} with {records} to {track|follow|measure} {lout} over {#yrs} years.
        We {recruited|surveyed|interviewed|enrolled} {#num} {learners} from {#small} {school} in {place}.
        {Semi-structured interviews|Focus groups|Key informant interviews|Listening sessions|Talking circles} with {#small} {partners} were {audio-recorded and transcribed verbatim|recorded, transcribed, and coded|conducted in person or by video}.
        The {intervention|program|curriculum} was {evaluated|framed|designed} using {framework}.
        {Models|Analyses|Regression models} {adjusted for|accounted for|controlled for} {covar}, {covar}, and {covar}.
        {Participants|Respondents} ({#n}) were {recruited through|drawn from|identified through} {setting} and {setting}.
        The primary outcome was {lout}; secondary outcomes included {pout} and {lout}.
        A {comparison group|matched comparison cohort|historical control group} of {#num} {learners} {received the standard curriculum|did not participate in the program|was drawn from earlier cohorts}.
        We surveyed {#num} {learners} (response rate, {#pct}) across {#small} {school}.
        Two {investigators|coders|team members|authors} {independently coded|double-coded|reviewed} {transcripts|open-ended responses|documents} using {qual}.
        The final analytic sample {included|comprised} {#num} {learners} from {#small} {school}.
    $t$),
    (5, $t$
        {conn_add} {#pct} of {learners} {reported|described|noted|mentioned} {expsub}.
        Participation in the {prog} was associated with {adjsig} {increases|improvements|gains} in {lout} ({#ratio}).
        {conn_add} {rate} {increased|rose|grew|climbed} from {#pctup} {after implementation|over the study period|following the intervention|among participants|within three years}.
        {conn_add} {rated} {decreased|fell|declined|dropped} from {#pctdown} {after implementation|over the study period|following the intervention}.
        Compared with {nonparticipants|matched controls|students in the traditional curriculum|the prior cohort|national peers|graduates of other programs}, {participants|graduates|program alumni|program graduates|enrolled students} were {more likely|significantly more likely|nearly twice as likely} to {behavior} ({#ratio}).
        {Three themes|Three major themes|Three overarching themes|Three interrelated themes} emerged: {theme}, {theme}, and {theme}.
        {learners} {vreport} {theme} and {theme} as {key|important|central|critical} {facilitators|barriers|influences|motivators}.
        Mean {scale} scores {increased|improved|rose} from {#likert} ({#p}).
        Of the {#num} {learners} {surveyed|enrolled|included|interviewed}, {#pct} were {demog}.
        The response rate was {#pct}.
        No {significant|statistically significant|meaningful} differences were {observed|found|detected} in {lout} by {covar}.
        {partners} {described|valued|emphasized|highlighted} {theme} and {theme}.
        {conn_add} {lout} was {adv} higher among {learners} from {place}.
        At {#yrs}-year follow-up, {#pct} of {graduates|program alumni|participants|respondents} {practiced|remained|were practicing} in {practice}.
        {barrier} and {barrier} were the most {frequently cited|commonly reported|salient} barriers.
        The {prog} {cost|required} approximately {#money} per {participant|student|graduate|year}.
        {conn_add} {learners} {vreport} {adjsig} {gains|improvements|growth} in {scale} ({#p}).
        {conn_con} {lout} did not differ {significantly|meaningfully} between groups.
        Multivariable analysis showed that {covar} {independently predicted|was independently associated with|remained associated with} {lout} ({#ratio}).
        {conn_add} the {prog} {vpos} {pout} and {lout}.
        {conn_add} {#num} {learners} {completed|participated in|enrolled in} the {prog} during the study period.
        Qualitative {data|findings|responses} {revealed|highlighted|underscored|illustrated} {theme} as a {central|recurring|dominant|salient} {theme|concern|motivation}.
        {conn_con} {#pct} of {learners} {vreport} {barrier}.
        Among {learners} ({#n}), {#pct} {reported|described|noted|mentioned} {expsub}.
        {conn_add} participants {reported|described|noted|mentioned} {expsub} {adv} more often than {nonparticipants|controls|peers|the comparison group}.
    $t$),
    (6, $t$
        {strategy} {can|may|could|can effectively} {mission}.
        These findings suggest that {strategy} {can|may|could} {mission}.
        These findings {support|reinforce|strengthen} the case for {strategy} as a {means|strategy|lever} for {gerund}.
        {stake} should {action}.
        {stake} {seeking to|that wish to|aiming to|working to} {mission} should {action}.
        Future {research|studies|work} should {examine|evaluate|explore|assess} {pout} {over longer periods|across multiple institutions|in diverse settings|using mixed methods|with community partners}.
        The {adjgood} {prog} described here {offers|provides} a {promising|replicable|scalable|feasible|practical} {model|approach|pathway} for {gerund}.
        Sustained {investment|commitment|institutional support|funding|leadership} will be {needed|required|essential} to {mission}.
        {In conclusion|Overall|Taken together|Collectively}, {strategy} {can|may} contribute to {gerund}.
        Lessons from this {initiative|program|study|evaluation} may {inform|guide|help} {stake} in {place} and beyond.
        Aligning {topic} with institutional mission {requires|demands} {commitment|partnership|sustained investment|accountability} from {stake}.
    $t$),
    (7, $t$
        Implications for {stake} are discussed.
        {Limitations|Study limitations|Limitations and next steps} are {discussed|described|noted}.
        Recommendations for {gerund} are {offered|provided|proposed}.
        Implications for {topic} are considered.
    $t$)
    ) AS v(sec, tpls)
    ORDER BY sec
    LOOP
        sb[r.sec] := cardinality(tb) + 1;
        FOREACH line IN ARRAY regexp_split_to_array(r.tpls, '\n') LOOP
            line := btrim(regexp_replace(line, '\s+', ' ', 'g'));
            CONTINUE WHEN line = '';
            -- "lit{slot}lit{slot}lit" -> lit, slot, lit, slot, lit
            parts := regexp_split_to_array(line, '[{}]');
            tb := tb || (cardinality(tl) + 1);
            j := 1;
            WHILE j <= cardinality(parts) LOOP
                tl := tl || parts[j];
                slot := parts[j + 1];
                IF slot IS NULL THEN
                    ts := ts || 0;
                ELSIF left(slot, 1) = '#' THEN
                    id := array_position(nums, substr(slot, 2));
                    IF id IS NULL THEN
                        RAISE EXCEPTION 'abstracts.sql: unknown number {%} in: %', slot, line;
                    END IF;
                    ts := ts || -id;
                ELSIF strpos(slot, '|') > 0 THEN
                    id := array_position(names, slot);
                    IF id IS NULL THEN
                        items := ARRAY(
                            SELECT CASE WHEN btrim(e) = '~' THEN '' ELSE btrim(e) END
                            FROM unnest(string_to_array(slot, '|')) WITH ORDINALITY AS x(e, o)
                            ORDER BY o);
                        names := names || slot;
                        off := off || cardinality(w);
                        cnt := cnt || cardinality(items);
                        lnn := lnn || ln(cardinality(items) + 1)::float8;
                        w := w || items;
                        id := cardinality(names);
                    END IF;
                    ts := ts || id;
                ELSE
                    id := array_position(names, slot);
                    IF id IS NULL THEN
                        RAISE EXCEPTION 'abstracts.sql: unknown list {%} in: %', slot, line;
                    END IF;
                    ts := ts || id;
                END IF;
                j := j + 2;
            END LOOP;
            te := te || cardinality(tl);
            -- A list drawn twice in one template is flagged (+ 100000): its draws avoid repeats.
            ts := ts[1 : tb[cardinality(tb)] - 1] || ARRAY(
                SELECT CASE WHEN x > 0 AND count(*) OVER (PARTITION BY x) > 1 THEN x + 100000 ELSE x END
                FROM unnest(ts[tb[cardinality(tb)] :]) WITH ORDINALITY AS y(x, o)
                ORDER BY o);
        END LOOP;
        se[r.sec] := cardinality(tb);
        IF se[r.sec] < sb[r.sec] THEN
            RAISE EXCEPTION 'abstracts.sql: section % has no templates', r.sec;
        END IF;
    END LOOP;

    ---------------------------------------------------------------------------------------------
    -- The generator. @NAME@ markers are replaced by the arrays built above.
    ---------------------------------------------------------------------------------------------
    body := $body$
CREATE OR REPLACE FUNCTION pg_temp.gen_abstract(i bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
    w     text[]   := @W@::text[];
    off   int[]    := @OFF@::int[];
    cnt   int[]    := @CNT@::int[];
    lnn   float8[] := @LNN@::float8[];
    tl    text[]   := @TL@::text[];
    ts    int[]    := @TS@::int[];
    tb    int[]    := @TB@::int[];
    te    int[]    := @TE@::int[];
    sb    int[]    := @SB@::int[];
    se    int[]    := @SE@::int[];
    -- Sections to write, in this order: the first 4 always, the rest while they fit.
    plan  int[]    := '{1,4,5,6, 3,5,4,5,2,5,6,5,1,5,4,5,5,5,5,5,5,5,5,5,5}'::int[];
    base  bigint   := i * 8192;      -- draw k of abstract i hashes i * 8192 + k
    k     int      := 0;
    h     bigint;
    tgt   int;                       -- target length in words, 100..250
    step  int      := 0;
    sec   int;
    t     int;
    p     int;
    id    int;
    s     text;
    x     text;
    buf   text[]   := '{NULL,NULL,NULL,NULL,NULL,NULL,NULL}'::text[];  -- accepted text per section
    ws    int      := 0;             -- words so far (whitespace-separated tokens)
    al    int      := 0;             -- of which contain a letter or digit (not "=" or "<")
    wc    int;
    sym   int;
    fails int      := 0;
    usedt int[]    := '{}'::int[];   -- templates used so far
    usedw int[]    := '{}'::int[];   -- entries drawn by flagged slots of the current sentence
    try   int;
    yr    int      := 2010;
    a     int;
    b     int;
    v     float8;
BEGIN
    -- 100..254, capped at 250: aims a little high, since the text stops short of its target.
    tgt := least(250, 100 + ((hashint8extended(base, 42) & 65535) * 155 / 65536)::int);
    LOOP
        step := step + 1;
        IF step <= 25 THEN
            IF step > 4 AND (tgt - ws < 6 OR fails >= 5) THEN
                step := 25;
                CONTINUE;
            END IF;
            sec := plan[step];
        ELSIF al < 100 THEN
            sec := 7;
        ELSE
            EXIT;
        END IF;
        FOR try IN 1 .. 6 LOOP   -- a template not used yet, if one comes up
            k := k + 1;
            t := sb[sec] + ((hashint8extended(base + k, 42) & 65535) * (se[sec] - sb[sec] + 1) / 65536)::int;
            EXIT WHEN NOT t = ANY (usedt);
        END LOOP;
        s := '';
        sym := 0;
        usedw := '{}'::int[];
        FOR p IN tb[t] .. te[t] LOOP
            id := ts[p];
            IF id > 0 AND id < 100000 THEN
                k := k + 1;
                s := s || tl[p] || w[off[id] + least(cnt[id], floor(exp(
                         (hashint8extended(base + k, 42) & 4503599627370495)::float8 * 2.220446049250313e-16
                         * lnn[id]))::int)];
            ELSIF id > 0 THEN        -- flagged: not an entry already drawn in this sentence
                id := id - 100000;
                FOR try IN 1 .. 6 LOOP
                    k := k + 1;
                    a := off[id] + least(cnt[id], floor(exp(
                             (hashint8extended(base + k, 42) & 4503599627370495)::float8 * 2.220446049250313e-16
                             * lnn[id]))::int);
                    EXIT WHEN NOT a = ANY (usedw);
                END LOOP;
                usedw := usedw || a;
                s := s || tl[p] || w[a];
            ELSIF id = 0 THEN
                s := s || tl[p];
            ELSE
                k := k + 1;
                h := hashint8extended(base + k, 42);
                CASE id
                WHEN -1 THEN   -- pct: 4%..91%, a quarter with one decimal
                    a := 4 + ((h & 65535) * 88 / 65536)::int;
                    IF (h >> 16) & 3 = 0 THEN
                        x := a || '.' || (((h >> 18) & 15) % 10) || '%';
                    ELSE
                        x := a || '%';
                    END IF;
                WHEN -2 THEN   -- n: sample size 30..4,000, log-uniform
                    x := 'n = ' || to_char(round(exp(3.4 + (h & 65535)::float8 / 65536 * 4.9)), 'FM999,999');
                    sym := sym + 1;
                WHEN -3 THEN   -- num: a count 24..4,900, log-uniform
                    x := to_char(round(exp(3.2 + (h & 65535)::float8 / 65536 * 5.3)), 'FM999,999');
                WHEN -4 THEN   -- small: 3..40
                    x := (3 + (h & 65535) * 38 / 65536)::text;
                WHEN -5 THEN   -- year: 1998..2016
                    yr := 1998 + ((h & 65535) * 19 / 65536)::int;
                    x := yr::text;
                WHEN -6 THEN   -- year2: 3..8 years after the last year
                    yr := yr + 3 + ((h & 65535) * 6 / 65536)::int;
                    x := yr::text;
                WHEN -7 THEN   -- p
                    a := (h & 255)::int;
                    IF a < 100 THEN
                        x := 'p < 0.001';
                    ELSIF a < 150 THEN
                        x := 'p < 0.01';
                    ELSIF a < 190 THEN
                        x := 'p = 0.00' || (2 + ((h >> 8) & 7));
                    ELSE
                        x := 'p = 0.0' || (1 + ((h >> 8) & 3));
                    END IF;
                    sym := sym + 1;
                WHEN -8 THEN   -- ratio with a confidence interval above 1
                    v := 1.15 + power((h & 65535)::float8 / 65536, 2) * 3;
                    x := ('{aOR,aOR,aOR,OR,OR,RR,HR,IRR}'::text[])[1 + ((h >> 32) & 7)::int]
                         || ' ' || to_char(v, 'FM990.00') || ', 95% CI '
                         || to_char(1 + (v - 1) * (0.2 + ((h >> 16) & 255)::float8 / 255 * 0.6), 'FM990.00') || '-'
                         || to_char(v + (v - 1) * (0.3 + ((h >> 24) & 255)::float8 / 255), 'FM990.00');
                WHEN -9, -10 THEN   -- pctup / pctdown: "21% to 37%" / "37% to 21%"
                    a := 8 + ((h & 65535) * 50 / 65536)::int;
                    b := a + 5 + (((h >> 16) & 65535) * 35 / 65536)::int;
                    IF id = -9 THEN
                        x := a || '% to ' || b || '%';
                    ELSE
                        x := b || '% to ' || a || '%';
                    END IF;
                WHEN -11 THEN  -- likert: "3.1 to 3.9"
                    a := 20 + ((h & 65535) * 18 / 65536)::int;
                    b := a + 2 + (((h >> 16) & 65535) * 9 / 65536)::int;
                    x := (a / 10) || '.' || (a % 10) || ' to ' || (b / 10) || '.' || (b % 10);
                WHEN -12 THEN  -- yrs: 2..10
                    x := (2 + (h & 65535) * 9 / 65536)::text;
                WHEN -13 THEN  -- money: $150..$25,000
                    x := '$' || to_char(round(exp(5.0 + (h & 65535)::float8 / 65536 * 5.1) / 10) * 10, 'FM999,999');
                ELSE
                    x := '';
                END CASE;
                s := s || tl[p] || x;
            END IF;
        END LOOP;
        s := btrim(replace(replace(s, '  ', ' '), '  ', ' '));
        s := upper(left(s, 1)) || substr(s, 2);
        wc := length(s) - length(replace(s, ' ', '')) + 1;
        IF step <= 4 OR sec = 7 OR ws + wc <= tgt THEN
            buf[sec] := coalesce(buf[sec] || ' ', '') || s;
            usedt := usedt || t;
            ws := ws + wc;
            al := al + wc - sym;
        ELSE
            fails := fails + 1;
        END IF;
    END LOOP;
    -- "a" -> "an" before a vowel sound.
    RETURN regexp_replace(array_to_string(buf, ' '),
        '\m([Aa]) (?=[aeiAEI]|[oO](?!ne[- ])|[uU](?!ni|s[aeiu]|r[aeiou]|til|k|biq)|[FHLMNRSX][A-Z]|[hH]o(?:n|ur))',
        '\1n ', 'g');
END
$fn$
$body$;
    body := replace(body, '@W@', quote_literal(w::text));
    body := replace(body, '@OFF@', quote_literal(off::text));
    body := replace(body, '@CNT@', quote_literal(cnt::text));
    body := replace(body, '@LNN@', quote_literal(lnn::text));
    body := replace(body, '@TL@', quote_literal(tl::text));
    body := replace(body, '@TS@', quote_literal(ts::text));
    body := replace(body, '@TB@', quote_literal(tb::text));
    body := replace(body, '@TE@', quote_literal(te::text));
    body := replace(body, '@SB@', quote_literal(sb::text));
    body := replace(body, '@SE@', quote_literal(se::text));
    EXECUTE body;
END
$do$;
