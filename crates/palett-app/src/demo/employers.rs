//! The demo's employer registry: synthetic employers in Botkyrka and
//! nearby (second-hand and retail shops, cleaning, care, restaurants, a
//! bakery), their contact people, contacts logged in 2019–2021 and their
//! openings, among them Svenska i butik's internships of spring 2021. Names,
//! people, telephone numbers (the range set aside for fiction) and
//! addresses are invented; the organisation numbers are made up with a
//! valid check digit.

use super::{Person, Staff};
use crate::Result;
use jiff::civil::{date, Date};
use jiff::ToSpan;
use palett_domain::employer::{
    ContactEntrySpec, ContactKind, ContactPersonSpec, EmployerSpec, Industry,
};
use palett_domain::occupations;
use palett_domain::opening::{EmploymentForm, OpeningKind, OpeningSpec, OpeningStatus};
use palett_domain::placement::PlacementSpec;
use palett_domain::values::{Email, OrgNumber, SwedishLevel};
use palett_store::employer as store;
use palett_store::AnyConnection;

/// Name, organisation number, industry, municipality, address, owner (index
/// into the demo's organisations), inactive since.
type DemoEmployer = (
    &'static str,
    &'static str,
    Industry,
    &'static str,
    &'static str,
    usize,
    Option<Date>,
);

const EMPLOYERS: &[DemoEmployer] = &[
    (
        "Återbruket i Alby AB",
        "559900-1012",
        Industry::G,
        "Botkyrka",
        "Albyvägen 10",
        0,
        None,
    ),
    (
        "Tumba Livs AB",
        "559900-2028",
        Industry::G,
        "Botkyrka",
        "Tumba torg 3",
        3,
        None,
    ),
    (
        "Fittja Städservice AB",
        "559900-3034",
        Industry::N,
        "Botkyrka",
        "Fittja gård 2",
        1,
        None,
    ),
    (
        "Omsorgshuset Hallunda AB",
        "559900-4040",
        Industry::Q,
        "Botkyrka",
        "Hallundavägen 40",
        1,
        None,
    ),
    (
        "Norsborgs Kök AB",
        "559900-5054",
        Industry::I,
        "Botkyrka",
        "Norsborgs centrum 5",
        0,
        None,
    ),
    (
        "Huddinge Hemtjänst AB",
        "559900-6060",
        Industry::Q,
        "Huddinge",
        "Storängsvägen 8",
        2,
        None,
    ),
    (
        "Salems Bageri AB",
        "559900-7076",
        Industry::C,
        "Salem",
        "Salems centrum 1",
        0,
        Some(date(2021, 3, 1)),
    ),
    (
        "Skärholmens Klädbutik AB",
        "559900-8082",
        Industry::G,
        "Stockholm",
        "Skärholmstorget 4",
        3,
        None,
    ),
];

/// Employer (index), name, title, telephone, e-mail.
const CONTACTS: &[(usize, &str, &str, &str, &str)] = &[
    (
        0,
        "Leila Exempelsson",
        "Butiksansvarig",
        "070-174 06 05",
        "leila@aterbruket.example",
    ),
    (
        1,
        "Jonas Provsson",
        "Butikschef",
        "070-174 06 06",
        "jonas@tumbalivs.example",
    ),
    (
        1,
        "Sara Testberg",
        "Personalansvarig",
        "070-174 06 07",
        "sara@tumbalivs.example",
    ),
    (
        2,
        "Ahmed Demoson",
        "Arbetsledare",
        "070-174 06 08",
        "ahmed@fittjastad.example",
    ),
    (
        3,
        "Eva Fiktiv",
        "Enhetschef",
        "070-174 06 09",
        "eva@omsorgshuset.example",
    ),
    (
        4,
        "Nadia Påhittad",
        "Kökschef",
        "070-174 06 10",
        "nadia@norsborgskok.example",
    ),
    (
        5,
        "Karin Låtsas",
        "Rekryterare",
        "070-174 06 11",
        "karin@hemtjanst.example",
    ),
    (
        7,
        "Maria Exempel",
        "Butikschef",
        "070-174 06 12",
        "maria@klader.example",
    ),
];

/// Employer (index), kind, day, contact (index into CONTACTS), what was
/// agreed.
type DemoContact = (
    usize,
    ContactKind,
    (i16, i8, i8),
    Option<usize>,
    &'static str,
);

const LOG: &[DemoContact] = &[
    (
        0,
        ContactKind::Visit,
        (2019, 3, 12),
        Some(0),
        "Studiebesök med en grupp. Butiken tar emot två för arbetsträning i sortering och kassa.",
    ),
    (
        1,
        ContactKind::Meeting,
        (2020, 9, 8),
        Some(1),
        "Svenska i butik: praktik i fem veckor under våren, med handledare i varje butik.",
    ),
    (
        1,
        ContactKind::Agreement,
        (2021, 3, 22),
        Some(2),
        "Avtal om fyra praktikplatser 2021-04-12 – 2021-05-14, 25 timmar i veckan.",
    ),
    (
        7,
        ContactKind::Agreement,
        (2021, 3, 24),
        Some(7),
        "Avtal om två praktikplatser under Svenska i butiks praktikperiod.",
    ),
    (
        2,
        ContactKind::Call,
        (2020, 11, 17),
        Some(3),
        "Behöver personal till kvällsstädning; körkort behövs inte.",
    ),
    (
        3,
        ContactKind::Meeting,
        (2021, 2, 3),
        Some(4),
        "Undersköterskeutbildning först; extratjänst möjlig efter introduktion.",
    ),
    (
        4,
        ContactKind::Visit,
        (2021, 5, 20),
        Some(5),
        "Tar emot en för arbetsträning i köket, lunchtid.",
    ),
    (
        5,
        ContactKind::Call,
        (2020, 1, 14),
        Some(6),
        "Rekryterar till hemtjänsten; svenska på mellannivå krävs.",
    ),
    (
        6,
        ContactKind::Call,
        (2021, 2, 26),
        None,
        "Bageriet stänger i mars; inga fler platser.",
    ),
];

/// Employer (index), kind, employment form, title, SSYK, places, period,
/// hours a week, Swedish asked for, status, responsible (index into the
/// demo's organisations).
type DemoOpening = (
    usize,
    OpeningKind,
    Option<EmploymentForm>,
    &'static str,
    &'static str,
    i64,
    Option<((i16, i8, i8), (i16, i8, i8))>,
    Option<i64>,
    Option<SwedishLevel>,
    OpeningStatus,
    usize,
);

const OPENINGS: &[DemoOpening] = &[
    // Svenska i butik's five-week internships, spring 2021.
    (
        1,
        OpeningKind::Internship,
        None,
        "Praktik i butik, Svenska i butik",
        "5222",
        4,
        Some(((2021, 4, 12), (2021, 5, 14))),
        Some(25),
        Some(SwedishLevel::Beginner),
        OpeningStatus::Filled,
        3,
    ),
    (
        7,
        OpeningKind::Internship,
        None,
        "Praktik i klädbutik, Svenska i butik",
        "5223",
        2,
        Some(((2021, 4, 12), (2021, 5, 14))),
        Some(25),
        Some(SwedishLevel::Beginner),
        OpeningStatus::Filled,
        3,
    ),
    (
        0,
        OpeningKind::WorkTraining,
        None,
        "Arbetsträning i sortering och kassa",
        "9629",
        3,
        None,
        Some(20),
        None,
        OpeningStatus::Open,
        0,
    ),
    (
        4,
        OpeningKind::WorkTraining,
        None,
        "Arbetsträning i köket",
        "9412",
        1,
        Some(((2021, 6, 1), (2021, 8, 31))),
        Some(15),
        None,
        OpeningStatus::Closed,
        0,
    ),
    (
        3,
        OpeningKind::Job,
        Some(EmploymentForm::ExtraJob),
        "Extratjänst som vårdbiträde",
        "5330",
        2,
        Some(((2021, 9, 1), (2022, 8, 31))),
        Some(30),
        Some(SwedishLevel::Intermediate),
        OpeningStatus::Open,
        1,
    ),
    (
        2,
        OpeningKind::Job,
        Some(EmploymentForm::Nystartsjobb),
        "Lokalvårdare, kvällar",
        "9111",
        2,
        None,
        Some(20),
        Some(SwedishLevel::Beginner),
        OpeningStatus::Open,
        1,
    ),
    (
        5,
        OpeningKind::StudyVisit,
        None,
        "Studiebesök i hemtjänsten",
        "5321",
        10,
        Some(((2020, 2, 18), (2020, 2, 18))),
        None,
        None,
        OpeningStatus::Closed,
        2,
    ),
    // The jobs Tumba Livs offered two of the spring 2021 interns.
    (
        1,
        OpeningKind::Job,
        Some(EmploymentForm::Introduktionsjobb),
        "Butikssäljare, introduktionsjobb",
        "5222",
        2,
        Some(((2021, 6, 1), (2021, 12, 31))),
        Some(30),
        Some(SwedishLevel::Beginner),
        OpeningStatus::Filled,
        0,
    ),
];

/// Where in [`OPENINGS`] Svenska i butik's two internship openings and
/// Tumba Livs' jobs after them are.
const SIB_INTERNSHIPS: [usize; 2] = [0, 1];
const SIB_JOBS: usize = OPENINGS.len() - 1;

/// Register the demo's employers, their contacts, contact log and openings.
pub(crate) async fn seed(
    c: &mut AnyConnection,
    partnership_id: i64,
    org_ids: &[i64],
    staff: &Staff,
    (today, now): (Date, i64),
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(EMPLOYERS.len());
    for (name, number, industry, municipality, address, owner, inactive) in EMPLOYERS {
        let spec = EmployerSpec {
            name: name.to_string(),
            org_number: OrgNumber::parse(number).expect("a valid demo organisation number"),
            industry: *industry,
            municipality: municipality.to_string(),
            address: Some(address.to_string()),
            owner_organisation_id: org_ids[*owner],
        };
        let id = store::insert(c, partnership_id, &spec, now).await?;
        if inactive.is_some() {
            store::set_inactive_since(c, partnership_id, id, *inactive).await?;
        }
        ids.push(id);
    }
    let mut contact_ids = Vec::with_capacity(CONTACTS.len());
    for (employer, name, title, phone, email) in CONTACTS {
        let spec = ContactPersonSpec {
            name: name.to_string(),
            title: Some(title.to_string()),
            phone: Some(phone.to_string()),
            email: Some(Email::parse(email).expect("a valid demo address")),
        };
        contact_ids.push(store::insert_contact(c, ids[*employer], &spec).await?);
    }
    for (i, (employer, kind, (y, m, d), contact, summary)) in LOG.iter().enumerate() {
        let spec = ContactEntrySpec {
            kind: *kind,
            on: date(*y, *m, *d),
            contact_person_id: contact.map(|k| contact_ids[k]),
            summary: summary.to_string(),
        };
        // Logged by the supervisor at Hela Människan or the coordinator.
        let by = if i % 2 == 0 {
            staff.supervisor.unwrap_or(staff.coordinator)
        } else {
            staff.coordinator
        };
        store::insert_log(c, ids[*employer], &spec, Some(by), now).await?;
    }
    let mut opening_ids = Vec::with_capacity(OPENINGS.len());
    for (employer, kind, form, title, ssyk, places, period, hours, swedish, status, responsible) in
        OPENINGS
    {
        let spec = OpeningSpec {
            kind: *kind,
            employment_form: *form,
            title: title.to_string(),
            occupation: occupations::group(ssyk).expect("a demo occupation in the catalogue"),
            places: *places,
            start_date: period.map(|((y, m, d), _)| date(y, m, d)),
            end_date: period.map(|(_, (y, m, d))| date(y, m, d)),
            minutes_per_week: hours.map(|h| h * 60),
            swedish_level: *swedish,
            driving_licence: false,
            physical_demands: None,
            working_hours: None,
            place: None,
            description: None,
            responsible_organisation_id: org_ids[*responsible],
        };
        let id =
            palett_store::opening::insert(c, partnership_id, ids[*employer], &spec, now).await?;
        if *status != OpeningStatus::Open {
            // A filled opening was filled the day it started (or today).
            let on = spec.start_date.unwrap_or(today);
            palett_store::opening::set_status(c, partnership_id, id, *status, on).await?;
        }
        opening_ids.push(id);
    }
    Ok(opening_ids)
}

/// Svenska i butik's external internships, 12 April – 14 May 2021: the
/// first four places (the first opening) and two more (the second), taken
/// by women of the course who had agreed to be presented to employers
/// ([`super::presents_to_employers`]) and who took part all five weeks, those who went on to a
/// job first. Each has her pipeline, a mid-way and a final review, and a
/// result; those who went on to a job (two) were offered one at Tumba
/// Livs from 1 June, a job placement through job matching (with its final
/// review at its end), and their exit to employment names the internship
/// that led there. No hours are
/// recorded, so the demo's totals stay as the seeds give them.
pub(crate) async fn seed_sib_internships(
    c: &mut AnyConnection,
    partnership_id: i64,
    (openings, people): (&[i64], &[Person]),
    staff: &Staff,
    now: i64,
) -> Result<()> {
    use palett_domain::placement::{PlacementResult, Review, ReviewKind};
    let (start, end) = (date(2021, 4, 12), date(2021, 5, 14));
    let interventions = palett_store::palette::interventions(c, partnership_id, true).await?;
    let named = |name: &str| interventions.iter().find(|i| i.name == name).map(|i| i.id);
    let (Some(module), Some(matching)) = (named(SIB_INTERNSHIP_MODULE), named(JOB_MATCHING)) else {
        return Ok(());
    };
    let mut interns: Vec<&Person> = people
        .iter()
        .enumerate()
        .filter(|(n, p)| {
            super::presents_to_employers(*n)
                && p.in_sib
                && p.intake <= start
                && p.exit.is_none_or(|e| e > end)
        })
        .map(|(_, p)| p)
        .collect();
    let to_job = |p: &Person| p.outcome.is_some_and(|o| o.is_job());
    interns.sort_by_key(|p| (!to_job(p), p.exit, p.id));
    let by = staff.supervisor.unwrap_or(staff.coordinator);
    for (n, p) in interns.iter().take(6).enumerate() {
        let opening = openings[SIB_INTERNSHIPS[usize::from(n >= 4)]];
        let spec = PlacementSpec {
            intervention_id: module,
            supervisor_id: None,
            start_date: start,
            end_date: end,
            minutes_per_week: Some(25 * 60),
        };
        let placement = placed(
            c,
            (partnership_id, opening, p.id),
            date(2021, 3, 15),
            &spec,
            (staff.coordinator, now),
        )
        .await?;
        let job = to_job(p);
        for (kind, on, readiness) in [
            (ReviewKind::Midway, date(2021, 4, 26), 3),
            (ReviewKind::Final, end, if job { 5 } else { 3 }),
        ] {
            let review = Review {
                kind,
                on,
                attendance: 4,
                tasks: 4,
                swedish: 3,
                readiness,
                comment: None,
                by: None,
            };
            palett_store::placement::insert_review(c, placement, &review, by, now).await?;
        }
        let result = if job {
            PlacementResult::JobOffer
        } else {
            PlacementResult::Ended
        };
        palett_store::placement::set_result(c, placement, result, end).await?;
        if job {
            let jobs = PlacementSpec {
                intervention_id: matching,
                supervisor_id: None,
                start_date: date(2021, 6, 1),
                end_date: p
                    .exit
                    .unwrap_or(date(2021, 12, 31))
                    .clamp(date(2021, 6, 1), date(2021, 12, 31)),
                minutes_per_week: Some(30 * 60),
            };
            let at = (partnership_id, openings[SIB_JOBS], p.id);
            let job_placement =
                placed(c, at, date(2021, 5, 10), &jobs, (staff.coordinator, now)).await?;
            // Its final review with the employer at its end (no placement
            // of the seeds' years waits for one on the demo's day).
            let review = Review {
                kind: ReviewKind::Final,
                on: jobs.end_date,
                attendance: 5,
                tasks: 4,
                swedish: 3,
                readiness: 5,
                comment: None,
                by: None,
            };
            palett_store::placement::insert_review(c, job_placement, &review, by, now).await?;
            let employer = palett_store::opening::by_id(c, partnership_id, opening)
                .await?
                .map(|o| o.employer_id);
            let to = palett_domain::lifecycle::ExitDestination {
                employer_id: employer,
                placement_id: Some(placement),
                school: None,
            };
            palett_store::participant::set_exit_destination(c, p.id, &to).await?;
        }
    }
    Ok(())
}

/// The palette's module of Svenska i butik that the internships serve, and
/// the job matching the jobs after them came through.
const SIB_INTERNSHIP_MODULE: &str = "Extern butikspraktik, fem veckor";
const JOB_MATCHING: &str = "Jobbmatchning";

/// A pipeline proposed on `proposed` and, a week apart, agreed, presented
/// and placed, and the placement it led to; its id.
async fn placed(
    c: &mut AnyConnection,
    (partnership_id, opening, participant): (i64, i64, i64),
    proposed: Date,
    spec: &PlacementSpec,
    (by, now): (i64, i64),
) -> Result<i64> {
    use palett_domain::proposal::{NewStep, Stage};
    let proposal =
        palett_store::proposal::insert(c, partnership_id, opening, participant, proposed, by, now)
            .await?;
    for (weeks, stage) in [
        (1, Stage::Agreed),
        (2, Stage::Presented),
        (3, Stage::Placed),
    ] {
        let step = NewStep {
            stage,
            on: proposed.checked_add((7 * weeks).days()).unwrap_or(proposed),
            reason: None,
            note: None,
        };
        palett_store::proposal::add_step(c, proposal, &step, by, now).await?;
    }
    Ok(
        palett_store::placement::insert(c, partnership_id, proposal, participant, spec, by, now)
            .await?,
    )
}
