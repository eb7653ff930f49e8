//! The demo partnership of product.md, with synthetic people only: IOP
//! Kvinna i Botkyrka, its organisations, three projects, a user per role in
//! several organisations, and participants whose Tillväxt Kvinna totals are
//! 267 enrolled, 247 ended and 42 ended to job or studies, with a lower
//! inflow in 2020, and a questionnaire on egenmakt and livsutrymme that
//! part of them answered at intake and at exit. After the seeds' period the
//! demo lives on (`current.rs`): the women still in Tillväxt Kvinna at its
//! end finish in the half year after it, and a project runs on the demo's
//! day relative to the clock. Seeding is deterministic (fixed-seed
//! generators) for a given day.

mod current;
mod employers;
mod palette;
mod questionnaires;
mod referrals;

pub use questionnaires::{egenmakt_instrument, EGENMAKT};

use crate::secret::hash_password_async;
use crate::{App, Result};
use jiff::civil::{date, Date};
use jiff::ToSpan;
use palett_domain::indicators::Indicator;
use palett_domain::lifecycle::{ExitOutcome, LifecycleState, Status, Transition, TransitionKind};
use palett_domain::model::{ParticipantProfile, RoleGrant};
use palett_domain::policy::Role;
use palett_domain::values::{
    EducationLevel, Gender, IdentityKind, OrganisationKind, ReferralSource, SwedishLevel,
};
use palett_store::participant::NewEvent;
use palett_store::{auth, org, participant, project, AnyConnection};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "palett-demo-2026";

/// The demo participants with portal access: (login name, language).
/// They sign in at /portal with [`DEMO_PASSWORD`]; two women taking part
/// in the project running on the demo's day (Salma Idris and Sahra Guled).
pub const DEMO_PORTAL: &[(&str, &str)] = &[("DEMOAR", "ar"), ("DEMOSO", "so")];

/// The demo accounts: (e-mail, name, organisation index, roles).
pub const DEMO_USERS: &[(&str, &str, usize, &[Role])] = &[
    (
        "admin@helamanniskan.example",
        "Alva Admin",
        0,
        &[Role::Administrator],
    ),
    (
        "samordnare@helamanniskan.example",
        "Sara Samordnare",
        0,
        &[Role::Coordinator],
    ),
    (
        "handledare@helamanniskan.example",
        "Hanna Handledare",
        0,
        &[Role::Caseworker],
    ),
    (
        "coach@botkyrka.example",
        "Kim Coach",
        1,
        &[Role::Caseworker],
    ),
    (
        "handlaggare@arbetsformedlingen.example",
        "Ali Handläggare",
        2,
        &[Role::Caseworker],
    ),
    (
        "larare@folkhogskola.example",
        "Lena Lärare",
        3,
        &[Role::Caseworker],
    ),
    (
        "cirkelledare@bilda.example",
        "Bo Cirkelledare",
        4,
        &[Role::Caseworker],
    ),
    (
        "forskare@samordningsforbund.example",
        "Eva Följeforskare",
        5,
        &[Role::Evaluator],
    ),
    (
        "samordnare@botkyrka.example",
        "Maja Samordnare",
        1,
        &[Role::Coordinator],
    ),
];

/// (name, kind, joined, left, responsibility areas)
type DemoOrganisation = (
    &'static str,
    OrganisationKind,
    Date,
    Option<Date>,
    &'static [&'static str],
);

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        // xorshift64*: small, fast and the same on every machine.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const GIVEN: &[&str] = &[
    "Amina", "Fatima", "Hodan", "Leyla", "Maryam", "Nasra", "Samira", "Zahra", "Hawa", "Aisha",
    "Dilan", "Rojin", "Shirin", "Elif", "Mariam", "Nour", "Rana", "Huda", "Asma", "Ayan", "Faduma",
    "Khadija", "Yasmin", "Zeynep", "Tigist", "Meron", "Selam", "Liliana", "Ana", "Parisa",
];
const FAMILY: &[&str] = &[
    "Abdi", "Ahmed", "Warsame", "Hassan", "Jama", "Yusuf", "Karimi", "Hosseini", "Rahimi", "Demir",
    "Yilmaz", "Kaya", "Haile", "Tesfaye", "Bekele", "Nazari", "Morales", "Popescu", "Haddou",
    "Osman", "Farah", "Aziz", "Said", "Mansour", "Darwish", "Gebre", "Kebede", "Sahin", "Celik",
    "Noori",
];
const ORIGINS: &[(&str, &str)] = &[
    ("Somalia", "somaliska"),
    ("Syrien", "arabiska"),
    ("Irak", "arabiska"),
    ("Eritrea", "tigrinja"),
    ("Afghanistan", "dari"),
    ("Turkiet", "turkiska"),
    ("Etiopien", "amhariska"),
    ("Iran", "persiska"),
    ("Marocko", "arabiska"),
    ("Bosnien och Hercegovina", "bosniska"),
];

/// Intakes per month in Tillväxt Kvinna, Nov 2018 – Oct 2021 (36 months):
/// a slow start, a steady 2019, the 2020 dip, a partial recovery. Sums to 267.
const TK_INTAKES: [i64; 36] = [
    5, 8, // 2018
    10, 11, 12, 11, 12, 10, 5, 11, 13, 12, 12, 7, // 2019
    9, 8, 4, 2, 2, 3, 2, 4, 5, 5, 4, 3, // 2020
    7, 8, 9, 9, 9, 7, 4, 8, 9, 7, // 2021
];

/// Outcomes of the 247 who ended: 42 to job or studies, the rest otherwise.
const TK_OUTCOMES: &[(ExitOutcome, usize)] = &[
    (ExitOutcome::EmploymentUnsubsidised, 13),
    (ExitOutcome::EmploymentSubsidised, 12),
    (ExitOutcome::OwnBusiness, 2),
    (ExitOutcome::Studies, 15),
    (ExitOutcome::JobSeeking, 71),
    (ExitOutcome::OtherProgramme, 38),
    (ExitOutcome::ParentalLeave, 21),
    (ExitOutcome::Sickness, 30),
    (ExitOutcome::Moved, 14),
    (ExitOutcome::NoContact, 19),
    (ExitOutcome::Other, 12),
];

/// Whether the demo is already in the database.
async fn seeded(c: &mut AnyConnection) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partnerships")
        .fetch_one(c)
        .await?;
    Ok(n > 0)
}

impl App {
    /// Seed the demo into an empty database; `false` when it was not empty.
    #[tracing::instrument(skip_all)]
    pub async fn seed_demo(&self) -> Result<bool> {
        let hash = hash_password_async(DEMO_PASSWORD.to_string()).await?;
        let now = self.now();
        let today = self.today();
        let mut tx = crate::work::bookkeeping(self).await?;
        if seeded(&mut tx).await? {
            return Ok(false);
        }
        let c: &mut AnyConnection = &mut tx;
        let pid = org::insert_partnership(
            c,
            "IOP Kvinna i Botkyrka",
            "Att främja utrikes födda kvinnors ökade möjligheter till ett livslångt arbetsliv och ökat livsutrymme.",
            date(2017, 1, 1),
            // The seeds' agreement ran to the end of 2021; the demo's
            // partnership went on, with a project running on the demo's day.
            None,
        )
        .await?;
        let orgs: &[DemoOrganisation] = &[
            (
                "Hela Människan",
                OrganisationKind::CivilSociety,
                date(2017, 1, 1),
                None,
                &[
                    "Arbetsträning i butikerna",
                    "Jobbmatchning",
                    "Projektledning Tillväxt Kvinna",
                ],
            ),
            (
                "Botkyrka kommun",
                OrganisationKind::Municipality,
                date(2017, 1, 1),
                None,
                &[
                    "Försörjningsstöd och arbetsmarknadsinsatser",
                    "Hälsofrämjande aktiviteter",
                ],
            ),
            (
                "Arbetsförmedlingen Huddinge Botkyrka Salem",
                OrganisationKind::StateAgency,
                date(2017, 1, 1),
                Some(date(2020, 6, 30)),
                &["Anvisning av deltagare", "Arbetsmarknadspolitiska program"],
            ),
            (
                "Botkyrka folkhögskola",
                OrganisationKind::AdultEducation,
                date(2017, 1, 1),
                None,
                &["Svenska i butik", "Svenska och matematik"],
            ),
            (
                "Studieförbundet Bilda Öst",
                OrganisationKind::StudyAssociation,
                date(2017, 1, 1),
                None,
                &["Studiecirklar", "Gruppträffar"],
            ),
            (
                "Samordningsförbundet Huddinge Botkyrka Salem",
                OrganisationKind::CoordinationAssociation,
                date(2018, 11, 1),
                Some(date(2021, 10, 31)),
                &["Finansiell samordning", "Följeforskning"],
            ),
        ];
        let mut org_ids = Vec::new();
        for (name, kind, joined, left, areas) in orgs {
            let id = org::insert_organisation(c, name, *kind, None, now).await?;
            let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
            org::insert_membership(c, pid, id, *joined, *left, &areas).await?;
            org_ids.push(id);
        }
        let tk = project::insert(
            c,
            pid,
            "Tillväxt Kvinna",
            "Tillväxtverket",
            date(2018, 11, 1),
            date(2021, 10, 31),
            Some(360),
            Some(20.0),
        )
        .await?;
        let sib = project::insert(
            c,
            pid,
            "Svenska i butik",
            "Botkyrka folkhögskola och Hela Människan",
            date(2020, 8, 17),
            date(2021, 6, 11),
            Some(20),
            None,
        )
        .await?;
        // The shared goals the partners agreed (målbild): the seeds' targets.
        let tk_period = palett_domain::indicators::Period {
            start: date(2018, 11, 1),
            end: date(2021, 10, 31),
        };
        for (project_id, indicator, target, period) in [
            (tk, Indicator::Enrolled, 360.0, tk_period),
            (tk, Indicator::InflowPerMonth, 10.0, tk_period),
            (tk, Indicator::ShareJobOrStudies, 20.0, tk_period),
            (
                sib,
                Indicator::Enrolled,
                20.0,
                palett_domain::indicators::Period {
                    start: date(2020, 8, 17),
                    end: date(2021, 6, 11),
                },
            ),
        ] {
            let goal = palett_domain::indicators::Goal {
                id: 0,
                project_id: Some(project_id),
                indicator,
                target,
                period,
            };
            palett_store::indicators::insert_goal(c, pid, &goal, None, now).await?;
        }
        let _kia = project::insert(
            c,
            pid,
            "Kvinna inför arbete",
            "Europeiska socialfonden (ESF), förstudie",
            date(2021, 9, 1),
            date(2022, 2, 28),
            None,
            None,
        )
        .await?;
        let mut user_ids = Vec::new();
        for (email, name, org_index, roles) in DEMO_USERS {
            let id = auth::insert_user(c, org_ids[*org_index], email, name, &hash, now).await?;
            for role in roles.iter() {
                auth::grant(
                    c,
                    &RoleGrant {
                        user_id: id,
                        partnership_id: pid,
                        role: *role,
                    },
                )
                .await?;
            }
            user_ids.push(id);
        }
        // Caseworkers by organisation index, for assignment.
        let caseworker_of = |org_index: usize| -> Option<i64> {
            DEMO_USERS
                .iter()
                .position(|(_, _, o, r)| *o == org_index && r.contains(&Role::Caseworker))
                .map(|i| user_ids[i])
        };
        let coordinator = user_ids[1];

        let mut rng = Rng(0x5EED_1B07_4B1A_2018);
        let mut outcomes: Vec<ExitOutcome> = TK_OUTCOMES
            .iter()
            .flat_map(|(o, n)| std::iter::repeat_n(*o, *n))
            .collect();
        // Deterministic shuffle so outcomes spread over the period.
        for i in (1..outcomes.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            outcomes.swap(i, j);
        }
        let mut intakes = Vec::new();
        for (m, n) in TK_INTAKES.iter().enumerate() {
            let month_start = date(2018, 11, 1)
                .checked_add((m as i64).months())
                .unwrap_or(date(2018, 11, 1));
            for _ in 0..*n {
                let day = 1 + rng.below(27) as i64;
                intakes.push(
                    month_start
                        .checked_add((day - 1).days())
                        .unwrap_or(month_start),
                );
            }
        }
        intakes.sort();
        let mut people = Vec::with_capacity(intakes.len());
        // The 20 latest intakes are still in the programme; the others ended.
        let ended_count = intakes.len() - 20;
        let project_end = date(2021, 10, 31);
        for (i, intake) in intakes.iter().enumerate() {
            let exit = if i < ended_count {
                let months = 4 + rng.below(15) as i64;
                let mut d = intake.checked_add(months.months()).unwrap_or(*intake);
                d = d.checked_add((rng.below(20) as i64).days()).unwrap_or(d);
                Some((d.min(project_end).min(today), outcomes[i]))
            } else {
                None
            };
            let org_index = *rng.pick(&[0usize, 0, 0, 1, 1, 2, 3]);
            let mut projects = vec![tk];
            if (date(2020, 8, 17)..=date(2021, 6, 11)).contains(intake) && rng.below(4) == 0 {
                projects.push(sib);
            }
            let (id, referred, source, language) = seed_participant(
                c,
                self.sealer(),
                &mut rng,
                pid,
                org_ids[org_index],
                caseworker_of(org_index),
                coordinator,
                *intake,
                exit,
                &projects,
                (today, now),
                None,
            )
            .await?;
            people.push(Person {
                id,
                organisation: org_ids[org_index],
                referred,
                source,
                intake: *intake,
                exit: exit.map(|e| e.0),
                outcome: exit.map(|e| e.1),
                in_sib: projects.contains(&sib),
                language,
            });
        }
        let mut consent_holders: Vec<(i64, i64, Date)> = people
            .iter()
            .map(|p| (p.id, p.organisation, p.intake))
            .collect();
        // Referrals from Botkyrka kommun waiting for intake, in no project
        // yet: sent during the three weeks before the demo's day (some
        // past their answer day, some not yet).
        let mut waiting = Vec::new();
        let three_weeks_ago = today.checked_sub(20.days()).unwrap_or(today);
        for _ in 0..6 {
            let referred = three_weeks_ago
                .checked_add((rng.below(20) as i64).days())
                .unwrap_or(three_weeks_ago);
            let id = seed_referral(
                c,
                self.sealer(),
                &mut rng,
                pid,
                org_ids[1],
                caseworker_of(1),
                coordinator,
                referred,
                now,
            )
            .await?;
            consent_holders.push((id, org_ids[1], referred));
            waiting.push((id, referred));
        }
        let staff = Staff {
            coordinator,
            language_teacher: caseworker_of(4),
            walk_leader: caseworker_of(1),
            school_teacher: caseworker_of(3),
            supervisor: caseworker_of(0),
        };
        palette::seed(c, pid, &org_ids, (tk, sib), &people, &staff, now).await?;
        let openings = employers::seed(c, pid, &org_ids, &staff, (today, now)).await?;
        employers::seed_sib_internships(c, pid, (&openings, &people), &staff, now).await?;
        seed_consents(c, &org_ids, &consent_holders, coordinator, now).await?;
        referrals::seed(c, pid, &org_ids, (&people, &waiting), &staff, now).await?;
        seed_follow_ups(c, &mut rng, &people, coordinator, now).await?;
        seed_self_assessments(c, &mut rng, &people, coordinator, now).await?;
        current::end_after_period(c, &mut people, coordinator, now).await?;
        let caseworkers: Vec<Option<i64>> = (0..org_ids.len()).map(caseworker_of).collect();
        let now_running = current::seed(
            c,
            self.sealer(),
            (pid, &org_ids, &caseworkers),
            &staff,
            (today, now),
        )
        .await?;
        let instrument =
            questionnaires::seed(c, pid, tk, &people, coordinator, (today, now)).await?;
        questionnaires::schedule_in(c, now_running.project, instrument, coordinator, now).await?;
        for ((login, lang), id) in DEMO_PORTAL.iter().zip(&now_running.portal) {
            palett_store::portal::ensure_account(c, *id, login, now).await?;
            palett_store::portal::replace_credentials(c, *id, Some(&hash)).await?;
            palett_store::portal::set_lang(c, *id, lang).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// Self-assessments: one a week after intake, and for most a second at
/// her exit (or half a year on, while she takes part); most rate
/// themselves higher the second time, more so those who went on to job or
/// studies.
async fn seed_self_assessments(
    c: &mut AnyConnection,
    rng: &mut Rng,
    people: &[Person],
    by: i64,
    now: i64,
) -> Result<()> {
    let aspects = palett_domain::selfassessment::Aspect::ALL.len();
    for p in people {
        let first_on = p.intake.checked_add(7.days()).unwrap_or(p.intake);
        let first: Vec<i16> = (0..aspects).map(|_| 1 + rng.below(3) as i16).collect();
        palett_store::selfassessment::insert(c, p.id, first_on, &first, Some(by), now).await?;
        let second_on = p
            .exit
            .unwrap_or_else(|| p.intake.checked_add(6.months()).unwrap_or(p.intake));
        if rng.below(10) < 2 || second_on <= first_on {
            continue;
        }
        let lift = if p.outcome.is_some_and(|o| o.is_job_or_studies()) {
            3
        } else {
            2
        };
        let second: Vec<i16> = first
            .iter()
            .map(|s| (s + rng.below(lift) as i16 - i16::from(rng.below(6) == 0)).clamp(1, 5))
            .collect();
        palett_store::selfassessment::insert(c, p.id, second_on, &second, Some(by), now).await?;
    }
    Ok(())
}

/// Follow-ups after exit: scheduled for everyone who ended; most of them
/// done, with a situation that fits how she left, the others closed as not
/// reached.
async fn seed_follow_ups(
    c: &mut AnyConnection,
    rng: &mut Rng,
    people: &[Person],
    by: i64,
    now: i64,
) -> Result<()> {
    use palett_domain::followup::{Employment, FollowUpRecord, IncomeSource, StudyStatus};
    for p in people {
        let (Some(exit), Some(outcome)) = (p.exit, p.outcome) else {
            continue;
        };
        palett_store::followup::schedule(c, p.id, exit).await?;
        for f in palett_store::followup::of_participant(c, p.id).await? {
            // One in five is never reached: tried a few days after it fell
            // due (the days taken from the follow-up's id, so that the
            // random draws stay those of the rest of the demo) and closed
            // as not reached; one not yet tried stays open.
            if rng.below(5) == 0 {
                let tried_on = f
                    .due_on
                    .checked_add((1 + f.id.rem_euclid(6)).days())
                    .unwrap_or(f.due_on);
                let today = jiff::Timestamp::from_second(now)
                    .map(|t| t.to_zoned(crate::clock::stockholm()).date())
                    .unwrap_or(f.due_on);
                if tried_on <= today {
                    let notes = [
                        "Ringt två gånger och skickat sms, inget svar.",
                        "Numret ur bruk; brev utan svar.",
                        "Sökt på telefon och via handläggare på Arbetsförmedlingen.",
                    ];
                    let mark = palett_domain::followup::NotReached {
                        tried_on,
                        note: usize::try_from(f.id.rem_euclid(4))
                            .ok()
                            .and_then(|i| notes.get(i))
                            .map(|n| n.to_string()),
                    };
                    palett_store::followup::mark_not_reached(c, p.id, f.id, &mark, by, now).await?;
                }
                continue;
            }
            let (employment, studies, income_source) = match outcome {
                ExitOutcome::EmploymentUnsubsidised => (
                    *rng.pick(&[Employment::FullTime, Employment::PartTime]),
                    StudyStatus::No,
                    IncomeSource::Salary,
                ),
                ExitOutcome::EmploymentSubsidised => (
                    Employment::Subsidised,
                    StudyStatus::No,
                    IncomeSource::Salary,
                ),
                ExitOutcome::OwnBusiness => (
                    Employment::OwnBusiness,
                    StudyStatus::No,
                    IncomeSource::Salary,
                ),
                ExitOutcome::Studies => {
                    (Employment::None, StudyStatus::Yes, IncomeSource::StudentAid)
                }
                ExitOutcome::ParentalLeave => (
                    Employment::None,
                    StudyStatus::No,
                    IncomeSource::ParentalBenefit,
                ),
                ExitOutcome::Sickness => (
                    Employment::None,
                    StudyStatus::No,
                    IncomeSource::SicknessBenefit,
                ),
                _ => (
                    *rng.pick(&[Employment::None, Employment::None, Employment::PartTime]),
                    *rng.pick(&[StudyStatus::No, StudyStatus::Unknown]),
                    *rng.pick(&[
                        IncomeSource::SocialAssistance,
                        IncomeSource::ActivitySupport,
                        IncomeSource::UnemploymentBenefit,
                        IncomeSource::Unknown,
                    ]),
                ),
            };
            let rec = FollowUpRecord {
                done_on: f
                    .due_on
                    .checked_add((rng.below(10) as i64).days())
                    .unwrap_or(f.due_on),
                employment,
                studies,
                income_source,
            };
            palett_store::followup::record(c, p.id, f.id, &rec, by, now).await?;
        }
    }
    Ok(())
}

/// Half agree that staff may present them to employers: every other woman
/// taken in (by her place in the demo's list).
pub(super) fn presents_to_employers(n: usize) -> bool {
    n.is_multiple_of(2)
}

/// Every participant consented to taking part, and to sharing with the
/// partners working with her; every seventh did not include Arbetsförmedlingen
/// (organisation index 2), most consented to the evaluation, a few later
/// withdrew that.
async fn seed_consents(
    c: &mut AnyConnection,
    org_ids: &[i64],
    people: &[(i64, i64, Date)],
    by: i64,
    now: i64,
) -> Result<()> {
    use palett_domain::consent::{ConsentKind, ConsentMethod, ConsentSpec};
    use palett_store::consent;
    for (n, &(id, organisation, given_on)) in people.iter().enumerate() {
        let base = ConsentSpec {
            kind: ConsentKind::Participation,
            method: ConsentMethod::SignedPaper,
            witness: None,
            given_on,
            expires_on: None,
            note: None,
            organisation_ids: Vec::new(),
        };
        consent::insert(c, id, &base, by, now).await?;
        let mut partners: Vec<i64> = org_ids
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 5)
            .map(|(_, id)| *id)
            .collect();
        if n % 7 == 3 {
            partners.retain(|o| *o != org_ids[2] || *o == organisation);
        }
        consent::insert(
            c,
            id,
            &ConsentSpec {
                kind: ConsentKind::Sharing,
                organisation_ids: partners,
                ..base.clone()
            },
            by,
            now,
        )
        .await?;
        // Synthetic notes: a shared follow-up, and one kept by Hela Människan.
        let at = given_on
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(now);
        // (Never dated after the demo's moment: a recent intake has none yet.)
        if n % 3 == 0 && at + 60 * 86_400 <= now {
            palett_store::note::insert(
                c,
                id,
                by,
                org_ids[0],
                "shared",
                "Uppföljningssamtal: trivs i gruppen och vill fortsätta med svenskan.",
                at + 30 * 86_400,
            )
            .await?;
            palett_store::note::insert(
                c,
                id,
                by,
                org_ids[0],
                "own_organisation",
                "Handledaren i butiken ser framsteg i kassan.",
                at + 60 * 86_400,
            )
            .await?;
        }
        if presents_to_employers(n) {
            consent::insert(
                c,
                id,
                &ConsentSpec {
                    kind: ConsentKind::EmployerContact,
                    ..base.clone()
                },
                by,
                now,
            )
            .await?;
        }
        if n % 5 != 0 {
            let research = consent::insert(
                c,
                id,
                &ConsentSpec {
                    kind: ConsentKind::Research,
                    method: ConsentMethod::Digital,
                    ..base.clone()
                },
                by,
                now,
            )
            .await?;
            if n % 23 == 0 {
                consent::withdraw(
                    c,
                    research,
                    Some(by),
                    Some("Vill inte delta i följeforskningen längre."),
                    now,
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// A demo participant as the palette seeding needs her.
pub(crate) struct Person {
    pub id: i64,
    /// The responsible organisation.
    pub organisation: i64,
    /// When and by whom she was referred.
    pub referred: Date,
    pub source: ReferralSource,
    pub intake: Date,
    pub exit: Option<Date>,
    pub outcome: Option<ExitOutcome>,
    pub in_sib: bool,
    /// Her first language as recorded (in Swedish: "arabiska" …).
    pub language: String,
}

/// Who runs what in the demo.
pub(crate) struct Staff {
    pub coordinator: i64,
    pub language_teacher: Option<i64>,
    pub walk_leader: Option<i64>,
    pub school_teacher: Option<i64>,
    pub supervisor: Option<i64>,
}

fn profile(
    rng: &mut Rng,
    organisation_id: i64,
    caseworker: Option<i64>,
    projects: &[i64],
    referred_on: Date,
) -> ParticipantProfile {
    let (country, language) = *rng.pick(ORIGINS);
    let age = 25 + rng.below(40) as i16;
    let birth = date(
        referred_on.year() - age,
        1 + rng.below(12) as i8,
        1 + rng.below(28) as i8,
    );
    let arrival = (birth.year() + 18 + rng.below(20) as i16).min(referred_on.year());
    ParticipantProfile {
        person: palett_domain::model::Person {
            given_name: rng.pick(GIVEN).to_string(),
            family_name: rng.pick(FAMILY).to_string(),
            identity_kind: IdentityKind::BirthDate,
            identity_number: None,
            birth_date: birth,
            gender: Gender::Woman,
            country_of_birth: Some(country.to_string()),
            arrival_year: Some(arrival),
            languages: vec![language.to_string()],
            interpreter_needed: rng.below(3) == 0,
            phone: None,
            email: None,
            address: None,
            education_level: *rng.pick(EducationLevel::ALL),
            swedish_level: *rng.pick(&[
                SwedishLevel::None,
                SwedishLevel::Beginner,
                SwedishLevel::Beginner,
                SwedishLevel::Intermediate,
            ]),
            referral_source: *rng.pick(&[
                ReferralSource::EmploymentService,
                ReferralSource::Municipality,
                ReferralSource::Municipality,
                ReferralSource::SelfReferral,
                ReferralSource::OtherPartner,
            ]),
            // Her situation at entry, derived from the referral date so the
            // demo's random draws stay as they were.
            entry: {
                use palett_domain::followup::{EntrySituation, IncomeSource, LabourStatus};
                let d = i64::from(referred_on.day());
                EntrySituation {
                    labour_status: [
                        LabourStatus::Unemployed,
                        LabourStatus::LongTermUnemployed,
                        LabourStatus::Inactive,
                        LabourStatus::LongTermUnemployed,
                        LabourStatus::Unknown,
                    ][(d % 5) as usize],
                    income_source: [
                        IncomeSource::SocialAssistance,
                        IncomeSource::ActivitySupport,
                        IncomeSource::SocialAssistance,
                        IncomeSource::NoIncome,
                        IncomeSource::Unknown,
                        IncomeSource::ParentalBenefit,
                    ][(d % 6) as usize],
                    months_on_support: (d % 4 != 3).then_some(3 + d * 2),
                }
            },
        },
        responsible_organisation_id: organisation_id,
        caseworker_ids: caseworker.into_iter().collect(),
        project_ids: projects.to_vec(),
        referred_on,
        intake_date: None,
        start_on: None,
        intake_consent: None,
        // A few have support needs or health notes on record (synthetic).
        restricted: palett_domain::model::Restricted {
            health_notes: (referred_on.day() % 9 == 0)
                .then(|| "Ryggbesvär – undvik tunga lyft i arbetsträningen.".to_string()),
            support_needs: (referred_on.day() % 7 == 0)
                .then(|| "Behöver tolk vid möten och en lugnare takt.".to_string()),
            protected_identity: false,
        },
    }
}

/// A demo woman whose name and first language are fixed (the portal's
/// demo accounts), the rest drawn as for everyone.
pub(crate) struct Named {
    pub given: &'static str,
    pub family: &'static str,
    pub country: &'static str,
    pub language: &'static str,
}

#[allow(clippy::too_many_arguments)]
async fn seed_participant(
    c: &mut AnyConnection,
    s: &dyn palett_store::sealing::Sealer,
    rng: &mut Rng,
    pid: i64,
    organisation_id: i64,
    caseworker: Option<i64>,
    actor: i64,
    intake: Date,
    exit: Option<(Date, ExitOutcome)>,
    projects: &[i64],
    (today, now): (Date, i64),
    named: Option<&Named>,
) -> Result<(i64, Date, ReferralSource, String)> {
    let referred = intake
        .checked_sub((7 + rng.below(30) as i64).days())
        .unwrap_or(intake);
    let mut p = profile(rng, organisation_id, caseworker, projects, referred);
    if let Some(n) = named {
        p.person.given_name = n.given.into();
        p.person.family_name = n.family.into();
        p.person.country_of_birth = Some(n.country.into());
        p.person.languages = vec![n.language.into()];
    }
    let source = p.person.referral_source;
    let language = p.person.languages.first().cloned().unwrap_or_default();
    let mut steps = vec![Transition::Intake { on: intake }];
    // Never after the demo's day (a recent intake starts at the latest today).
    let start = intake
        .checked_add((rng.below(10) as i64).days())
        .unwrap_or(intake)
        .min(today)
        .max(intake);
    steps.push(Transition::Start { on: start });
    let pause_on = start.checked_add(30.days()).unwrap_or(start);
    match exit {
        Some((on, outcome)) => steps.push(Transition::Exit {
            on: on.max(start),
            outcome,
        }),
        None if rng.below(4) == 0 && pause_on <= today => steps.push(Transition::Pause {
            on: pause_on,
            kind: palett_domain::palette::PauseKind::ParentalLeave,
            reason: "Föräldraledighet".into(),
        }),
        None => {}
    }
    let mut state = LifecycleState::referred(referred);
    // (transition, status before, state after); the referral has none.
    let mut events = vec![(None, None, state.clone())];
    for t in steps {
        let next = state.apply(&t, today)?;
        events.push((Some(t), Some(state.status), next.clone()));
        state = next;
    }
    let id = participant::insert(c, s, pid, &p, &state, now).await?;
    for (t, from, after) in &events {
        participant::insert_event(
            c,
            &NewEvent {
                participant_id: id,
                kind: t.as_ref().map_or(TransitionKind::Referral, |t| t.kind()),
                from_status: *from,
                to_status: after.status,
                on_date: t.as_ref().map_or(referred, |t| t.on()),
                reason: t.as_ref().and_then(|t| t.reason()),
                exit_outcome: after.exit_outcome,
                pause_kind: t.as_ref().and_then(|t| t.pause_kind()),
                actor_user_id: Some(actor),
            },
            now,
        )
        .await?;
    }
    Ok((id, referred, source, language))
}

#[allow(clippy::too_many_arguments)]
async fn seed_referral(
    c: &mut AnyConnection,
    s: &dyn palett_store::sealing::Sealer,
    rng: &mut Rng,
    pid: i64,
    organisation_id: i64,
    caseworker: Option<i64>,
    actor: i64,
    referred: Date,
    now: i64,
) -> Result<i64> {
    let p = profile(rng, organisation_id, caseworker, &[], referred);
    let state = LifecycleState::referred(referred);
    let id = participant::insert(c, s, pid, &p, &state, now).await?;
    participant::insert_event(
        c,
        &NewEvent {
            participant_id: id,
            kind: TransitionKind::Referral,
            from_status: None,
            to_status: Status::Referred,
            on_date: referred,
            reason: None,
            exit_outcome: None,
            pause_kind: None,
            actor_user_id: Some(actor),
        },
        now,
    )
    .await?;
    Ok(id)
}
