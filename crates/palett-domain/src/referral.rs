//! Referrals, a closed loop: one partner (or someone outside the
//! partnership — the employment service, social services, health care, she
//! herself) asks a partner to take a woman into an intervention, to assess
//! her, or to take her in. The referral carries its reason and what is
//! asked; the partner answers within its agreed answer time, counted in
//! working days ([`crate::workdays`]); every step is dated and attributed,
//! and the referrer sees where it ended. Which step may follow which, and
//! what each step needs, is decided here.

use crate::values::{
    code, optional_text, parse_choice, parse_choice_id, parse_flag, parse_optional_choice,
    parse_optional_choice_id, parse_past_date, required_text, text_enum, text_input, TextKind,
};
use crate::FieldErrors;
use jiff::civil::Date;
use jiff::Timestamp;

text_enum!(
    /// Who referred her: a partner of the partnership, or someone outside it.
    ReferralOrigin, "referral-origin" {
        Partner = "partner",
        EmploymentService = "employment_service",
        SocialServices = "social_services",
        HealthCare = "health_care",
        Herself = "self",
        Other = "other",
    }
);

text_enum!(
    /// What the receiving partner is asked for.
    ReferralPurpose, "referral-purpose" {
        Intervention = "intervention",
        Assessment = "assessment",
        Intake = "intake",
    }
);

text_enum!(ReferralState, "referral-state" {
    Sent = "sent",
    Received = "received",
    Accepted = "accepted",
    Declined = "declined",
    Started = "started",
    Completed = "completed",
    NotStarted = "not_started",
    SentBack = "sent_back",
    Forwarded = "forwarded",
});

impl ReferralState {
    /// The states that may follow this one.
    pub fn next(self) -> &'static [ReferralState] {
        use ReferralState::*;
        match self {
            Sent => &[Received, Accepted, Declined, SentBack, Forwarded],
            Received => &[Accepted, Declined, SentBack, Forwarded],
            Accepted => &[Started, NotStarted],
            Started => &[Completed],
            Declined | Completed | NotStarted | SentBack | Forwarded => &[],
        }
    }

    /// Whether the referral has ended here.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// Whether the receiving partner has yet to answer (accept, decline,
    /// send back or forward).
    pub fn awaits_answer(self) -> bool {
        matches!(self, ReferralState::Sent | ReferralState::Received)
    }

    /// Whether reaching this state takes a reason from [`DeclineReason`].
    pub fn needs_reason(self) -> bool {
        matches!(self, ReferralState::Declined | ReferralState::NotStarted)
    }
}

text_enum!(
    /// Why a referral was declined or did not lead to a start.
    DeclineReason, "decline-reason" {
        NotInTargetGroup = "not_in_target_group",
        NoPlace = "no_place",
        OtherSupportNeeded = "other_support_needed",
        SheDeclined = "she_declined",
        NoContact = "no_contact",
        Other = "other",
    }
);

/// A referral as stored, with the names a reader needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referral {
    pub id: i64,
    pub participant_id: i64,
    pub participant_name: String,
    pub source: ReferralOrigin,
    /// The partner that sent it; `None` when it came from outside and the
    /// receiving partner recorded it.
    pub from_organisation_id: Option<i64>,
    pub from_name: Option<String>,
    pub to_organisation_id: i64,
    pub to_name: String,
    pub purpose: ReferralPurpose,
    pub intervention_id: Option<i64>,
    pub intervention_name: Option<String>,
    pub reason: String,
    pub asked: String,
    /// The sharing consent it relies on, when it crosses partners.
    pub consent_id: Option<i64>,
    pub state: ReferralState,
    /// The day of its latest step.
    pub state_on: Date,
    pub sent_on: Date,
    /// The last day of the receiving partner's answer time.
    pub due_on: Date,
    /// The enrolment it led to.
    pub enrolment_id: Option<i64>,
    /// The referral it was forwarded as, and the one it came from.
    pub forwarded_to: Option<i64>,
    pub forwarded_to_name: Option<String>,
    pub forwarded_from: Option<i64>,
    pub created_by: String,
}

impl Referral {
    /// Still waiting for an answer after the answer time has run out.
    pub fn stale(&self, today: Date) -> bool {
        self.state.awaits_answer() && today > self.due_on
    }
}

/// One step of a referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralEvent {
    pub state: ReferralState,
    pub on: Date,
    pub reason: Option<DeclineReason>,
    pub note: Option<String>,
    pub by: Option<String>,
    pub at: Timestamp,
}

text_input!(
    /// A referral as submitted.
    ReferralInput {
        source,
        to_organisation_id,
        purpose,
        intervention_id,
        reason,
        asked,
        sent_on,
        /// A flag ("1", "true", "on"): record her sharing consent for the
        /// receiving partner in the same step (she has just given it).
        record_consent,
        consent_method,
        consent_given_on,
        /// Her notes, shared with the partners, that the referral carries.
        note_ids: Vec<String>,
    }
);

/// The most notes one referral carries.
pub const MAX_NOTES: usize = 20;

/// A sharing consent given with the referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentWithReferral {
    pub method: crate::consent::ConsentMethod,
    pub given_on: Date,
}

/// A referral to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralSpec {
    pub source: ReferralOrigin,
    pub to_organisation_id: i64,
    pub purpose: ReferralPurpose,
    pub intervention_id: Option<i64>,
    pub reason: String,
    pub asked: String,
    pub sent_on: Date,
    pub consent: Option<ConsentWithReferral>,
    /// Her shared notes it carries, each once.
    pub note_ids: Vec<i64>,
}

impl ReferralInput {
    /// Parse a referral sent on or before `today`.
    pub fn parse(&self, today: Date) -> Result<ReferralSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let source = e.take("source", parse_choice(&self.source, ReferralOrigin::parse));
        let to = e.take(
            "to_organisation_id",
            parse_choice_id(&self.to_organisation_id),
        );
        let purpose = e.take(
            "purpose",
            parse_choice(&self.purpose, ReferralPurpose::parse),
        );
        let intervention = e.take(
            "intervention_id",
            parse_optional_choice_id(&self.intervention_id),
        );
        if purpose == Some(ReferralPurpose::Intervention) && intervention == Some(None) {
            e.push("intervention_id", code::REQUIRED);
        }
        let reason = e.take("reason", required_text(&self.reason, TextKind::LINES));
        let asked = e.take("asked", required_text(&self.asked, TextKind::LINES));
        let sent_on = e.take("sent_on", parse_past_date(&self.sent_on, today));
        let record = e
            .take("record_consent", parse_flag(&self.record_consent))
            .unwrap_or(false);
        let consent = if !record {
            None
        } else {
            let method = e.take(
                "consent_method",
                parse_choice(&self.consent_method, crate::consent::ConsentMethod::parse),
            );
            let given_on = e.take(
                "consent_given_on",
                parse_past_date(&self.consent_given_on, today),
            );
            match (method, given_on) {
                (Some(method), Some(given_on)) => Some(ConsentWithReferral { method, given_on }),
                _ => None,
            }
        };
        let mut note_ids: Vec<i64> = Vec::new();
        for n in self
            .note_ids
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
        {
            match parse_choice_id(n) {
                Ok(id) if !note_ids.contains(&id) => note_ids.push(id),
                Ok(_) => {}
                Err(c) => {
                    e.push("note_ids", c);
                    break;
                }
            }
        }
        if note_ids.len() > MAX_NOTES {
            e.push("note_ids", "error-too-many-rows");
        }
        match (source, to, purpose, intervention, reason, asked, sent_on) {
            (
                Some(source),
                Some(to_organisation_id),
                Some(purpose),
                Some(intervention_id),
                Some(reason),
                Some(asked),
                Some(sent_on),
            ) if e.is_empty() => Ok(ReferralSpec {
                source,
                to_organisation_id,
                purpose,
                intervention_id,
                reason,
                asked,
                sent_on,
                consent,
                note_ids,
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// A step as submitted.
    ReferralStepInput {
        state,
        on_date,
        reason,
        note,
        /// For "started": the enrolment it led to.
        enrolment_id,
        /// For "forwarded": the partner it goes on to.
        to_organisation_id,
    }
);

/// A step to take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReferralStep {
    pub state: ReferralState,
    pub on: Date,
    pub reason: Option<DeclineReason>,
    pub note: Option<String>,
    pub enrolment_id: Option<i64>,
    pub forward_to: Option<i64>,
}

impl ReferralStepInput {
    /// Parse a step after `current` (on or before `today`, not before the
    /// day of the current state).
    pub fn parse(
        &self,
        current: ReferralState,
        since: Date,
        today: Date,
    ) -> Result<NewReferralStep, FieldErrors> {
        use ReferralState::*;
        let mut e = FieldErrors::new();
        let state = e.take("state", parse_choice(&self.state, ReferralState::parse));
        if state.is_some_and(|s| !current.next().contains(&s)) {
            e.push("state", "error-referral-order");
        }
        let on = e.take("on_date", parse_past_date(&self.on_date, today));
        if on.is_some_and(|d| d < since) {
            e.push("on_date", "error-referral-before");
        }
        let reason = e
            .take(
                "reason",
                parse_optional_choice(&self.reason, DeclineReason::parse),
            )
            .flatten();
        match (state.is_some_and(ReferralState::needs_reason), reason) {
            (true, None) if e.for_field("reason").is_none() => e.push("reason", code::REQUIRED),
            (false, Some(_)) => e.push("reason", "error-referral-reason-only"),
            _ => {}
        }
        let note = e
            .take("note", optional_text(&self.note, TextKind::LINES))
            .flatten();
        if state == Some(SentBack) && note.is_none() && e.for_field("note").is_none() {
            e.push("note", "error-referral-note-needed");
        }
        let enrolment = e
            .take("enrolment_id", parse_optional_choice_id(&self.enrolment_id))
            .flatten();
        match (state == Some(Started), enrolment) {
            (true, None) if e.for_field("enrolment_id").is_none() => {
                e.push("enrolment_id", code::REQUIRED)
            }
            (false, Some(_)) => e.push("enrolment_id", "error-referral-enrolment-only"),
            _ => {}
        }
        let forward = e
            .take(
                "to_organisation_id",
                parse_optional_choice_id(&self.to_organisation_id),
            )
            .flatten();
        match (state == Some(Forwarded), forward) {
            (true, None) if e.for_field("to_organisation_id").is_none() => {
                e.push("to_organisation_id", code::REQUIRED)
            }
            (false, Some(_)) => e.push("to_organisation_id", "error-referral-forward-only"),
            _ => {}
        }
        match (state, on) {
            (Some(state), Some(on)) if e.is_empty() => Ok(NewReferralStep {
                state,
                on,
                reason,
                note,
                enrolment_id: enrolment,
                forward_to: forward,
            }),
            _ => Err(e),
        }
    }
}

text_input!(
    /// A partner's referral routine as submitted.
    RoutineInput {
        answer_days,
        contact,
    }
);

/// The longest answer time a partner may agree, in working days.
pub const MAX_ANSWER_DAYS: i64 = 60;

/// A partner's agreed routine: working days to answer, contact point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutineSpec {
    pub answer_days: i64,
    pub contact: Option<String>,
}

impl RoutineInput {
    pub fn parse(&self) -> Result<RoutineSpec, FieldErrors> {
        let mut e = FieldErrors::new();
        let t = self.answer_days.trim();
        let days = if t.is_empty() {
            e.push("answer_days", code::REQUIRED);
            None
        } else {
            match t.parse::<i64>() {
                Ok(d) if (1..=MAX_ANSWER_DAYS).contains(&d) => Some(d),
                _ => {
                    e.push("answer_days", "error-answer-days");
                    None
                }
            }
        };
        let contact = e.take("contact", optional_text(&self.contact, TextKind::LINE));
        match (days, contact) {
            (Some(answer_days), Some(contact)) if e.is_empty() => Ok(RoutineSpec {
                answer_days,
                contact,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;
    use jiff::civil::date;
    use ReferralState::*;

    fn step(state: &str, on: &str) -> ReferralStepInput {
        ReferralStepInput {
            state: state.into(),
            on_date: on.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_loop_closes_and_nothing_goes_back_to_sent() {
        for path in [
            &[Sent, Received, Accepted, Started, Completed][..],
            &[Sent, Accepted, NotStarted],
            &[Sent, Received, Declined],
            &[Sent, SentBack],
            &[Sent, Received, Forwarded],
        ] {
            for w in path.windows(2) {
                assert!(w[0].next().contains(&w[1]), "{:?} → {:?}", w[0], w[1]);
            }
            assert!(path.last().is_some_and(|s| s.is_final()), "{path:?}");
        }
        for s in ReferralState::ALL {
            assert!(!s.next().contains(&Sent), "nothing goes back to sent");
        }
        assert!(!Sent.next().contains(&Started), "accepted before started");
        assert!(Sent.awaits_answer() && Received.awaits_answer());
        assert!(!Accepted.awaits_answer());
    }

    #[test]
    fn each_step_asks_for_what_it_needs_and_nothing_else() {
        let (since, today) = (date(2026, 11, 2), date(2026, 11, 6));
        let ok = step("received", "2026-11-03")
            .parse(Sent, since, today)
            .expect("received");
        assert_eq!((ok.state, ok.reason, ok.note), (Received, None, None));
        assert_eq!(
            codes(step("started", "2026-11-01").parse(Sent, since, today)),
            vec![
                ("state".to_string(), "error-referral-order"),
                ("on_date".to_string(), "error-referral-before"),
                ("enrolment_id".to_string(), code::REQUIRED),
            ]
        );
        assert_eq!(
            codes(step("declined", "2026-11-07").parse(Received, since, today)),
            vec![
                ("on_date".to_string(), code::DATE_FUTURE),
                ("reason".to_string(), code::REQUIRED),
            ]
        );
        assert_eq!(
            codes(step("sent_back", "2026-11-04").parse(Sent, since, today)),
            vec![("note".to_string(), "error-referral-note-needed")]
        );
        assert_eq!(
            codes(step("forwarded", "2026-11-04").parse(Received, since, today)),
            vec![("to_organisation_id".to_string(), code::REQUIRED)]
        );
        let declined = ReferralStepInput {
            reason: "no_place".into(),
            note: "Fullt till våren.".into(),
            ..step("declined", "2026-11-04")
        }
        .parse(Received, since, today)
        .expect("declined");
        assert_eq!(declined.reason, Some(DeclineReason::NoPlace));
        let misplaced = ReferralStepInput {
            reason: "no_place".into(),
            enrolment_id: "7".into(),
            to_organisation_id: "3".into(),
            ..step("accepted", "2026-11-04")
        };
        assert_eq!(
            codes(misplaced.parse(Received, since, today)),
            vec![
                ("reason".to_string(), "error-referral-reason-only"),
                ("enrolment_id".to_string(), "error-referral-enrolment-only"),
                (
                    "to_organisation_id".to_string(),
                    "error-referral-forward-only"
                ),
            ]
        );
        let started = ReferralStepInput {
            enrolment_id: "12".into(),
            ..step("started", "2026-11-05")
        }
        .parse(Accepted, since, today)
        .expect("started");
        assert_eq!(started.enrolment_id, Some(12));
    }

    #[test]
    fn a_referral_names_its_partner_reason_and_what_is_asked() {
        let today = date(2026, 11, 6);
        let input = ReferralInput {
            source: "partner".into(),
            to_organisation_id: "4".into(),
            purpose: "intervention".into(),
            intervention_id: "".into(),
            reason: "".into(),
            asked: "Plats i språkcaféet".into(),
            sent_on: "2026-11-05".into(),
            record_consent: "1".into(),
            consent_method: "".into(),
            consent_given_on: "2026-11-05".into(),
            note_ids: vec!["7".into(), "".into(), "7".into()],
        };
        assert_eq!(
            codes(input.parse(today)),
            vec![
                ("intervention_id".to_string(), code::REQUIRED),
                ("reason".to_string(), code::REQUIRED),
                ("consent_method".to_string(), code::REQUIRED),
            ]
        );
        let spec = ReferralInput {
            intervention_id: "9".into(),
            reason: "Vill träna svenska i vardagen.".into(),
            consent_method: "signed_paper".into(),
            ..input
        }
        .parse(today)
        .expect("a referral");
        assert_eq!(spec.to_organisation_id, 4);
        assert_eq!(spec.intervention_id, Some(9));
        assert_eq!(spec.note_ids, vec![7]);
        assert_eq!(spec.consent.map(|c| c.given_on), Some(date(2026, 11, 5)));
    }

    #[test]
    fn a_routine_is_one_to_sixty_working_days_and_a_contact() {
        let ok = RoutineInput {
            answer_days: " 3 ".into(),
            contact: "Mottagningen, 08-123 456".into(),
        }
        .parse()
        .expect("a routine");
        assert_eq!(ok.answer_days, 3);
        for bad in ["0", "61", "tre", "2.5"] {
            assert_eq!(
                codes(
                    RoutineInput {
                        answer_days: bad.into(),
                        contact: "".into(),
                    }
                    .parse()
                ),
                vec![("answer_days".to_string(), "error-answer-days")],
                "{bad}"
            );
        }
    }

    #[test]
    fn a_referral_past_its_answer_time_is_stale_until_answered() {
        let r = Referral {
            id: 1,
            participant_id: 2,
            participant_name: "Amal Testsson".into(),
            source: ReferralOrigin::Partner,
            from_organisation_id: Some(1),
            from_name: Some("Botkyrka kommun".into()),
            to_organisation_id: 3,
            to_name: "Hela Människan".into(),
            purpose: ReferralPurpose::Intake,
            intervention_id: None,
            intervention_name: None,
            reason: "r".into(),
            asked: "a".into(),
            consent_id: None,
            state: Sent,
            state_on: date(2026, 4, 2),
            sent_on: date(2026, 4, 2),
            due_on: date(2026, 4, 9),
            enrolment_id: None,
            forwarded_to: None,
            forwarded_to_name: None,
            forwarded_from: None,
            created_by: "Coach".into(),
        };
        assert!(!r.stale(date(2026, 4, 9)));
        assert!(r.stale(date(2026, 4, 10)));
        let answered = Referral {
            state: Accepted,
            ..r
        };
        assert!(!answered.stale(date(2026, 4, 10)));
    }
}

/// What the referral report needs of one referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralFacts {
    pub to_organisation_id: i64,
    pub state: ReferralState,
    pub sent_on: Date,
    /// The day it was accepted, declined, sent back or forwarded.
    pub answered_on: Option<Date>,
    pub accepted: bool,
    /// The day she started (the enrolment it led to).
    pub started_on: Option<Date>,
}

text_enum!(
    /// How far a referral came, as the report counts it: answered
    /// (accepted, declined, sent back or forwarded), accepted, or started
    /// (led to an enrolment). The report's figures drill down by it.
    ReferralReached, "referral-reached" {
        Answered = "answered",
        Accepted = "accepted",
        Started = "started",
    }
);

impl ReferralReached {
    /// The steps any of which makes a referral count as this far.
    pub fn steps(self) -> &'static [ReferralState] {
        match self {
            ReferralReached::Answered => &[
                ReferralState::Accepted,
                ReferralState::Declined,
                ReferralState::SentBack,
                ReferralState::Forwarded,
            ],
            ReferralReached::Accepted => &[ReferralState::Accepted],
            ReferralReached::Started => &[ReferralState::Started],
        }
    }
}

/// One line of the referral report: one receiving partner in one month
/// (the month the referrals were sent).
#[derive(Clone, Debug, PartialEq)]
pub struct ReferralReportRow {
    pub to_organisation_id: i64,
    /// The first day of the month.
    pub month: Date,
    pub sent: i64,
    pub answered: i64,
    pub accepted: i64,
    /// Started: led to an enrolment.
    pub started: i64,
    /// Accepted of answered, in per cent; `None` when none was answered.
    pub acceptance_rate: Option<f64>,
    /// Working days from sent to answered, the median of those answered.
    pub median_days_to_answer: Option<f64>,
    /// Working days from sent to started, the median of those started.
    pub median_days_to_start: Option<f64>,
    /// Started (led to an enrolment) of sent, in per cent.
    pub share_started: Option<f64>,
}

/// The median of `v` (the mean of the middle two for an even count).
pub fn median(v: &mut [i64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

/// `part` of `whole` in per cent, one decimal; `None` for an empty whole.
fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// The report's lines, by partner and month, in that order.
pub fn report(facts: &[ReferralFacts]) -> Vec<ReferralReportRow> {
    use crate::workdays::working_days_between;
    let mut keys: Vec<(i64, Date)> = facts
        .iter()
        .map(|f| (f.to_organisation_id, f.sent_on.first_of_month()))
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|(to, month)| {
            let these: Vec<&ReferralFacts> = facts
                .iter()
                .filter(|f| f.to_organisation_id == to && f.sent_on.first_of_month() == month)
                .collect();
            let sent = these.len() as i64;
            let mut answer_days: Vec<i64> = these
                .iter()
                .filter_map(|f| f.answered_on.map(|a| working_days_between(f.sent_on, a)))
                .collect();
            let mut start_days: Vec<i64> = these
                .iter()
                .filter_map(|f| f.started_on.map(|s| working_days_between(f.sent_on, s)))
                .collect();
            let answered = answer_days.len() as i64;
            let accepted = these.iter().filter(|f| f.accepted).count() as i64;
            let started = start_days.len() as i64;
            ReferralReportRow {
                to_organisation_id: to,
                month,
                sent,
                answered,
                accepted,
                started,
                acceptance_rate: percent(accepted, answered),
                median_days_to_answer: median(&mut answer_days),
                median_days_to_start: median(&mut start_days),
                share_started: percent(started, sent),
            }
        })
        .collect()
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use jiff::civil::date;

    fn facts(
        to: i64,
        sent: Date,
        answered: Option<Date>,
        accepted: bool,
        started: Option<Date>,
    ) -> ReferralFacts {
        ReferralFacts {
            to_organisation_id: to,
            state: ReferralState::Sent,
            sent_on: sent,
            answered_on: answered,
            accepted,
            started_on: started,
        }
    }

    /// Computed by hand: April 2026 at partner 3 has three referrals, sent
    /// on Maundy Thursday (answered the Tuesday after Easter: 1 working
    /// day; started Thursday 9 April: 3), on 14 April (declined on the
    /// 17th: 3) and on 20 April (not answered); May has one at partner 3
    /// (answered the same day: 0; started a week later: 4, Ascension Day
    /// on the 14th not counted) and one at partner 4.
    #[test]
    fn the_report_by_partner_and_month_by_hand() {
        let rows = report(&[
            facts(
                3,
                date(2026, 4, 2),
                Some(date(2026, 4, 7)),
                true,
                Some(date(2026, 4, 9)),
            ),
            facts(3, date(2026, 4, 14), Some(date(2026, 4, 17)), false, None),
            facts(3, date(2026, 4, 20), None, false, None),
            facts(4, date(2026, 5, 4), Some(date(2026, 5, 5)), true, None),
            facts(
                3,
                date(2026, 5, 11),
                Some(date(2026, 5, 11)),
                true,
                Some(date(2026, 5, 18)),
            ),
        ]);
        let april = &rows[0];
        assert_eq!(
            (april.to_organisation_id, april.month),
            (3, date(2026, 4, 1))
        );
        assert_eq!((april.sent, april.answered, april.accepted), (3, 2, 1));
        assert_eq!(april.acceptance_rate, Some(50.0));
        assert_eq!(april.median_days_to_answer, Some(2.0));
        assert_eq!(april.median_days_to_start, Some(3.0));
        assert_eq!(april.share_started, Some(33.3));
        let may = &rows[1];
        assert_eq!((may.to_organisation_id, may.month), (3, date(2026, 5, 1)));
        assert_eq!(
            (may.median_days_to_answer, may.median_days_to_start),
            (Some(0.0), Some(4.0))
        );
        assert_eq!(rows[2].to_organisation_id, 4);
        assert_eq!(rows[2].median_days_to_start, None);
        assert_eq!(rows[2].share_started, Some(0.0));
        assert_eq!(rows.len(), 3);
        assert_eq!(median(&mut []), None);
    }
}
