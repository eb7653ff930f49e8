//! Questionnaires (issue 15): versioned instruments that never change once
//! published, her answers kept with the version she answered, the waves a
//! project schedules, and the research export of the answers under the
//! research consent and k-anonymity.

use crate::harness::*;
use jiff::civil::{date, Date};
use palett_app::questionnaire_results::{AnswersExport, Cell, VarKind, WaveResult};
use palett_app::questionnaires::{Due, ResponseMetaInput, Uploaded};
use palett_app::{AppError, Ctx};
use palett_domain::consent::ConsentInput;
use palett_domain::instrument::{
    Choice, Instrument, Item, ItemKind, Labels, Method, Score, Section, Term,
};
use palett_domain::lifecycle::{ExitOutcome, Transition};
use palett_domain::model::ParticipantInput;
use palett_domain::research::ExportRequestInput;
use palett_domain::wave::{ScheduleInput, WaveKey};
use std::collections::{BTreeMap, BTreeSet, HashMap};

// ------------------------------------------------------------ the instrument

/// The research key every export of these stories uses.
const KEY: &str = "följeforskningens nyckel 2026";

fn labels(sv: &str, en: &str, ar: &str) -> Labels {
    Labels::one("sv", sv).with("en", en).with("ar", ar)
}

/// The Swedish label of step `v` of the scales.
fn step_sv(v: i16) -> String {
    let word = ["Inte alls", "Lite", "Delvis", "Ganska mycket", "Helt"][(v - 1) as usize];
    format!("{v} – {word}")
}

fn scale(name: &str, label: Labels) -> Item {
    let en = ["Not at all", "A little", "Partly", "Quite a lot", "Fully"];
    let ar = ["أبداً", "قليلاً", "جزئياً", "كثيراً", "تماماً"];
    Item {
        name: name.into(),
        label,
        hint: Labels::default(),
        kind: ItemKind::Scale {
            min: 1,
            max: 5,
            choices: (1..=5i16)
                .map(|v| Choice {
                    value: v.to_string(),
                    label: labels(
                        &step_sv(v),
                        &format!("{v} – {}", en[(v - 1) as usize]),
                        &format!("{v} – {}", ar[(v - 1) as usize]),
                    ),
                })
                .collect(),
        },
        required: true,
        relevant: None,
    }
}

/// Version 1 of "egenmakt_kort" (the demo has an "egenmakt" of its own):
/// voice (1..5), works (yes/no), hours (only when
/// she works), comment (her own words), alone (1..5); the empowerment score
/// is the mean of voice and alone reversed.
fn egenmakt() -> Instrument {
    let works = Item {
        name: "works".into(),
        label: labels("Arbetar du?", "Do you work?", "هل تعملين؟"),
        hint: Labels::default(),
        kind: ItemKind::Single {
            choices: vec![
                Choice {
                    value: "yes".into(),
                    label: labels("Ja", "Yes", "نعم"),
                },
                Choice {
                    value: "no".into(),
                    label: labels("Nej", "No", "لا"),
                },
            ],
        },
        required: true,
        relevant: None,
    };
    let hours = Item {
        name: "hours".into(),
        label: labels("Timmar per vecka", "Hours a week", "ساعات في الأسبوع"),
        hint: Labels::default(),
        kind: ItemKind::Number {
            decimal: false,
            min: Some(1),
            max: Some(60),
        },
        required: true,
        relevant: Some("${works} = 'yes'".into()),
    };
    let comment = Item {
        name: "comment".into(),
        label: labels("Något mer?", "Anything else?", "شيء آخر؟"),
        hint: Labels::default(),
        kind: ItemKind::Text,
        required: false,
        relevant: None,
    };
    Instrument {
        name: "egenmakt_kort".into(),
        title: labels("Egenmakt", "Empowerment", "التمكين"),
        description: Labels::default(),
        languages: vec!["sv".into(), "en".into(), "ar".into()],
        sections: vec![Section {
            name: "om_dig".into(),
            label: labels("Om dig", "About you", "عنك"),
            items: vec![
                scale(
                    "voice",
                    labels(
                        "Jag säger vad jag tycker",
                        "I say what I think",
                        "أقول ما أفكر فيه",
                    ),
                ),
                works,
                hours,
                comment,
                scale(
                    "alone",
                    labels("Jag känner mig ensam", "I feel alone", "أشعر بالوحدة"),
                ),
            ],
        }],
        scores: vec![Score {
            name: "empowerment".into(),
            label: labels("Egenmakt", "Empowerment", "التمكين"),
            method: Method::Mean,
            terms: vec![
                Term {
                    item: "voice".into(),
                    reverse: false,
                },
                Term {
                    item: "alone".into(),
                    reverse: true,
                },
            ],
        }],
    }
}

/// Version 2: voice reworded, a new scale `trust` after `alone`, and the
/// empowerment score the mean of voice, alone reversed and trust.
fn egenmakt_v2() -> Instrument {
    let mut i = egenmakt();
    let items = &mut i.sections[0].items;
    items[0].label = labels("Jag blir lyssnad på", "I am listened to", "يُستمع إليّ");
    items.push(scale(
        "trust",
        labels("Jag litar på andra", "I trust others", "أثق بالآخرين"),
    ));
    i.scores[0].terms.push(Term {
        item: "trust".into(),
        reverse: false,
    });
    i
}

/// What a form sends: the values per item name.
fn sent(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Vec<String> {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned().into_iter().collect()
}

/// Filled in by staff with her, in Arabic, on `on`, in `wave` ("" for none).
fn with_staff(wave: &str, on: Date) -> ResponseMetaInput {
    ResponseMetaInput {
        wave: wave.into(),
        on: on.to_string(),
        language: "ar".into(),
        mode: "with_staff".into(),
    }
}

/// Upload and publish version 1; the instrument's id.
async fn published(h: &H, evaluator: &Ctx) -> i64 {
    let up = h
        .app
        .upload_instrument(evaluator, &egenmakt())
        .await
        .expect("upload");
    h.app
        .publish_instrument(evaluator, up.instrument_id, up.version)
        .await
        .expect("publish");
    up.instrument_id
}

/// Record her answers to the latest published version.
async fn answer(
    h: &H,
    ctx: &Ctx,
    her: i64,
    instrument: i64,
    wave: &str,
    pairs: &[(&str, &str)],
) -> i64 {
    h.app
        .record_questionnaire(
            ctx,
            her,
            instrument,
            &with_staff(wave, h.app.today()),
            &sent(pairs),
        )
        .await
        .unwrap_or_else(|e| panic!("recording {pairs:?} in wave {wave:?}: {e}"))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

// --------------------------------------------------------------- the stories

/// Uploads replace a draft; a published version never changes, and the
/// next upload is the next version.
pub(crate) async fn a_published_questionnaire_version_never_changes(h: H) {
    h.seed().await;
    let evaluator = h.ctx(EVALUATOR).await;
    let coach = h.ctx(COACH).await;
    let coordinator = h.ctx(COORDINATOR).await;

    let first = h
        .app
        .upload_instrument(&evaluator, &egenmakt())
        .await
        .expect("upload");
    assert_eq!((first.version, first.replaced_draft), (1, false));
    let id = first.instrument_id;

    // A changed label, uploaded again before publishing, replaces the draft.
    let mut relabelled = egenmakt();
    relabelled.sections[0].items[0].label = labels("Jag säger ifrån", "I speak up", "أعبّر عن رأيي");
    assert_eq!(
        h.app
            .upload_instrument(&evaluator, &relabelled)
            .await
            .expect("re-upload"),
        Uploaded {
            instrument_id: id,
            version: 1,
            replaced_draft: true,
        }
    );
    let v1 = h
        .app
        .instrument_version(&evaluator, id, 1)
        .await
        .expect("version 1");
    assert_eq!(v1.definition, relabelled, "the draft holds the re-upload");
    assert_eq!(v1.row.published_at, None);
    assert_eq!(v1.row.title, "Egenmakt");

    h.app
        .publish_instrument(&evaluator, id, 1)
        .await
        .expect("publish");

    // Uploading now makes version 2, a draft; version 1 stays as published.
    let second = h
        .app
        .upload_instrument(&evaluator, &egenmakt_v2())
        .await
        .expect("a new version");
    assert_eq!(
        second,
        Uploaded {
            instrument_id: id,
            version: 2,
            replaced_draft: false,
        }
    );
    let v1 = h
        .app
        .instrument_version(&evaluator, id, 1)
        .await
        .expect("version 1");
    assert_eq!(
        v1.definition, relabelled,
        "the published version is unchanged"
    );
    assert!(v1.row.published_at.is_some());
    let v2 = h
        .app
        .instrument_version(&evaluator, id, 2)
        .await
        .expect("version 2");
    assert_eq!(v2.definition, egenmakt_v2());
    assert_eq!(v2.row.published_at, None);
    let row = h
        .app
        .instruments(&evaluator)
        .await
        .expect("list")
        .into_iter()
        .find(|i| i.id == id)
        .expect("listed");
    assert_eq!(
        (
            row.name.as_str(),
            row.title.as_str(),
            row.builtin,
            row.versions,
            row.published,
            row.draft,
            row.responses
        ),
        ("egenmakt_kort", "Egenmakt", false, 2, Some(1), Some(2), 0)
    );
    let page = h.app.instrument(&evaluator, id).await.expect("page");
    assert_eq!(
        page.versions
            .iter()
            .map(|v| v.row.version)
            .collect::<Vec<_>>(),
        vec![2, 1],
        "newest first"
    );

    // A published version is neither published again nor discarded.
    assert_invalid(
        h.app.publish_instrument(&evaluator, id, 1).await,
        "version",
        "instrument-published-already",
    );
    assert_invalid(
        h.app.discard_instrument_draft(&evaluator, id, 1).await,
        "version",
        "instrument-published-already",
    );
    assert_eq!(
        h.app
            .instrument_version(&evaluator, id, 1)
            .await
            .expect("version 1")
            .definition,
        relabelled
    );
    not_found(h.app.publish_instrument(&evaluator, id, 9).await);

    // The draft may be discarded; the next upload is version 2 again, and a
    // coordinator of a member designs instruments too.
    h.app
        .discard_instrument_draft(&evaluator, id, 2)
        .await
        .expect("discard the draft");
    not_found(h.app.instrument_version(&evaluator, id, 2).await);
    let again = h
        .app
        .upload_instrument(&coordinator, &egenmakt_v2())
        .await
        .expect("a coordinator uploads");
    assert_eq!((again.instrument_id, again.version), (id, 2));
    assert!(!again.replaced_draft);

    // A caseworker designs nothing.
    forbidden(h.app.upload_instrument(&coach, &egenmakt()).await);
    forbidden(h.app.publish_instrument(&coach, id, 2).await);
    forbidden(h.app.discard_instrument_draft(&coach, id, 2).await);

    // An instrument that does not hold together is refused, naming where.
    let mut twice = egenmakt();
    twice.sections[0].items[4].name = "voice".into();
    twice.scores.clear();
    assert!(twice.check().is_err());
    assert_invalid(
        h.app.upload_instrument(&evaluator, &twice).await,
        "voice",
        "instrument-duplicate-name",
    );
    let mut later = egenmakt();
    later.sections[0].items[1].relevant = Some("${alone} = '1'".into());
    assert_invalid(
        h.app.upload_instrument(&evaluator, &later).await,
        "works",
        "instrument-relevant-order",
    );
    let mut nameless = egenmakt();
    nameless.name = "other".into();
    nameless.sections[0].items[0].label = Labels::one("en", "English only");
    assert_invalid(
        h.app.upload_instrument(&evaluator, &nameless).await,
        "voice",
        "instrument-label-missing",
    );
    assert!(
        h.app
            .instruments(&evaluator)
            .await
            .expect("list")
            .iter()
            .all(|i| i.name != "other"),
        "a refused upload makes no instrument"
    );

    // The built-in self-assessment is palett's own.
    let builtin = h
        .app
        .instruments(&evaluator)
        .await
        .expect("list")
        .into_iter()
        .find(|i| i.builtin)
        .expect("the built-in self-assessment");
    assert_eq!(builtin.name, "self_assessment");
    let mut own = egenmakt();
    own.name = "self_assessment".into();
    assert_invalid(
        h.app.upload_instrument(&evaluator, &own).await,
        "form_id",
        "instrument-builtin",
    );
    assert_invalid(
        h.app.publish_instrument(&evaluator, builtin.id, 1).await,
        "version",
        "instrument-published-already",
    );
    assert_eq!(
        h.app
            .instrument(&evaluator, builtin.id)
            .await
            .expect("page")
            .versions
            .len(),
        1,
        "no version was added to the built-in"
    );
}

/// Her answers keep the version she answered and are scored by it; skip
/// logic drops what was not shown; bad answers name the item.
pub(crate) async fn answers_keep_their_version_after_a_new_one_is_published(h: H) {
    h.seed().await;
    let evaluator = h.ctx(EVALUATOR).await;
    let kim = h.signed(COACH).await;
    let coach = kim.ctx(IP);
    let id = published(&h, &evaluator).await;
    let her = h
        .register(
            &coach,
            &ParticipantInput {
                intake_date: "2026-11-20".into(),
                ..h.input(
                    "Warda",
                    "Versionsson",
                    &pnr("19860606", 606),
                    kim.user.organisation_id,
                )
            },
        )
        .await;
    let today = h.app.today();
    assert_eq!(today, date(2026, 11, 25));

    let (version, waves) = h
        .app
        .questionnaire_to_fill(&coach, her, id)
        .await
        .expect("to fill");
    assert_eq!(version.row.version, 1);
    assert_eq!(version.definition, egenmakt());
    assert!(waves.is_empty(), "no project schedules it for her");

    // Bad answers and bad circumstances name what is wrong; nothing is kept.
    let good: &[(&'static str, &'static str)] = &[
        ("voice", "4"),
        ("works", "no"),
        ("hours", "12"),
        ("comment", "Jag vill jobba i ett kök"),
        ("alone", "2"),
    ];
    let record = |meta: ResponseMetaInput, pairs: Vec<(&'static str, &'static str)>| {
        let (h, coach) = (&h, &coach);
        async move {
            h.app
                .record_questionnaire(coach, her, id, &meta, &sent(&pairs))
                .await
        }
    };
    let without = |name: &str| -> Vec<(&'static str, &'static str)> {
        good.iter().filter(|(k, _)| *k != name).copied().collect()
    };
    assert_invalid(
        record(with_staff("", today), without("voice")).await,
        "voice",
        "error-required",
    );
    let mut maybe = without("works");
    maybe.push(("works", "maybe"));
    assert_invalid(
        record(with_staff("", today), maybe).await,
        "works",
        "error-choice",
    );
    let mut six = without("alone");
    six.push(("alone", "6"));
    assert_invalid(
        record(with_staff("", today), six).await,
        "alone",
        "error-choice",
    );
    // Working, the hours are asked and required.
    assert_invalid(
        record(
            with_staff("", today),
            vec![("voice", "4"), ("works", "yes"), ("alone", "2")],
        )
        .await,
        "hours",
        "error-required",
    );
    assert_invalid(
        record(
            with_staff("", today),
            vec![
                ("voice", "4"),
                ("works", "yes"),
                ("hours", "61"),
                ("alone", "2"),
            ],
        )
        .await,
        "hours",
        "error-number",
    );
    let german = ResponseMetaInput {
        language: "de".into(),
        ..with_staff("", today)
    };
    assert_invalid(
        record(german, good.to_vec()).await,
        "language",
        "error-choice",
    );
    let herself = ResponseMetaInput {
        mode: "herself".into(),
        ..with_staff("", today)
    };
    assert_invalid(record(herself, good.to_vec()).await, "mode", "error-choice");
    assert_invalid(
        record(with_staff("intake", today), good.to_vec()).await,
        "wave",
        "error-choice",
    );
    assert_invalid(
        record(with_staff("", date(2026, 11, 26)), good.to_vec()).await,
        "on",
        "error-date-future",
    );
    // Only those who may change her record fill it in.
    not_found(record_as(&h, &h.ctx(CIRKELLEDARE).await, her, id, good).await);
    not_found(record_as(&h, &evaluator, her, id, good).await);
    assert!(h
        .app
        .questionnaires_of(&coach, her)
        .await
        .expect("hers")
        .answered
        .is_empty());

    // Not working: the hours sent are not kept.
    let first = answer(&h, &coach, her, id, "", good).await;
    let results = h
        .app
        .questionnaire_results(&evaluator, id, None)
        .await
        .expect("results");
    assert_eq!(results.waves.len(), 1, "outside the waves only");
    let outside = &results.waves[0];
    assert_eq!(outside.wave, None);
    assert_eq!(outside.answered, Cell::Few);
    assert_eq!(item(outside, "works").n, Cell::Few);
    assert_eq!(
        item(outside, "hours").n,
        Cell::Count(0),
        "skip logic hid the hours: none are kept"
    );
    assert!(
        results.waves[0].items.iter().all(|i| i.name != "comment"),
        "her own words are no table"
    );

    // Version 2 is published; her first answers keep version 1.
    let up = h
        .app
        .upload_instrument(&evaluator, &egenmakt_v2())
        .await
        .expect("version 2");
    assert_eq!(up.version, 2);
    let (latest, _) = h
        .app
        .questionnaire_to_fill(&coach, her, id)
        .await
        .expect("to fill");
    assert_eq!(latest.row.version, 1, "a draft is not filled in");
    h.app
        .publish_instrument(&evaluator, id, 2)
        .await
        .expect("publish 2");
    let (latest, _) = h
        .app
        .questionnaire_to_fill(&coach, her, id)
        .await
        .expect("to fill");
    assert_eq!(latest.row.version, 2);
    assert_eq!(latest.definition, egenmakt_v2());
    // Version 2 asks for trust.
    assert_invalid(
        record(with_staff("", today), good.to_vec()).await,
        "trust",
        "error-required",
    );
    let second = answer(
        &h,
        &coach,
        her,
        id,
        "",
        &[
            ("voice", "5"),
            ("works", "yes"),
            ("hours", "20"),
            ("alone", "1"),
            ("trust", "4"),
        ],
    )
    .await;

    let mine = h.app.questionnaires_of(&coach, her).await.expect("hers");
    assert!(mine.due.is_empty());
    assert!(mine.instruments.contains(&(id, "Egenmakt".to_string())));
    let answered: Vec<_> = mine
        .answered
        .iter()
        .map(|a| {
            (
                a.response.id,
                a.version,
                a.title.as_str(),
                a.response.wave.clone(),
                a.response.on,
                a.response.language.as_str(),
                a.response.mode.as_str(),
            )
        })
        .collect();
    assert_eq!(
        answered,
        vec![
            (first, 1, "Egenmakt", None, today, "ar", "with_staff"),
            (second, 2, "Egenmakt", None, today, "ar", "with_staff"),
        ]
    );
    // Version 1: (voice 4 + (6 - alone 2)) / 2 = 4. Version 2: (voice 5 +
    // (6 - alone 1) + trust 4) / 3 = 14/3. Scored by version 2, the first
    // would have none (no trust).
    assert_eq!(
        mine.answered[0].scores,
        vec![("Egenmakt".to_string(), Some(4.0))]
    );
    assert_eq!(mine.answered[1].scores.len(), 1);
    assert_eq!(mine.answered[1].scores[0].0, "Egenmakt");
    assert!(close(mine.answered[1].scores[0].1, 14.0 / 3.0));

    // The results use version 2's labels and count both.
    let results = h
        .app
        .questionnaire_results(&evaluator, id, None)
        .await
        .expect("results");
    assert_eq!(results.definition, egenmakt_v2());
    let outside = &results.waves[0];
    assert_eq!(item(outside, "hours").n, Cell::Few);
    assert_eq!(item(outside, "voice").label, "Jag blir lyssnad på");
    assert_eq!(outside.scores[0].n, Cell::Few);
    assert_eq!(outside.scores[0].mean, None, "fewer than five: no mean");
}

async fn record_as(
    h: &H,
    ctx: &Ctx,
    her: i64,
    instrument: i64,
    pairs: &[(&str, &str)],
) -> Result<i64, AppError> {
    h.app
        .record_questionnaire(
            ctx,
            her,
            instrument,
            &with_staff("", h.app.today()),
            &sent(pairs),
        )
        .await
}

#[track_caller]
fn item<'a>(w: &'a WaveResult, name: &str) -> &'a palett_app::questionnaire_results::ItemResult {
    w.items
        .iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no item {name}"))
}

fn waves_of(due: &[Due], her: i64) -> Vec<(String, Date, bool)> {
    due.iter()
        .filter(|d| d.participant_id == her)
        .map(|d| (d.wave.as_string(), d.due, d.open))
        .collect()
}

fn wave(key: &str, due: Date, open: bool) -> (String, Date, bool) {
    (key.to_string(), due, open)
}

/// A project asks for the questionnaire at intake, every three months, at
/// exit and six months after; the waves fall due on those days.
pub(crate) async fn questionnaires_fall_due_on_the_right_days(h: H) {
    h.seed().await;
    let evaluator = h.ctx(EVALUATOR).await;
    let coordinator = h.ctx(COORDINATOR).await;
    let kim = h.signed(COACH).await;
    let coach = kim.ctx(IP);
    let kommun = kim.user.organisation_id;
    let id = published(&h, &evaluator).await;
    let project = h
        .app
        .submit_project(
            &coordinator,
            &palett_app::projects::ProjectInput {
                name: "Egenmakt i Botkyrka".into(),
                funder: "ESF+".into(),
                start_date: "2026-01-01".into(),
                end_date: "2028-12-31".into(),
                ..Default::default()
            },
        )
        .await
        .expect("project");
    let schedule = ScheduleInput {
        at_intake: "yes".into(),
        every_months: "3".into(),
        at_exit: "yes".into(),
        follow_up_months: "6".into(),
    };
    // Only those who manage projects schedule.
    forbidden(
        h.app
            .schedule_questionnaire(&coach, id, project, Some(schedule.parse()))
            .await,
    );
    forbidden(
        h.app
            .schedule_questionnaire(&evaluator, id, project, Some(schedule.parse()))
            .await,
    );
    assert_invalid(
        h.app
            .schedule_questionnaire(
                &coordinator,
                id,
                project,
                Some(
                    ScheduleInput {
                        every_months: "25".into(),
                        ..schedule.clone()
                    }
                    .parse(),
                ),
            )
            .await,
        "every_months",
        "error-number",
    );
    h.app
        .schedule_questionnaire(&coordinator, id, project, Some(schedule.parse()))
        .await
        .expect("schedule");
    let page = h.app.instrument(&evaluator, id).await.expect("page");
    assert_eq!(page.schedules.len(), 1);
    assert_eq!(
        (
            page.schedules[0].project_id,
            page.schedules[0].at_intake,
            page.schedules[0].every_months,
            page.schedules[0].at_exit,
            page.schedules[0].follow_up_months
        ),
        (project, true, Some(3), true, Some(6))
    );

    // Taken in on 2026-02-10; today is 2026-11-25.
    let her = h
        .register(
            &coach,
            &ParticipantInput {
                referred_on: "2026-02-01".into(),
                intake_date: "2026-02-10".into(),
                project_ids: vec![project.to_string()],
                ..h.input("Samira", "Vågsson", &pnr("19850315", 246), kommun)
            },
        )
        .await;
    // A woman of the project not yet taken in has no waves.
    let referred = h
        .register(
            &coach,
            &ParticipantInput {
                referred_on: "2026-11-02".into(),
                project_ids: vec![project.to_string()],
                ..h.input("Layla", "Vågsson", &pnr("19850315", 268), kommun)
            },
        )
        .await;
    assert!(h
        .app
        .questionnaires_of(&coach, referred)
        .await
        .expect("hers")
        .due
        .is_empty());

    // Intake on its day; every three months from it (May 10, Aug 10, Nov
    // 10); month 12 (2027-02-10) is not due yet. Open for 60 days: only
    // month 9 still is.
    let due = h
        .app
        .questionnaires_of(&coach, her)
        .await
        .expect("hers")
        .due;
    assert_eq!(
        waves_of(&due, her),
        vec![
            wave("intake", date(2026, 2, 10), false),
            wave("month_3", date(2026, 5, 10), false),
            wave("month_6", date(2026, 8, 10), false),
            wave("month_9", date(2026, 11, 10), true),
        ]
    );
    assert!(due
        .iter()
        .all(|d| d.instrument_id == id && d.title == "Egenmakt" && d.name == "Samira Vågsson"));
    let (_, waves) = h
        .app
        .questionnaire_to_fill(&coach, her, id)
        .await
        .expect("to fill");
    assert_eq!(
        waves,
        vec![
            WaveKey::Intake,
            WaveKey::Month(3),
            WaveKey::Month(6),
            WaveKey::Month(9)
        ]
    );
    // Her caseworker's list holds those still open; a caseworker who may
    // not see her does not get them.
    let open = |h: &H, ctx: &Ctx| {
        let (h, ctx) = (h.clone(), ctx.clone());
        async move { waves_of(&h.app.questionnaires_due(&ctx).await.expect("due"), her) }
    };
    assert_eq!(
        open(&h, &coach).await,
        vec![wave("month_9", date(2026, 11, 10), true)]
    );
    let bo = h.ctx(CIRKELLEDARE).await;
    assert!(open(&h, &bo).await.is_empty());
    not_found(h.app.questionnaires_of(&bo, her).await);

    // Answering the intake wave takes it off; a wave not due is refused.
    let answers: &[(&str, &str)] = &[("voice", "3"), ("works", "no"), ("alone", "3")];
    let intake = answer(&h, &coach, her, id, "intake", answers).await;
    let mine = h.app.questionnaires_of(&coach, her).await.expect("hers");
    assert_eq!(
        waves_of(&mine.due, her),
        vec![
            wave("month_3", date(2026, 5, 10), false),
            wave("month_6", date(2026, 8, 10), false),
            wave("month_9", date(2026, 11, 10), true),
        ]
    );
    assert_eq!(mine.answered.len(), 1);
    assert_eq!(mine.answered[0].response.id, intake);
    assert_eq!(mine.answered[0].response.wave.as_deref(), Some("intake"));
    for not_due in ["month_12", "exit", "follow_up_6", "month_4", "Intake"] {
        assert_invalid(
            h.app
                .record_questionnaire(
                    &coach,
                    her,
                    id,
                    &with_staff(not_due, h.app.today()),
                    &sent(answers),
                )
                .await,
            "wave",
            "error-choice",
        );
    }
    assert_eq!(
        open(&h, &coach).await,
        vec![wave("month_9", date(2026, 11, 10), true)]
    );

    // She leaves today: the exit wave is due; month waves stop at exit.
    let today = h.app.today();
    h.app
        .transition(
            &coach,
            her,
            Transition::Exit {
                on: today,
                outcome: ExitOutcome::EmploymentUnsubsidised,
            },
        )
        .await
        .expect("exit");
    assert_eq!(
        waves_of(
            &h.app
                .questionnaires_of(&coach, her)
                .await
                .expect("hers")
                .due,
            her
        ),
        vec![
            wave("month_3", date(2026, 5, 10), false),
            wave("month_6", date(2026, 8, 10), false),
            wave("month_9", date(2026, 11, 10), true),
            wave("exit", date(2026, 11, 25), true),
        ]
    );
    assert_eq!(
        open(&h, &coach).await,
        vec![
            wave("month_9", date(2026, 11, 10), true),
            wave("exit", date(2026, 11, 25), true),
        ]
    );
    answer(&h, &coach, her, id, "exit", answers).await;

    // The follow-up falls due six months after her exit, on 2027-05-25.
    h.advance_secs(180 * 24 * 3600);
    assert_eq!(h.app.today(), date(2027, 5, 24));
    let late = vec![
        wave("month_3", date(2026, 5, 10), false),
        wave("month_6", date(2026, 8, 10), false),
        wave("month_9", date(2026, 11, 10), false),
    ];
    let hers = |h: &H| {
        let (h, coach) = (h.clone(), coach.clone());
        async move {
            waves_of(
                &h.app
                    .questionnaires_of(&coach, her)
                    .await
                    .expect("hers")
                    .due,
                her,
            )
        }
    };
    assert_eq!(
        hers(&h).await,
        late,
        "missed waves stay to be filled in late"
    );
    assert!(open(&h, &coach).await.is_empty(), "none is open");
    h.advance_secs(24 * 3600);
    let mut with_follow_up = late.clone();
    with_follow_up.push(wave("follow_up_6", date(2027, 5, 25), true));
    assert_eq!(hers(&h).await, with_follow_up);
    assert_eq!(
        open(&h, &coach).await,
        vec![wave("follow_up_6", date(2027, 5, 25), true)]
    );

    // Unscheduled, nothing is due for her any more.
    h.app
        .schedule_questionnaire(&coordinator, id, project, None)
        .await
        .expect("unschedule");
    assert!(h
        .app
        .questionnaires_of(&coach, her)
        .await
        .expect("hers")
        .due
        .is_empty());

    // A wave answered already is refused as such,
    // not as a wave that is not a choice. Back on the schedule, her intake
    // wave is answered; answering it again names that.
    h.app
        .schedule_questionnaire(&coordinator, id, project, Some(schedule.parse()))
        .await
        .expect("schedule again");
    assert_invalid(
        h.app
            .record_questionnaire(
                &coach,
                her,
                id,
                &with_staff("intake", h.app.today()),
                &sent(answers),
            )
            .await,
        "wave",
        "questionnaire-wave-answered",
    );
}

/// One woman of the research story: registered by the coach, taken in on
/// 2026-11-20, born on `born` in `country`.
struct Woman {
    given: &'static str,
    born: &'static str,
    serial: u16,
    country: &'static str,
}

async fn register_woman(h: &H, coach: &Ctx, organisation: i64, w: &Woman) -> i64 {
    h.register(
        coach,
        &ParticipantInput {
            intake_date: "2026-11-20".into(),
            country_of_birth: w.country.into(),
            ..h.input(
                w.given,
                "Forskningsson",
                &pnr(w.born, w.serial),
                organisation,
            )
        },
    )
    .await
}

async fn research_consent(h: &H, coach: &Ctx, her: i64) -> i64 {
    h.app
        .submit_consent(
            coach,
            her,
            &ConsentInput {
                kind: "research".into(),
                method: "signed_paper".into(),
                given_on: "2026-11-20".into(),
                ..Default::default()
            },
        )
        .await
        .expect("research consent")
}

fn request(key: &str, k: &str) -> palett_domain::Parsed<palett_domain::research::ExportRequest> {
    ExportRequestInput {
        key: key.into(),
        k: k.into(),
    }
    .parse()
}

async fn pseudonyms(h: &H, evaluator: &Ctx) -> BTreeSet<String> {
    h.app
        .research_export(evaluator, request(KEY, "5"))
        .await
        .expect("research export")
        .rows
        .into_iter()
        .map(|r| r.pseudonym)
        .collect()
}

fn column(x: &AnswersExport, name: &str) -> usize {
    x.variables
        .iter()
        .position(|v| v.name == name)
        .unwrap_or_else(|| panic!("no variable {name}"))
}

/// The women (pseudonyms) of each visible quasi-identifier combination.
fn women_per_visible(x: &AnswersExport) -> HashMap<Vec<String>, BTreeSet<String>> {
    let mut out: HashMap<Vec<String>, BTreeSet<String>> = HashMap::new();
    for r in x.wide.iter().filter(|r| r[1] != "*") {
        out.entry(r[1..5].to_vec())
            .or_default()
            .insert(r[0].clone());
    }
    out
}

/// The answers of the research-consented only, under the pseudonyms of the
/// research export, k-anonymous, without her own words.
pub(crate) async fn the_research_export_of_answers_respects_consent_and_k(h: H) {
    h.seed().await;
    let evaluator = h.ctx(EVALUATOR).await;
    let kim = h.signed(COACH).await;
    let coach = kim.ctx(IP);
    let kommun = kim.user.organisation_id;
    let id = published(&h, &evaluator).await;

    // Six alike (35-44, Middle East, 2026), one alone (25-34, Africa), one
    // alone who answers five times (65+, Americas), and two without a
    // research consent in force.
    let alike = |given, serial| Woman {
        given,
        born: "19900315",
        serial,
        country: "Syrien",
    };
    let women = [
        alike("Ayaan", 402),
        alike("Bisra", 404),
        alike("Dalia", 406),
        alike("Fatin", 408),
        alike("Ghada", 412),
        alike("Hiba", 414),
        Woman {
            given: "Sagal",
            born: "20000101",
            serial: 422,
            country: "Somalia",
        },
        Woman {
            given: "Ursula",
            born: "19580601",
            serial: 424,
            country: "Chile",
        },
        alike("Nadia", 432),
        alike("Nawal", 434),
    ];
    let mut ids = Vec::new();
    for w in &women {
        ids.push(register_woman(&h, &coach, kommun, w).await);
    }
    let before = pseudonyms(&h, &evaluator).await;
    for her in &ids[..8] {
        research_consent(&h, &coach, *her).await;
    }
    let withdrawn = research_consent(&h, &coach, ids[9]).await;
    h.app
        .submit_withdrawal(&coach, withdrawn, "Vill inte vara med i utvärderingen")
        .await
        .expect("withdraw");
    let after = pseudonyms(&h, &evaluator).await;
    assert!(before.is_subset(&after));
    let consented: BTreeSet<String> = after.difference(&before).cloned().collect();
    assert_eq!(
        consented.len(),
        8,
        "the eight with a research consent in force"
    );

    type Answers = &'static [(&'static str, &'static str)];
    let plan: [(usize, Answers); 10] = [
        (
            0,
            &[
                ("voice", "5"),
                ("works", "no"),
                ("alone", "1"),
                ("comment", "Jag bor i Fittja med mina barn"),
            ],
        ),
        (1, &[("voice", "4"), ("works", "no"), ("alone", "2")]),
        (
            2,
            &[
                ("voice", "3"),
                ("works", "yes"),
                ("hours", "10"),
                ("alone", "3"),
            ],
        ),
        (
            3,
            &[
                ("voice", "2"),
                ("works", "yes"),
                ("hours", "20"),
                ("alone", "4"),
            ],
        ),
        (
            4,
            &[
                ("voice", "1"),
                ("works", "yes"),
                ("hours", "30"),
                ("alone", "5"),
            ],
        ),
        (
            5,
            &[
                ("voice", "3"),
                ("works", "yes"),
                ("hours", "40"),
                ("alone", "1"),
            ],
        ),
        (
            6,
            &[
                ("voice", "2"),
                ("works", "no"),
                ("alone", "2"),
                ("comment", "Min granne hjälper mig"),
            ],
        ),
        (
            7,
            &[
                ("voice", "4"),
                ("works", "yes"),
                ("hours", "16"),
                ("alone", "2"),
            ],
        ),
        (
            8,
            &[
                ("voice", "5"),
                ("works", "no"),
                ("alone", "5"),
                ("comment", "Jag heter Nadia"),
            ],
        ),
        (9, &[("voice", "5"), ("works", "no"), ("alone", "5")]),
    ];
    for (n, pairs) in &plan[..3] {
        answer(&h, &coach, ids[*n], id, "", pairs).await;
    }

    // Three answers: counts are "fewer than five", and no mean is shown.
    let results = h
        .app
        .questionnaire_results(&evaluator, id, None)
        .await
        .expect("results");
    assert_eq!(results.k, 5);
    let outside = &results.waves[0];
    assert_eq!(outside.answered, Cell::Few);
    assert_eq!(outside.scores[0].n, Cell::Few);
    assert_eq!(outside.scores[0].mean, None);
    let voice = item(outside, "voice");
    assert_eq!(voice.n, Cell::Few);
    assert_eq!(voice.mean, None);
    assert_eq!(
        voice.counts,
        vec![
            (step_sv(1), Cell::Count(0)),
            (step_sv(2), Cell::Count(0)),
            (step_sv(3), Cell::Few),
            (step_sv(4), Cell::Few),
            (step_sv(5), Cell::Few),
        ]
    );

    for (n, pairs) in &plan[3..] {
        answer(&h, &coach, ids[*n], id, "", pairs).await;
    }
    // Ursula answers four more times outside the waves.
    for _ in 0..4 {
        answer(&h, &coach, ids[7], id, "", plan[7].1).await;
    }

    // Fourteen answers by ten women; outside the waves each woman's latest
    // answer counts (a count is of women, never of one woman's repeats).
    // Empowerment (voice + 6 - alone) / 2: 5, 4, 3, 2, 1, 4, 3, Ursula 4,
    // Nadia and Nawal 3 each: 32 / 10. Voice: 5 + 4 + 3 + 2 + 1 + 3 + 2 +
    // 4 + 5 + 5 = 34 / 10. Hours of the five working: 10 + 20 + 30 + 40 +
    // 16 = 116, mean 23.2.
    let results = h
        .app
        .questionnaire_results(&evaluator, id, None)
        .await
        .expect("results");
    let outside = &results.waves[0];
    assert_eq!(outside.answered, Cell::Count(10));
    assert_eq!(outside.scores[0].n, Cell::Count(10));
    assert!(
        close(outside.scores[0].mean, 32.0 / 10.0),
        "{:?}",
        outside.scores[0].mean
    );
    let voice = item(outside, "voice");
    assert!(close(voice.mean, 34.0 / 10.0), "{:?}", voice.mean);
    assert_eq!(
        voice.counts,
        vec![
            (step_sv(1), Cell::Few),
            (step_sv(2), Cell::Few),
            (step_sv(3), Cell::Few),
            (step_sv(4), Cell::Few),
            (step_sv(5), Cell::Few),
        ],
        "Ursula's five answers count once"
    );
    let works = item(outside, "works");
    assert_eq!(
        works.counts,
        vec![
            ("Ja".to_string(), Cell::Count(5)),
            ("Nej".to_string(), Cell::Count(5))
        ]
    );
    assert_eq!(works.mean, None, "a choice has no mean");
    let hours = item(outside, "hours");
    assert_eq!(hours.n, Cell::Count(5));
    assert!(close(hours.mean, 23.2), "{:?}", hours.mean);

    // The export: only the eight consented, under their research pseudonyms.
    let x = h
        .app
        .research_answers(&evaluator, id, request(KEY, "5"))
        .await
        .expect("answers export");
    assert_eq!(x.k, 5);
    assert_eq!(x.wide.len(), 12, "six, Sagal once, Ursula five times");
    let exported: BTreeSet<String> = x.wide.iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        exported, consented,
        "the same pseudonyms as the research export"
    );
    assert!(x.long.iter().all(|l| consented.contains(&l[0])));
    let again = h
        .app
        .research_answers(&evaluator, id, request(KEY, "5"))
        .await
        .expect("answers export");
    assert_eq!(again.wide, x.wide, "stable per key");
    let other = h
        .app
        .research_answers(&evaluator, id, request("en helt annan nyckel", "5"))
        .await
        .expect("answers export");
    let others: BTreeSet<String> = other.wide.iter().map(|r| r[0].clone()).collect();
    assert!(
        others.is_disjoint(&consented),
        "another key, other pseudonyms"
    );

    // Suppressed groups show "*"; every visible combination occurs at
    // least k times.
    let quasi = |r: &Vec<String>| r[1..5].to_vec();
    let stars = x.wide.iter().filter(|r| r[1..5].iter().all(|v| v == "*"));
    assert_eq!(stars.count(), x.suppressed_rows);
    assert!(x.suppressed_rows >= 1, "Sagal alone is suppressed");
    assert!(x
        .wide
        .iter()
        .all(|r| r[1..5].iter().all(|v| v == "*") || r[1..5].iter().all(|v| v != "*")));
    let mut rows_per: HashMap<Vec<String>, usize> = HashMap::new();
    for r in x.wide.iter().filter(|r| r[1] != "*") {
        *rows_per.entry(quasi(r)).or_default() += 1;
    }
    let women_per = women_per_visible(&x);
    assert!(rows_per.values().all(|n| *n >= 5));
    let alike_quasi = vec![
        "35-44".to_string(),
        "middle_east".into(),
        "woman".into(),
        "2026".into(),
    ];
    assert_eq!(rows_per.get(&alike_quasi), Some(&6));
    assert!(x.wide.iter().all(|r| r[1..5]
        != [
            "25-34".to_string(),
            "africa".into(),
            "woman".into(),
            "2026".into()
        ]));

    // No free text: not a variable, not a long row, not a cell; listed as
    // left out.
    assert_eq!(x.left_out, vec!["comment".to_string()]);
    assert!(x.variables.iter().all(|v| v.name != "comment"));
    assert!(x.long.iter().all(|l| l[3] != "comment"));
    for words in ["Fittja", "granne", "Nadia"] {
        assert!(
            x.wide.iter().flatten().all(|c| !c.contains(words))
                && x.long.iter().flatten().all(|c| !c.contains(words)),
            "{words} is her own words"
        );
    }

    // Evaluators only; bad requests name the field.
    forbidden(h.app.research_answers(&coach, id, request(KEY, "5")).await);
    forbidden(
        h.app
            .research_answers(&h.ctx(COORDINATOR).await, id, request(KEY, "5"))
            .await,
    );
    assert_invalid(
        h.app
            .research_answers(&evaluator, id, request("kort", "5"))
            .await,
        "key",
        "error-export-key",
    );
    not_found(
        h.app
            .research_answers(&evaluator, 999_999, request(KEY, "5"))
            .await,
    );

    // The demo's own questionnaire, answered by seeded women at intake and
    // exit: only those with a research consent in force, under their
    // research export pseudonyms.
    let demo = h
        .app
        .instruments(&evaluator)
        .await
        .expect("list")
        .into_iter()
        .find(|i| i.name == "egenmakt")
        .expect("the demo's questionnaire");
    let seeded = h
        .app
        .research_answers(&evaluator, demo.id, request(KEY, "5"))
        .await
        .expect("answers export");
    let theirs: BTreeSet<String> = seeded.wide.iter().map(|r| r[0].clone()).collect();
    assert!(!theirs.is_empty());
    assert!(theirs.is_subset(&after), "research-consented women only");
    assert!(theirs.is_disjoint(&consented), "none of ours answered it");
    assert!((seeded.wide.len() as i64) < demo.responses);
    assert_eq!(seeded.left_out, vec!["own_words".to_string()]);
    assert!(seeded.long.iter().all(|l| l[3] != "own_words"));
    let mut seeded_rows: HashMap<Vec<String>, usize> = HashMap::new();
    for r in seeded.wide.iter().filter(|r| r[1] != "*") {
        *seeded_rows.entry(quasi(r)).or_default() += 1;
    }
    assert!(seeded_rows.values().all(|n| *n >= 5));

    // k counts women, not answers. Ursula's five
    // answers make a combination of one woman, which must be suppressed
    // (with Sagal's, six rows in two groups); in the demo's export a woman
    // answering at intake and at exit counts once, not twice.
    let ursula = vec![
        "65+".to_string(),
        "americas".into(),
        "woman".into(),
        "2026".into(),
    ];
    let mut broken = Vec::new();
    if rows_per.contains_key(&ursula) {
        broken.push(format!(
            "one woman's {} answers are a visible combination {ursula:?}",
            rows_per[&ursula]
        ));
    }
    if (x.suppressed_rows, x.suppressed_groups) != (6, 2) {
        broken.push(format!(
            "suppressed rows and groups are {:?}, not (6, 2)",
            (x.suppressed_rows, x.suppressed_groups)
        ));
    }
    for (export, per) in [
        ("ours", women_per),
        ("the demo's", women_per_visible(&seeded)),
    ] {
        for (q, w) in per.iter().filter(|(_, w)| w.len() < 5) {
            broken.push(format!("{export}: {q:?} is visible with {} women", w.len()));
        }
    }
    broken.sort();
    assert!(
        broken.is_empty(),
        "every visible combination is at least k women: {broken:#?}"
    );
}

/// The codebook describes the export's columns, in order.
pub(crate) async fn the_codebook_matches_the_export_columns(h: H) {
    h.seed().await;
    let evaluator = h.ctx(EVALUATOR).await;
    let kim = h.signed(COACH).await;
    let coach = kim.ctx(IP);
    let kommun = kim.user.organisation_id;
    let id = published(&h, &evaluator).await;
    let names = ["Amina", "Bahja", "Caaisha", "Deeqa", "Ebyan"];
    let mut women = Vec::new();
    for (n, given) in names.iter().enumerate() {
        let her = register_woman(
            &h,
            &coach,
            kommun,
            &Woman {
                given,
                born: "19880420",
                serial: 502 + 2 * n as u16,
                country: "Irak",
            },
        )
        .await;
        research_consent(&h, &coach, her).await;
        women.push(her);
    }
    // Woman i (1..5): voice i, alone 3; the even ones work 10 i hours.
    let voices = ["1", "2", "3", "4", "5"];
    let hours = ["", "20", "", "40", ""];
    let pairs = |n: usize, trust: Option<&'static str>| {
        let mut p: Vec<(&str, &str)> = vec![("voice", voices[n]), ("alone", "3")];
        if hours[n].is_empty() {
            p.push(("works", "no"));
        } else {
            p.push(("works", "yes"));
            p.push(("hours", hours[n]));
        }
        p.push(("comment", "Hemligt"));
        if let Some(t) = trust {
            p.push(("trust", t));
        }
        p
    };
    for (n, her) in women.iter().enumerate() {
        answer(&h, &coach, *her, id, "", &pairs(n, None)).await;
    }
    h.app
        .upload_instrument(&evaluator, &egenmakt_v2())
        .await
        .expect("version 2");
    h.app
        .publish_instrument(&evaluator, id, 2)
        .await
        .expect("publish 2");
    for (n, her) in women.iter().enumerate() {
        answer(&h, &coach, *her, id, "", &pairs(n, Some("5"))).await;
    }

    let x = h
        .app
        .research_answers(&evaluator, id, request(KEY, "5"))
        .await
        .expect("answers export");
    let names: Vec<&str> = x.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "pseudonym",
            "age_group",
            "region",
            "gender",
            "intake_year",
            "wave",
            "version",
            "language",
            "mode",
            "voice",
            "works",
            "hours",
            "alone",
            "empowerment",
            "trust",
        ],
        "the oldest version's variables first, so a column keeps its place when a version adds one"
    );
    assert_eq!(x.wide.len(), 10);
    assert!(x.wide.iter().all(|r| r.len() == x.variables.len()));
    assert!(
        x.wide
            .windows(2)
            .all(|w| (&w[0][0], &w[0][5]) <= (&w[1][0], &w[1][5])),
        "sorted by pseudonym and wave"
    );
    let var = |name: &str| &x.variables[column(&x, name)];
    let kinds: Vec<(&str, VarKind)> = x
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("pseudonym", VarKind::Text),
            ("age_group", VarKind::Text),
            ("region", VarKind::Text),
            ("gender", VarKind::Text),
            ("intake_year", VarKind::Text),
            ("wave", VarKind::Text),
            ("version", VarKind::Number),
            ("language", VarKind::Text),
            ("mode", VarKind::Text),
            ("voice", VarKind::Coded),
            ("works", VarKind::Text),
            ("hours", VarKind::Number),
            ("alone", VarKind::Coded),
            ("empowerment", VarKind::Number),
            ("trust", VarKind::Coded),
        ]
    );
    // Value labels in Swedish; the latest version's wording.
    assert_eq!(
        var("voice").values,
        (1..=5)
            .map(|v| (v.to_string(), step_sv(v)))
            .collect::<Vec<_>>()
    );
    assert_eq!(var("voice").label, "Jag blir lyssnad på");
    assert_eq!(
        var("works").values,
        vec![
            ("yes".to_string(), "Ja".to_string()),
            ("no".to_string(), "Nej".to_string())
        ]
    );
    assert!(var("hours").values.is_empty());
    assert_eq!(var("hours").label, "Timmar per vecka");
    assert!(var("empowerment").values.is_empty());
    assert_eq!(var("empowerment").label, "Egenmakt");
    assert_eq!(var("trust").versions, "2");
    assert_eq!(var("pseudonym").versions, "");
    assert_eq!(x.left_out, vec!["comment".to_string()]);

    // Every long row names a variable, and holds what its wide row holds.
    let names: BTreeSet<&str> = x.variables.iter().map(|v| v.name.as_str()).collect();
    let (voice, version, emp) = (
        column(&x, "voice"),
        column(&x, "version"),
        column(&x, "empowerment"),
    );
    for l in &x.long {
        assert!(names.contains(l[3].as_str()), "{l:?}");
        let matching: Vec<&Vec<String>> = x
            .wide
            .iter()
            .filter(|r| r[0] == l[0] && r[5] == l[1] && r[version] == l[2])
            .collect();
        assert_eq!(matching.len(), 1, "{l:?}");
        assert_eq!(matching[0][column(&x, &l[3])], l[4], "{l:?}");
    }
    // Every non-empty answer or score cell is a long row.
    let answer_cells = x
        .wide
        .iter()
        .map(|r| r[9..].iter().filter(|c| !c.is_empty()).count())
        .sum::<usize>();
    assert_eq!(x.long.len(), answer_cells);

    // Each row scored by its own version: version 1 (voice + 6 - 3) / 2,
    // version 2 (voice + 3 + 5) / 3.
    let v1 = ["2", "2.5", "3", "3.5", "4"];
    let v2 = ["3", "3.3333", "3.6667", "4", "4.3333"];
    for r in &x.wide {
        let n: usize = r[voice].parse::<usize>().expect("voice") - 1;
        assert_eq!(r[column(&x, "hours")], hours[n]);
        assert_eq!(
            r[column(&x, "works")],
            if hours[n].is_empty() { "no" } else { "yes" }
        );
        assert_eq!(
            (
                &r[5][..],
                &r[column(&x, "language")][..],
                &r[column(&x, "mode")][..]
            ),
            ("", "ar", "with_staff")
        );
        match r[version].as_str() {
            "1" => {
                assert_eq!(r[emp], v1[n]);
                assert_eq!(r[column(&x, "trust")], "");
            }
            "2" => {
                assert_eq!(r[emp], v2[n]);
                assert_eq!(r[column(&x, "trust")], "5");
            }
            other => panic!("version {other}"),
        }
        assert_eq!(
            r[1..5],
            [
                "35-44".to_string(),
                "middle_east".into(),
                "woman".into(),
                "2026".into()
            ]
        );
    }

    // A draft waiting to be published changes nothing in the export: no
    // column of its own, no label of its own.
    let mut draft = egenmakt_v2();
    draft.sections[0].items[0].label = labels("Utkastets fråga", "A draft's question", "سؤال");
    draft.sections[0].items.push(scale(
        "draft_only",
        labels("Bara i utkastet", "Only in the draft", "في المسودة فقط"),
    ));
    let up = h
        .app
        .upload_instrument(&evaluator, &draft)
        .await
        .expect("a draft");
    assert_eq!((up.version, up.replaced_draft), (3, false));
    let y = h
        .app
        .research_answers(&evaluator, id, request(KEY, "5"))
        .await
        .expect("answers export");
    assert_eq!(y.wide.len(), x.wide.len(), "the draft has no answers");
    assert_eq!(y.long, x.long);

    // The versions a variable occurs in are listed
    // in ascending order, and a draft is not part of the codebook.
    let mut broken = Vec::new();
    for (name, want) in [
        ("voice", "1, 2"),
        ("empowerment", "1, 2"),
        ("alone", "1, 2"),
    ] {
        if var(name).versions != want {
            broken.push(format!(
                "{name} occurs in versions {:?}, not {want:?}",
                var(name).versions
            ));
        }
    }
    if y.variables != x.variables {
        broken.push(format!(
            "with a draft, the codebook became {:?}",
            y.variables
                .iter()
                .filter(|v| !x.variables.contains(v))
                .map(|v| (&v.name, &v.label, &v.versions))
                .collect::<Vec<_>>()
        ));
    }
    if y.wide != x.wide {
        broken.push(format!(
            "with a draft, the wide rows have {} columns, not {}",
            y.wide[0].len(),
            x.wide[0].len()
        ));
    }
    assert!(broken.is_empty(), "the codebook: {broken:#?}");
}
