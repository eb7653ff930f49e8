//! The demo's questionnaire: "Egenmakt och livsutrymme", an instrument
//! written for palett (not a published scale) in Swedish, English, Arabic
//! and Somali, scheduled in Tillväxt Kvinna at intake, at exit and half a
//! year after exit, and answered by part of the demo women at intake and,
//! for most of those who ended, again at exit, most of them a little
//! higher the second time. All answers are synthetic.

use super::{Person, Rng};
use crate::{AppError, Result};
use jiff::civil::Date;
use jiff::ToSpan;
use palett_domain::instrument::{
    Answers, Choice, Instrument, Item, ItemKind, Labels, Method, Score, Section, Term,
};
use palett_domain::lifecycle::ExitOutcome;
use palett_store::questionnaire::{self as store, NewResponse, ScheduleRow};
use palett_store::AnyConnection;

/// The instrument's name (its `form_id`).
pub const EGENMAKT: &str = "egenmakt";

/// The languages of the instrument, the default first.
pub const LANGUAGES: [&str; 4] = ["sv", "en", "ar", "so"];

/// The empowerment items, and whether each is worded negatively (and so
/// reversed in the score).
const EGENMAKT_ITEMS: [(&str, bool); 4] = [
    ("decide_own", false),
    ("skills_count", false),
    ("others_decide", true),
    ("reach_goal", false),
];

/// The room-for-manoeuvre items.
const LIVSUTRYMME_ITEMS: [&str; 3] = ["move_freely", "own_time", "meet_people"];

/// Text in the instrument's four languages.
fn t(sv: &str, en: &str, ar: &str, so: &str) -> Labels {
    Labels::one("sv", sv)
        .with("en", en)
        .with("ar", ar)
        .with("so", so)
}

fn choice(value: &str, label: Labels) -> Choice {
    Choice {
        value: value.to_string(),
        label,
    }
}

fn item(name: &str, label: Labels, hint: Labels, kind: ItemKind, required: bool) -> Item {
    Item {
        name: name.to_string(),
        label,
        hint,
        kind,
        required,
        relevant: None,
    }
}

/// A 1..5 agreement scale, every step labelled.
fn agreement() -> ItemKind {
    let steps = [
        t(
            "Stämmer inte alls",
            "Not at all true",
            "لا ينطبق أبدًا",
            "Haba yaraatee sax maaha",
        ),
        t(
            "Stämmer lite",
            "A little true",
            "ينطبق قليلًا",
            "Wax yar ayaa sax ah",
        ),
        t(
            "Stämmer delvis",
            "Partly true",
            "ينطبق إلى حد ما",
            "Qayb ahaan waa sax",
        ),
        t(
            "Stämmer ganska bra",
            "Mostly true",
            "ينطبق في الغالب",
            "Inta badan waa sax",
        ),
        t(
            "Stämmer helt",
            "Completely true",
            "ينطبق تمامًا",
            "Gebi ahaanba waa sax",
        ),
    ];
    ItemKind::Scale {
        min: 1,
        max: 5,
        choices: steps
            .into_iter()
            .enumerate()
            .map(|(k, label)| choice(&(k + 1).to_string(), label))
            .collect(),
    }
}

/// The hint on the first statement of each part.
fn pick_one_hint() -> Labels {
    t(
        "Välj det svar som passar dig bäst just nu.",
        "Choose the answer that fits you best right now.",
        "اختاري الإجابة التي تناسبك أكثر الآن.",
        "Dooro jawaabta sida ugu fiican kuugu habboon hadda.",
    )
}

/// "Egenmakt och livsutrymme": written for palett, not a published scale.
/// Two parts of statements on a 1..5 scale (empowerment, one statement
/// worded negatively; room for manoeuvre), then a part about her: paid
/// work (with hours a week when she works), where she gets support, and
/// an optional line in her own words. Scores: the mean of each part.
pub fn egenmakt_instrument() -> Instrument {
    let none = Labels::default;
    let egenmakt = Section {
        name: "del_egenmakt".into(),
        label: t(
            "Egenmakt",
            "Empowerment",
            "التمكين",
            "Awoodda aad noloshaada ku leedahay",
        ),
        items: vec![
            item(
                "decide_own",
                t(
                    "Jag bestämmer själv över sådant som är viktigt i mitt liv.",
                    "I decide for myself about things that are important in my life.",
                    "أقرر بنفسي في الأمور المهمة في حياتي.",
                    "Anigu ayaa go'aansada waxyaabaha muhiimka u ah noloshayda.",
                ),
                pick_one_hint(),
                agreement(),
                true,
            ),
            item(
                "skills_count",
                t(
                    "Det jag kan blir taget på allvar.",
                    "What I know and can do is taken seriously.",
                    "ما أعرفه وما أستطيع فعله يؤخذ بجدية.",
                    "Waxa aan aqaan iyo waxa aan qaban karo si dhab ah ayaa loo qaataa.",
                ),
                none(),
                agreement(),
                true,
            ),
            item(
                "others_decide",
                t(
                    "Andra bestämmer ofta åt mig.",
                    "Other people often decide for me.",
                    "غالبًا ما يقرر الآخرون بدلًا عني.",
                    "Dad kale ayaa badanaa ii go'aamiya.",
                ),
                none(),
                agreement(),
                true,
            ),
            item(
                "reach_goal",
                t(
                    "Jag tror att jag kan nå mitt mål för arbete eller studier.",
                    "I believe I can reach my goal for work or studies.",
                    "أؤمن أنني أستطيع الوصول إلى هدفي في العمل أو الدراسة.",
                    "Waxaan rumeysanahay inaan gaari karo yoolkayga shaqo ama waxbarasho.",
                ),
                none(),
                agreement(),
                true,
            ),
        ],
    };
    let livsutrymme = Section {
        name: "del_livsutrymme".into(),
        label: t(
            "Livsutrymme",
            "Room for manoeuvre",
            "الحرية في الحياة اليومية",
            "Xorriyadda nolol maalmeedka",
        ),
        items: vec![
            item(
                "move_freely",
                t(
                    "Jag kan ta mig på egen hand dit jag vill.",
                    "I can get where I want to go on my own.",
                    "أستطيع أن أذهب بمفردي إلى حيث أريد.",
                    "Kaligay ayaan u tagi karaa meesha aan rabo.",
                ),
                pick_one_hint(),
                agreement(),
                true,
            ),
            item(
                "own_time",
                t(
                    "Jag har tid för sådant som jag själv vill göra.",
                    "I have time for things I want to do for myself.",
                    "لدي وقت لأشياء أريد أن أفعلها لنفسي.",
                    "Waxaan haystaa waqti aan ku sameeyo waxyaabo aan anigu rabo.",
                ),
                none(),
                agreement(),
                true,
            ),
            item(
                "meet_people",
                t(
                    "Jag träffar människor utanför min familj.",
                    "I meet people outside my family.",
                    "ألتقي بأشخاص من خارج عائلتي.",
                    "Waxaan la kulmaa dad ka baxsan qoyskayga.",
                ),
                none(),
                agreement(),
                true,
            ),
        ],
    };
    let about = Section {
        name: "om_dig".into(),
        label: t("Om dig", "About you", "عنكِ", "Wax adiga kugu saabsan"),
        items: vec![
            item(
                "work",
                t(
                    "Har du ett arbete med lön just nu?",
                    "Do you have paid work right now?",
                    "هل لديك عمل بأجر الآن؟",
                    "Ma haysaa shaqo mushahar leh hadda?",
                ),
                none(),
                ItemKind::Single {
                    choices: vec![
                        choice("yes", t("Ja", "Yes", "نعم", "Haa")),
                        choice(
                            "partly",
                            t(
                                "Delvis, några timmar ibland",
                                "Partly, a few hours now and then",
                                "جزئيًا، بعض الساعات أحيانًا",
                                "Qayb ahaan, saacado yar mararka qaar",
                            ),
                        ),
                        choice("no", t("Nej", "No", "لا", "Maya")),
                    ],
                },
                true,
            ),
            Item {
                relevant: Some("${work} = 'yes' or ${work} = 'partly'".into()),
                ..item(
                    "hours",
                    t(
                        "Hur många timmar i veckan arbetar du?",
                        "How many hours a week do you work?",
                        "كم ساعة تعملين في الأسبوع؟",
                        "Immisa saacadood ayaad shaqeysaa toddobaadkii?",
                    ),
                    t(
                        "Ungefär, en vanlig vecka.",
                        "Roughly, in an ordinary week.",
                        "تقريبًا، في أسبوع عادي.",
                        "Qiyaas ahaan, toddobaad caadi ah.",
                    ),
                    ItemKind::Number {
                        decimal: false,
                        min: Some(0),
                        max: Some(60),
                    },
                    false,
                )
            },
            item(
                "support",
                t(
                    "Var får du stöd när du behöver det?",
                    "Where do you get support when you need it?",
                    "من أين تحصلين على الدعم عندما تحتاجين إليه؟",
                    "Halkee ayaad ka heshaa taageero marka aad u baahato?",
                ),
                t(
                    "Välj alla som passar.",
                    "Choose all that apply.",
                    "اختاري كل ما ينطبق.",
                    "Dooro dhammaan kuwa ku habboon.",
                ),
                ItemKind::Multiple {
                    choices: vec![
                        choice("family", t("Familjen", "Family", "العائلة", "Qoyska")),
                        choice("friends", t("Vänner", "Friends", "الأصدقاء", "Saaxiibada")),
                        choice(
                            "association",
                            t("En förening", "An association", "جمعية", "Urur bulsho"),
                        ),
                        choice(
                            "authorities",
                            t(
                                "Myndigheter, till exempel kommunen",
                                "Public authorities, for example the municipality",
                                "جهات رسمية، مثل البلدية",
                                "Hay'adaha dowladda, tusaale ahaan degmada",
                            ),
                        ),
                        choice(
                            "none",
                            t(
                                "Jag får inget stöd",
                                "I get no support",
                                "لا أحصل على دعم",
                                "Taageero ma helo",
                            ),
                        ),
                    ],
                },
                true,
            ),
            item(
                "own_words",
                t(
                    "Vill du säga något mer med egna ord?",
                    "Would you like to say anything more in your own words?",
                    "هل تريدين أن تقولي شيئًا آخر بكلماتك؟",
                    "Ma jiraa wax kale oo aad rabto inaad ku sheegto erayadaada?",
                ),
                t(
                    "Du behöver inte svara.",
                    "You do not have to answer.",
                    "الإجابة ليست إلزامية.",
                    "Looma baahna inaad ka jawaabto.",
                ),
                ItemKind::Text,
                false,
            ),
        ],
    };
    Instrument {
        name: EGENMAKT.into(),
        title: t(
            "Egenmakt och livsutrymme",
            "Empowerment and room for manoeuvre",
            "التمكين والحرية في الحياة اليومية",
            "Awoodda iyo xorriyadda nolosha",
        ),
        description: t(
            "Skriven för palett, inte en publicerad skala. Frågor om egenmakt och livsutrymme, \
             vid inskrivning och vid avslut.",
            "Written for palett; not a published scale. Questions about empowerment and room \
             for manoeuvre, at intake and at exit.",
            "كُتب من أجل palett، وهو ليس مقياسًا منشورًا. أسئلة عن التمكين والحرية في الحياة \
             اليومية، عند التسجيل وعند الانتهاء.",
            "Waxaa loo qoray palett, ma aha cabbir la daabacay. Su'aalo ku saabsan awoodda iyo \
             xorriyadda nolosha, marka aad bilowdo iyo marka aad dhammeyso.",
        ),
        languages: LANGUAGES.iter().map(|l| l.to_string()).collect(),
        sections: vec![egenmakt, livsutrymme, about],
        scores: vec![
            Score {
                name: "egenmakt".into(),
                label: t("Egenmakt", "Empowerment", "التمكين", "Awoodda"),
                method: Method::Mean,
                terms: EGENMAKT_ITEMS
                    .iter()
                    .map(|(name, reverse)| Term {
                        item: name.to_string(),
                        reverse: *reverse,
                    })
                    .collect(),
            },
            Score {
                name: "livsutrymme".into(),
                label: t(
                    "Livsutrymme",
                    "Room for manoeuvre",
                    "الحرية في الحياة اليومية",
                    "Xorriyadda nolosha",
                ),
                method: Method::Mean,
                terms: LIVSUTRYMME_ITEMS
                    .iter()
                    .map(|name| Term {
                        item: name.to_string(),
                        reverse: false,
                    })
                    .collect(),
            },
        ],
    }
}

/// Whether she has paid work when she answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Work {
    Yes,
    Partly,
    No,
}

/// Where she stands when she answers: her level on each part (1.0..=5.0)
/// and her work.
#[derive(Clone, Copy, Debug)]
struct Standing {
    egenmakt: f64,
    livsutrymme: f64,
    work: Work,
    /// At exit: she has come to know the partners' groups and associations.
    at_exit: bool,
}

/// Synthetic lines in her own words (as staff would write them down), at
/// intake and at exit.
const OWN_WORDS: [&[&str]; 2] = [
    &[
        "Jag vill bli undersköterska.",
        "Jag vill lära mig mer svenska.",
        "Jag vill ta körkort.",
        "Det är svårt att hitta barnomsorg.",
    ],
    &[
        "Jag vill bli undersköterska.",
        "Jag trivs i butiken och med mina kollegor.",
        "Jag har fått nya vänner i gruppen.",
        "Jag vill börja läsa på Komvux.",
    ],
];

/// A statement's answer around her level: a little noise, rounded to the
/// scale (and turned around for a statement worded negatively).
fn statement(rng: &mut Rng, level: f64, reverse: bool) -> String {
    let noise = (rng.below(7) as f64 - 3.0) * 0.25;
    let v = (level + noise).round().clamp(1.0, 5.0) as i16;
    (if reverse { 6 - v } else { v }).to_string()
}

/// Her answers, valid for [`egenmakt_instrument`]: no hours unless she
/// works, support "none" only alone, her own words now and then.
fn answers(rng: &mut Rng, s: Standing) -> Answers {
    let mut a = Answers::new();
    for (name, reverse) in EGENMAKT_ITEMS {
        a.insert(name.into(), statement(rng, s.egenmakt, reverse));
    }
    for name in LIVSUTRYMME_ITEMS {
        a.insert(name.into(), statement(rng, s.livsutrymme, false));
    }
    let work = match s.work {
        Work::Yes => "yes",
        Work::Partly => "partly",
        Work::No => "no",
    };
    a.insert("work".into(), work.into());
    let hours = match s.work {
        Work::Yes => Some(20 + rng.below(21)),
        Work::Partly => Some(4 + rng.below(13)),
        Work::No => None,
    };
    // One in ten who work leaves the hours out.
    if let Some(h) = hours.filter(|_| rng.below(10) != 0) {
        a.insert("hours".into(), h.to_string());
    }
    let association = if s.at_exit { 45 } else { 10 };
    let friends = if s.at_exit { 45 } else { 30 };
    let support: Vec<&str> = [
        ("family", 55),
        ("friends", friends),
        ("association", association),
        ("authorities", 40),
    ]
    .into_iter()
    .filter(|(_, percent)| rng.below(100) < *percent)
    .map(|(value, _)| value)
    .collect();
    let support = if support.is_empty() {
        "none".to_string()
    } else {
        support.join(" ")
    };
    a.insert("support".into(), support);
    if rng.below(100) < 8 {
        let words = OWN_WORDS[usize::from(s.at_exit)];
        a.insert("own_words".into(), rng.pick(words).to_string());
    }
    a
}

/// Her work at exit, after how she left.
fn work_at_exit(rng: &mut Rng, outcome: Option<ExitOutcome>) -> Work {
    match outcome {
        Some(
            ExitOutcome::EmploymentUnsubsidised
            | ExitOutcome::EmploymentSubsidised
            | ExitOutcome::OwnBusiness,
        ) => {
            if rng.below(10) < 7 {
                Work::Yes
            } else {
                Work::Partly
            }
        }
        Some(ExitOutcome::Studies) if rng.below(5) == 0 => Work::Partly,
        _ if rng.below(10) == 0 => Work::Partly,
        _ => Work::No,
    }
}

/// The language she answers in: hers when the instrument has it (for half
/// of them; the others answer in Swedish with staff), else Swedish.
fn language_of(rng: &mut Rng, recorded: &str) -> &'static str {
    let own = match recorded {
        "arabiska" => Some("ar"),
        "somaliska" => Some("so"),
        _ => None,
    };
    match own {
        Some(l) if rng.below(2) == 0 => l,
        _ => "sv",
    }
}

/// Schedule the questionnaire in the project running on the demo's day as
/// well (at intake and at exit), so that the women taking part there have
/// it waiting, in the portal among other places.
pub(super) async fn schedule_in(
    c: &mut AnyConnection,
    project: i64,
    instrument: i64,
    by: i64,
    now: i64,
) -> Result<()> {
    store::set_schedule(
        c,
        project,
        instrument,
        Some(&ScheduleRow {
            project_id: project,
            project_name: "Vidare mot arbete".into(),
            instrument_id: instrument,
            at_intake: true,
            every_months: None,
            at_exit: true,
            follow_up_months: None,
        }),
        by,
        now,
    )
    .await?;
    Ok(())
}

/// Create and publish the instrument, schedule it in Tillväxt Kvinna (at
/// intake, at exit, six months after exit) and record the responses: an
/// intake response for about 60 % of the women (on her intake date), and
/// for about 70 % of those of them who ended at least a month later an exit
/// response (on her exit date), none dated after today. Returns the
/// instrument's id.
pub(super) async fn seed(
    c: &mut AnyConnection,
    pid: i64,
    tk: i64,
    people: &[Person],
    by: i64,
    (today, now): (Date, i64),
) -> Result<i64> {
    let instrument = egenmakt_instrument();
    instrument
        .check()
        .map_err(|_| AppError::internal("the demo instrument does not check"))?;
    let json = serde_json::to_string(&instrument)
        .map_err(|_| AppError::internal("the demo instrument does not serialise"))?;
    let title = instrument.title.get("sv", "sv").to_string();
    let id = store::create_instrument(c, pid, EGENMAKT, Some(by), now).await?;
    let (version_id, _) = store::add_version(c, id, &title, &json, Some(by), now).await?;
    store::publish(c, version_id, by, now).await?;
    store::set_schedule(
        c,
        tk,
        id,
        Some(&ScheduleRow {
            project_id: tk,
            project_name: "Tillväxt Kvinna".into(),
            instrument_id: id,
            at_intake: true,
            every_months: None,
            at_exit: true,
            follow_up_months: Some(6),
        }),
        by,
        now,
    )
    .await?;

    let free_text = ["own_words"];
    let mut rng = Rng(0xE6E1_A47D_2018_1105);
    for p in people {
        if p.intake > today || rng.below(100) >= 60 {
            continue;
        }
        let language = language_of(&mut rng, &p.language);
        let work = match rng.below(100) {
            0..=4 => Work::Yes,
            5..=14 => Work::Partly,
            _ => Work::No,
        };
        let egenmakt = 1.8 + rng.below(17) as f64 * 0.1;
        let livsutrymme = (egenmakt + (rng.below(9) as f64 - 4.0) * 0.1).clamp(1.0, 5.0);
        let first = Standing {
            egenmakt,
            livsutrymme,
            work,
            at_exit: false,
        };
        let mode = |rng: &mut Rng| {
            if rng.below(5) == 0 {
                "paper"
            } else {
                "with_staff"
            }
        };
        let response = |wave, on, mode| NewResponse {
            participant_id: p.id,
            instrument_id: id,
            version_id,
            wave: Some(wave),
            on,
            language,
            mode,
            recorded_by: Some(by),
        };
        let a = answers(&mut rng, first);
        let m = mode(&mut rng);
        store::insert_response(c, &response("intake", p.intake, m), &a, &free_text, now).await?;

        // At exit: she took part for at least a month (so her exit is past
        // her start), and seven in ten answer again.
        let Some(exit) = p.exit else { continue };
        let month_on = p.intake.checked_add(1.month()).unwrap_or(p.intake);
        if exit < month_on || exit > today || rng.below(100) >= 70 {
            continue;
        }
        let lift = if p.outcome.is_some_and(|o| o.is_job_or_studies()) {
            0.3
        } else {
            0.0
        };
        // -0.3 ..= 1.7 in tenths, 0.7 on average: most rise, some stay or fall.
        let change = (rng.below(21) as f64 - 3.0) * 0.1 + lift;
        let last = Standing {
            egenmakt: (egenmakt + change).clamp(1.0, 5.0),
            livsutrymme: (livsutrymme + change + (rng.below(5) as f64 - 2.0) * 0.1).clamp(1.0, 5.0),
            work: work_at_exit(&mut rng, p.outcome),
            at_exit: true,
        };
        let a = answers(&mut rng, last);
        let m = mode(&mut rng);
        store::insert_response(c, &response("exit", exit, m), &a, &free_text, now).await?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_instrument_checks_and_round_trips_through_xlsform() {
        let i = egenmakt_instrument();
        assert_eq!(i.check(), Ok(()));
        let sheets = palett_domain::xlsform::write(&i);
        assert_eq!(palett_domain::xlsform::read(&sheets), Ok(i));
    }

    #[test]
    fn every_text_is_in_every_language() {
        let i = egenmakt_instrument();
        assert_eq!(i.languages, LANGUAGES);
        let mut texts = vec![&i.title, &i.description];
        for s in &i.sections {
            texts.push(&s.label);
            for item in &s.items {
                texts.push(&item.label);
                if !item.hint.is_empty() {
                    texts.push(&item.hint);
                }
                texts.extend(item.kind.choices().iter().map(|c| &c.label));
            }
        }
        texts.extend(i.scores.iter().map(|s| &s.label));
        for labels in texts {
            for l in LANGUAGES {
                assert!(labels.has(l), "{l} missing in {labels:?}");
            }
            assert_eq!(labels.0.len(), LANGUAGES.len(), "{labels:?}");
        }
        assert!(i
            .description
            .get("sv", "sv")
            .contains("inte en publicerad skala"));
        assert!(i
            .description
            .get("en", "sv")
            .contains("not a published scale"));
    }

    #[test]
    fn the_scores_reverse_the_negative_statement() {
        let i = egenmakt_instrument();
        let a: Answers = [
            ("decide_own", "4"),
            ("skills_count", "4"),
            ("others_decide", "2"),
            ("reach_goal", "4"),
            ("move_freely", "3"),
            ("own_time", "2"),
            ("meet_people", "4"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            i.scores(&a),
            vec![
                ("egenmakt".to_string(), Some(4.0)),
                ("livsutrymme".to_string(), Some(3.0))
            ]
        );
    }

    #[test]
    fn generated_answers_are_what_the_form_would_accept() {
        let i = egenmakt_instrument();
        let mut rng = Rng(0x0123_4567_89AB_CDEF);
        let mut hours = 0;
        for n in 0..500 {
            let work = [Work::Yes, Work::Partly, Work::No][n % 3];
            let s = Standing {
                egenmakt: 1.0 + (n % 41) as f64 * 0.1,
                livsutrymme: 5.0 - (n % 41) as f64 * 0.1,
                work,
                at_exit: n % 2 == 0,
            };
            let a = answers(&mut rng, s);
            let raw = |name: &str| a.get(name).cloned().into_iter().collect::<Vec<_>>();
            assert_eq!(i.parse_answers(&raw, date(2026, 1, 1)), Ok(a.clone()));
            assert!(!(a.contains_key("hours") && work == Work::No), "{a:?}");
            hours += usize::from(a.contains_key("hours"));
            assert!(i.scores(&a).iter().all(|(_, v)| v.is_some()), "{a:?}");
        }
        assert!(hours > 250, "most who work give their hours: {hours}");
    }
}
