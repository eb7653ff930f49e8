//! The indicator library, goal status with projection, and the analyses
//! behind the dashboards: inflow against plan, time to job or studies
//! (Kaplan–Meier) and outcome by time in the programme.
//!
//! Everything here is computed from [`Facts`], one small record per
//! participant, and judged on a `today` the caller passes. What a figure
//! counts is a [`Slice`]: the same conditions are evaluated here, to count,
//! and by the store in SQL, to list the participants behind a figure, so a
//! figure and its list cannot disagree (a store test checks it).
//!
//! Definitions (product.md), for participants linked to the project (or all
//! of the partnership's participants):
//! - *enrolled*: intake date within the period (and not after today);
//! - *ended*: exit date within the period (and not after today);
//! - *share to job or studies*: ended with an outcome of employment of any
//!   kind or studies ÷ all ended; *share to job* and *to studies* likewise;
//! - *active now*: status enrolled, active or paused, whatever the period;
//! - *inflow per month*: enrolled ÷ calendar months of the period so far;
//! - *time in the programme*: the median, over those ended, of the days from
//!   intake to exit less the days on pause;
//! - *attendance rate*: over those enrolled, sessions attended ÷ sessions
//!   recorded for them (present, absent with notice, absent);
//! - *hours per participant*: over those enrolled, hours attended and
//!   recorded as individual activities ÷ those enrolled;
//! - *share with a plan in time*: of those enrolled at least
//!   [`PLAN_WITHIN_DAYS`] days ago, those whose first individual plan was
//!   written within that many days of intake;
//! - *share with improved self-assessment*: of those enrolled who have made
//!   at least two self-assessments, those whose latest total is higher than
//!   their first;
//! - *placements started*: those whose first placement with an employer
//!   started within the period;
//! - *time to first placement*: the median, over those, of the days from
//!   intake to that placement's start;
//! - *share to a job after a placement*: of those ended who had a placement
//!   that started by their exit, those who ended to employment of any kind;
//! - *internships started*: those whose first internship started within
//!   the period;
//! - *internships completed*: those whose first internship to end ended
//!   within the period (and by today);
//! - *share to a job within three months of an internship*: of those whose
//!   first internship ended within the period at least
//!   [`JOB_AFTER_INTERNSHIP_DAYS`] days ago, those who got a job from the
//!   day that internship started to that many days after it ended: an exit
//!   to employment of any kind, or the start of their first job placement.
//!
//! Employers and openings are counted apart from the participants (see
//! [`EmployerIndicator`]): *active employers*, those with a contact logged
//! or a placement running within the period; *openings filled*, openings
//! marked filled within the period.
//!
//! For a project, attendance and hours count the project's interventions
//! only; for the partnership, every intervention.

use crate::employer::Industry;
use crate::lifecycle::{ExitOutcome, Status};
use crate::palette::days_between;
use crate::values::{text_enum, Gender};
use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;

text_enum!(
    /// An indicator of the library; its definition is written in the UI
    /// (message `indicator-<key>-definition`).
    Indicator, "indicator" {
        Enrolled = "enrolled",
        InflowPerMonth = "inflow_per_month",
        ActiveNow = "active_now",
        Ended = "ended",
        ShareJobOrStudies = "share_job_or_studies",
        ShareJob = "share_job",
        ShareStudies = "share_studies",
        MedianDays = "median_days",
        ShareFollowedUp = "share_followed_up",
        AttendanceRate = "attendance_rate",
        HoursPerParticipant = "hours_per_participant",
        SharePlanInTime = "share_plan_in_time",
        ShareSelfAssessmentImproved = "share_self_assessment_improved",
        PlacementsStarted = "placements_started",
        MedianDaysToPlacement = "median_days_to_placement",
        ShareJobAfterPlacement = "share_job_after_placement",
        InternshipsStarted = "internships_started",
        InternshipsCompleted = "internships_completed",
        ShareJobAfterInternship = "share_job_after_internship",
    }
);

text_enum!(
    /// A count of the partnership's employers or openings over a period;
    /// its definition is written in the UI (message
    /// `employer-indicator-<key>-definition`), its drill-down is the
    /// employer or opening list so filtered.
    EmployerIndicator, "employer-indicator" {
        ActiveEmployers = "active_employers",
        OpeningsFilled = "openings_filled",
    }
);

/// Days after an internship's end within which a job counts as coming from
/// it (three months).
pub const JOB_AFTER_INTERNSHIP_DAYS: i64 = 90;

text_enum!(
    /// How a figure can be broken down.
    Breakdown, "breakdown" {
        Gender = "gender",
        AgeGroup = "age_group",
        Organisation = "organisation",
        Project = "project",
        Intervention = "intervention",
        IntakeYear = "intake_year",
        IntakeMonth = "intake_month",
        Industry = "industry",
        OccupationArea = "occupation_area",
    }
);

text_enum!(
    /// Age at intake, in the groups the funders' reports use.
    AgeGroup, "age-group" {
        Under25 = "under_25",
        From25To29 = "25_29",
        From30To39 = "30_39",
        From40To49 = "40_49",
        From50To64 = "50_64",
        From65 = "65_plus",
    }
);

text_enum!(
    /// Which exits a share counts.
    OutcomeGroup, "outcome-group" {
        JobOrStudies = "job_or_studies",
        Job = "job",
        Studies = "studies",
    }
);

/// What a value is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Percent,
    PerMonth,
    Days,
    Hours,
}

impl Indicator {
    pub fn unit(self) -> Unit {
        match self {
            Indicator::Enrolled
            | Indicator::ActiveNow
            | Indicator::Ended
            | Indicator::PlacementsStarted
            | Indicator::InternshipsStarted
            | Indicator::InternshipsCompleted => Unit::Count,
            Indicator::InflowPerMonth => Unit::PerMonth,
            Indicator::ShareJobOrStudies
            | Indicator::ShareJob
            | Indicator::ShareStudies
            | Indicator::ShareFollowedUp
            | Indicator::AttendanceRate
            | Indicator::SharePlanInTime
            | Indicator::ShareSelfAssessmentImproved
            | Indicator::ShareJobAfterPlacement
            | Indicator::ShareJobAfterInternship => Unit::Percent,
            Indicator::MedianDays | Indicator::MedianDaysToPlacement => Unit::Days,
            Indicator::HoursPerParticipant => Unit::Hours,
        }
    }

    /// Whether a goal on it is met by reaching the target from below (all
    /// but the times, where the target is a ceiling).
    pub fn higher_is_better(self) -> bool {
        !matches!(
            self,
            Indicator::MedianDays | Indicator::MedianDaysToPlacement
        )
    }

    /// Whether a goal's status can be projected from the pace so far.
    fn accumulates(self) -> bool {
        matches!(self, Indicator::Enrolled | Indicator::Ended)
    }
}

impl OutcomeGroup {
    pub fn contains(self, o: ExitOutcome) -> bool {
        match self {
            OutcomeGroup::JobOrStudies => o.is_job_or_studies(),
            OutcomeGroup::Job => o.is_job(),
            OutcomeGroup::Studies => o == ExitOutcome::Studies,
        }
    }

    /// The outcomes it contains, as stored.
    pub fn outcomes(self) -> Vec<ExitOutcome> {
        ExitOutcome::ALL
            .iter()
            .copied()
            .filter(|o| self.contains(*o))
            .collect()
    }
}

impl AgeGroup {
    pub fn of_age(age: i16) -> Self {
        match age {
            ..=24 => AgeGroup::Under25,
            25..=29 => AgeGroup::From25To29,
            30..=39 => AgeGroup::From30To39,
            40..=49 => AgeGroup::From40To49,
            50..=64 => AgeGroup::From50To64,
            _ => AgeGroup::From65,
        }
    }

    /// Inclusive bounds of the age in whole years.
    pub fn bounds(self) -> (i16, i16) {
        match self {
            AgeGroup::Under25 => (0, 24),
            AgeGroup::From25To29 => (25, 29),
            AgeGroup::From30To39 => (30, 39),
            AgeGroup::From40To49 => (40, 49),
            AgeGroup::From50To64 => (50, 64),
            AgeGroup::From65 => (65, 200),
        }
    }
}

/// Age in whole years on `on`.
pub fn age_on(birth: Date, on: Date) -> i16 {
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    on.year() - birth.year() - i16::from(before_birthday)
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    pub fn of(d: Date) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (y.len() == 4 && m.len() == 2 && (1..=12).contains(&month) && year >= 1900)
            .then_some(Self { year, month })
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A closed range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// The part of the period up to `today` (empty when it has not begun:
    /// then `end` is before `start`).
    pub fn so_far(&self, today: Date) -> Period {
        Period {
            start: self.start,
            end: self.end.min(today),
        }
    }

    pub fn days(&self) -> i64 {
        days_between(self.start, self.end) + 1
    }

    /// The calendar months the period touches, in order.
    pub fn months(&self) -> Vec<Month> {
        let mut out = Vec::new();
        if self.end < self.start {
            return out;
        }
        let (mut m, last) = (Month::of(self.start), Month::of(self.end));
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }
}

/// Days from intake within which an individual plan counts as in time.
pub const PLAN_WITHIN_DAYS: i64 = 30;

/// What the indicators need to know about one participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub id: i64,
    pub gender: Gender,
    pub birth_date: Date,
    pub organisation_id: i64,
    pub status: Status,
    pub intake: Option<Date>,
    pub exit: Option<Date>,
    pub outcome: Option<ExitOutcome>,
    /// Days on pause between intake and exit (or today).
    pub paused_days: i64,
    /// A follow-up after her exit has fallen due (by the day the facts were
    /// read).
    pub follow_up_due: bool,
    /// A follow-up after her exit has been done: she was reached. One
    /// closed as not reached is not done (what became of her is unknown),
    /// though it counts in `follow_up_due`.
    pub followed_up: bool,
    /// The day her first individual plan was written.
    pub first_plan_on: Option<Date>,
    /// Sessions attended, and sessions with attendance recorded for her.
    pub present_sessions: i64,
    pub recorded_sessions: i64,
    /// Minutes attended and recorded as individual activities.
    pub minutes: i64,
    /// The projects she is linked to (none: ordinary operations), sorted.
    pub projects: Vec<i64>,
    /// The interventions she has taken part in (enrolment ongoing,
    /// completed or discontinued), sorted.
    pub interventions: Vec<i64>,
    /// How many self-assessments she has made.
    pub self_assessments: i64,
    /// Her latest self-assessment's total less her first's.
    pub self_assessment_change: Option<i64>,
    /// The day her first placement with an employer started.
    pub first_placement_on: Option<Date>,
    /// The day her first internship started, and the day the first of her
    /// internships to end ends.
    pub first_internship_on: Option<Date>,
    pub first_internship_end: Option<Date>,
    /// The day her first job placement started.
    pub first_job_placement_on: Option<Date>,
    /// The industries of the employers of her placements and of her exit,
    /// sorted (read only for the breakdown by them).
    pub industries: Vec<Industry>,
    /// The occupation areas of her placements, sorted (read only for the
    /// breakdown by them).
    pub areas: Vec<&'static str>,
}

impl Facts {
    /// She got a job from her first internship's start to
    /// [`JOB_AFTER_INTERNSHIP_DAYS`] after its end: an exit to employment,
    /// or her first job placement, within that window.
    pub fn job_after_internship(&self) -> bool {
        let (Some(start), Some(end)) = (self.first_internship_on, self.first_internship_end) else {
            return false;
        };
        let last = end
            .checked_add(JOB_AFTER_INTERNSHIP_DAYS.days())
            .unwrap_or(end);
        let within = |d: Option<Date>| d.is_some_and(|d| start <= d && d <= last);
        (self.outcome.is_some_and(|o| o.is_job()) && within(self.exit))
            || within(self.first_job_placement_on)
    }

    /// Days from intake to exit (or `today` while she takes part), less
    /// the days on pause; `None` before intake.
    pub fn net_days(&self, today: Date) -> Option<i64> {
        // To her exit, whenever it is, or to today while she takes part.
        self.net_days_until(self.exit.map_or(today, |e| e.max(today)))
    }

    /// Days from intake to her exit or `until`, whichever comes first, less
    /// the days on pause; `None` before intake. (The pause days are those
    /// the store counted, to her exit or today.)
    pub fn net_days_until(&self, until: Date) -> Option<i64> {
        let intake = self.intake?;
        let end = self.exit.map_or(until, |e| e.min(until));
        Some((days_between(intake, end) - self.paused_days).max(0))
    }
}

/// Days on pause from a participant's pause (`true`) and resume (`false`)
/// events in the order they happened; a pause still open runs to `end` (her
/// exit, or today).
pub fn paused_days(events: &[(bool, Date)], end: Date) -> i64 {
    let mut total = 0;
    let mut since: Option<Date> = None;
    for (pause, on) in events {
        match (pause, since) {
            (true, None) => since = Some(*on),
            (false, Some(from)) => {
                total += days_between(from, (*on).min(end)).max(0);
                since = None;
            }
            _ => {}
        }
    }
    if let Some(from) = since {
        total += days_between(from, end).max(0);
    }
    total
}

/// The participants a figure counts: every condition set must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slice {
    pub intake_in: Option<Period>,
    pub exit_in: Option<Period>,
    pub outcome: Option<OutcomeGroup>,
    /// Exactly this exit outcome.
    pub exit_outcome: Option<ExitOutcome>,
    /// Status enrolled, active or paused.
    pub active: bool,
    pub gender: Option<Gender>,
    pub age_group: Option<AgeGroup>,
    pub organisation_id: Option<i64>,
    pub intake_month: Option<Month>,
    /// A follow-up has fallen due by this day.
    pub follow_up_due_by: Option<Date>,
    /// A follow-up has been done (she was reached; not reached is not done).
    pub followed_up: bool,
    /// Linked to this project.
    pub project_id: Option<i64>,
    /// Linked to no project (ordinary operations).
    pub ordinary_operations: bool,
    /// Has started this intervention.
    pub intervention_id: Option<i64>,
    pub intake_year: Option<i16>,
    /// Her first plan was written within this many days of intake.
    pub plan_within_days: Option<i64>,
    /// She has made at least two self-assessments.
    pub assessed_twice: bool,
    /// Her latest self-assessment's total is above her first's.
    pub assessment_improved: bool,
    /// Her first placement with an employer started within this period.
    pub first_placement_in: Option<Period>,
    /// She had a placement that started by her exit.
    pub placed_before_exit: bool,
    /// Her first internship started within this period.
    pub first_internship_in: Option<Period>,
    /// Her first internship to end ended within this period.
    pub internship_ended_in: Option<Period>,
    /// She got a job within three months of her first internship
    /// ([`Facts::job_after_internship`]).
    pub job_after_internship: bool,
    /// One of her placements (or her exit) was with an employer of this
    /// industry.
    pub industry: Option<Industry>,
    /// One of her placements was in this occupation area.
    pub area: Option<&'static str>,
}

pub const ACTIVE_STATUSES: [Status; 3] = [Status::Enrolled, Status::Active, Status::Paused];

impl Slice {
    pub fn contains(&self, f: &Facts) -> bool {
        let within = |p: &Option<Period>, d: Option<Date>| match p {
            None => true,
            Some(p) => d.is_some_and(|d| p.contains(d)),
        };
        within(&self.intake_in, f.intake)
            && within(&self.exit_in, f.exit)
            && self
                .outcome
                .is_none_or(|g| f.outcome.is_some_and(|o| g.contains(o)))
            && self.exit_outcome.is_none_or(|o| f.outcome == Some(o))
            && (!self.active || ACTIVE_STATUSES.contains(&f.status))
            && self.gender.is_none_or(|g| g == f.gender)
            && self.age_group.is_none_or(|g| {
                f.intake
                    .is_some_and(|i| AgeGroup::of_age(age_on(f.birth_date, i)) == g)
            })
            && self.organisation_id.is_none_or(|o| o == f.organisation_id)
            && self
                .intake_month
                .is_none_or(|m| f.intake.is_some_and(|i| Month::of(i) == m))
            && (self.follow_up_due_by.is_none() || f.follow_up_due)
            && (!self.followed_up || f.followed_up)
            && self.project_id.is_none_or(|p| f.projects.contains(&p))
            && (!self.ordinary_operations || f.projects.is_empty())
            && self
                .intervention_id
                .is_none_or(|i| f.interventions.contains(&i))
            && self
                .intake_year
                .is_none_or(|y| f.intake.is_some_and(|i| i.year() == y))
            && self
                .plan_within_days
                .is_none_or(|n| match (f.intake, f.first_plan_on) {
                    (Some(i), Some(p)) => days_between(i, p) <= n,
                    _ => false,
                })
            && (!self.assessed_twice || f.self_assessments >= 2)
            && (!self.assessment_improved || f.self_assessment_change.is_some_and(|c| c > 0))
            && within(&self.first_placement_in, f.first_placement_on)
            && (!self.placed_before_exit
                || matches!((f.first_placement_on, f.exit), (Some(p), Some(x)) if p <= x))
            && within(&self.first_internship_in, f.first_internship_on)
            && within(&self.internship_ended_in, f.first_internship_end)
            && (!self.job_after_internship || f.job_after_internship())
            && self.industry.is_none_or(|i| f.industries.contains(&i))
            && self.area.is_none_or(|a| f.areas.contains(&a))
    }

    /// This slice narrowed to one group of a breakdown.
    pub fn with_group(&self, g: Group) -> Slice {
        let mut s = self.clone();
        match g {
            Group::Gender(x) => s.gender = Some(x),
            Group::AgeGroup(x) => s.age_group = Some(x),
            Group::Organisation(x) => s.organisation_id = Some(x),
            Group::Project(Some(x)) => s.project_id = Some(x),
            Group::Project(None) => s.ordinary_operations = true,
            Group::Intervention(x) => s.intervention_id = Some(x),
            Group::IntakeYear(x) => s.intake_year = Some(x),
            Group::IntakeMonth(x) => s.intake_month = Some(x),
            Group::Industry(x) => s.industry = Some(x),
            Group::OccupationArea(x) => s.area = Some(x),
        }
        s
    }
}

/// One group of a breakdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Gender(Gender),
    AgeGroup(AgeGroup),
    Organisation(i64),
    /// A project, or ordinary operations (`None`).
    Project(Option<i64>),
    Intervention(i64),
    /// The intake cohort: the year of intake.
    IntakeYear(i16),
    IntakeMonth(Month),
    /// An employer industry (SNI 2007 section).
    Industry(Industry),
    /// An occupation area, by its code.
    OccupationArea(&'static str),
}

impl Group {
    /// The groups a participant belongs to (one, except for projects and
    /// interventions, where she may be in several, or none).
    fn of(by: Breakdown, f: &Facts) -> Vec<Group> {
        match by {
            Breakdown::Gender => vec![Group::Gender(f.gender)],
            Breakdown::AgeGroup => f
                .intake
                .map(|i| Group::AgeGroup(AgeGroup::of_age(age_on(f.birth_date, i))))
                .into_iter()
                .collect(),
            Breakdown::Organisation => vec![Group::Organisation(f.organisation_id)],
            Breakdown::Project if f.projects.is_empty() => vec![Group::Project(None)],
            Breakdown::Project => f
                .projects
                .iter()
                .map(|p| Group::Project(Some(*p)))
                .collect(),
            Breakdown::Intervention => f
                .interventions
                .iter()
                .map(|i| Group::Intervention(*i))
                .collect(),
            Breakdown::IntakeYear => f
                .intake
                .map(|i| Group::IntakeYear(i.year()))
                .into_iter()
                .collect(),
            Breakdown::IntakeMonth => f
                .intake
                .map(|i| Group::IntakeMonth(Month::of(i)))
                .into_iter()
                .collect(),
            Breakdown::Industry => f.industries.iter().map(|i| Group::Industry(*i)).collect(),
            Breakdown::OccupationArea => f.areas.iter().map(|a| Group::OccupationArea(a)).collect(),
        }
    }
}

/// The groups of a breakdown found among `facts`, in group order.
pub fn groups(by: Breakdown, facts: &[Facts]) -> Vec<Group> {
    let mut groups: Vec<Group> = facts.iter().flat_map(|f| Group::of(by, f)).collect();
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// The value of an indicator and the participants behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub indicator: Indicator,
    /// `None` when undefined (a share of nobody, a median of no one).
    pub value: Option<f64>,
    /// How many participants the figure counts (a share's numerator).
    pub count: i64,
    /// A share's denominator, or those a median or rate is taken over.
    pub base: Option<i64>,
    /// The participants counted (`count` of them).
    pub slice: Slice,
    /// The participants of the base, when there is one.
    pub base_slice: Option<Slice>,
}

fn share(part: i64, whole: i64) -> Option<f64> {
    crate::summary::percent(part, whole)
}

/// The median of a sorted slice (the mean of the middle two when even).
fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// One indicator over `facts` for `period`, judged on `today`, within
/// `within` (the whole population: `Slice::default()`).
pub fn figure(
    indicator: Indicator,
    facts: &[Facts],
    period: Period,
    today: Date,
    within: &Slice,
) -> Figure {
    let so_far = period.so_far(today);
    let count = |s: &Slice| facts.iter().filter(|f| s.contains(f)).count() as i64;
    // A share's part and whole in one pass: the part is the whole narrowed,
    // so it is checked only within the whole.
    let pair = |part: &Slice, whole: &Slice| {
        let (mut n, mut all) = (0, 0);
        for f in facts.iter().filter(|f| whole.contains(f)) {
            all += 1;
            n += i64::from(part.contains(f));
        }
        (n, all)
    };
    // A share's figure: its part and whole, and the participants of each.
    let share_figure = |part: Slice, whole: Slice| {
        let (n, all) = pair(&part, &whole);
        Figure {
            indicator,
            value: share(n, all),
            count: n,
            base: Some(all),
            slice: part,
            base_slice: Some(whole),
        }
    };
    // The period so far, less its last `days` days: those who have had the
    // time.
    let had_days = |days: i64| Period {
        start: so_far.start,
        end: so_far
            .end
            .min(today.checked_sub(days.days()).unwrap_or(today)),
    };
    let enrolled = Slice {
        intake_in: Some(so_far),
        ..within.clone()
    };
    let ended = Slice {
        exit_in: Some(so_far),
        ..within.clone()
    };
    let plain = |slice: Slice| Figure {
        indicator,
        value: Some(count(&slice) as f64),
        count: count(&slice),
        base: None,
        slice,
        base_slice: None,
    };
    match indicator {
        Indicator::Enrolled => plain(enrolled),
        Indicator::Ended => plain(ended),
        Indicator::ActiveNow => plain(Slice {
            active: true,
            ..within.clone()
        }),
        Indicator::InflowPerMonth => {
            let n = count(&enrolled);
            let months = so_far.months().len() as i64;
            Figure {
                indicator,
                value: (months > 0).then(|| (n as f64 * 10.0 / months as f64).round() / 10.0),
                count: n,
                base: Some(months),
                slice: enrolled,
                base_slice: None,
            }
        }
        Indicator::ShareJobOrStudies | Indicator::ShareJob | Indicator::ShareStudies => {
            let group = match indicator {
                Indicator::ShareJob => OutcomeGroup::Job,
                Indicator::ShareStudies => OutcomeGroup::Studies,
                _ => OutcomeGroup::JobOrStudies,
            };
            let part = Slice {
                outcome: Some(group),
                ..ended.clone()
            };
            share_figure(part, ended)
        }
        Indicator::ShareFollowedUp => {
            // Base: ended in the period with a follow-up due by today,
            // whether open, done or closed as not reached (it was due).
            // Counted: those of them with a follow-up done, i.e. reached;
            // a follow-up closed as not reached stays in the base only.
            let due = Slice {
                follow_up_due_by: Some(today),
                ..ended.clone()
            };
            let done = Slice {
                followed_up: true,
                ..due.clone()
            };
            share_figure(done, due)
        }
        Indicator::AttendanceRate => {
            let (mut present, mut recorded) = (0, 0);
            for f in facts.iter().filter(|f| enrolled.contains(f)) {
                present += f.present_sessions;
                recorded += f.recorded_sessions;
            }
            Figure {
                indicator,
                value: share(present, recorded),
                count: present,
                base: Some(recorded),
                slice: enrolled,
                base_slice: None,
            }
        }
        Indicator::HoursPerParticipant => {
            let (mut people, mut minutes) = (0, 0);
            for f in facts.iter().filter(|f| enrolled.contains(f)) {
                people += 1;
                minutes += f.minutes;
            }
            Figure {
                indicator,
                value: (people > 0)
                    .then(|| (minutes as f64 / 60.0 / people as f64 * 10.0).round() / 10.0),
                count: people,
                base: Some(people),
                slice: enrolled,
                base_slice: None,
            }
        }
        Indicator::SharePlanInTime => {
            // Those enrolled long enough ago to have had the time.
            let had_time = Slice {
                intake_in: Some(had_days(PLAN_WITHIN_DAYS)),
                ..within.clone()
            };
            let in_time = Slice {
                plan_within_days: Some(PLAN_WITHIN_DAYS),
                ..had_time.clone()
            };
            share_figure(in_time, had_time)
        }
        Indicator::ShareSelfAssessmentImproved => {
            let twice = Slice {
                assessed_twice: true,
                ..enrolled.clone()
            };
            let improved = Slice {
                assessment_improved: true,
                ..twice.clone()
            };
            share_figure(improved, twice)
        }
        Indicator::PlacementsStarted => plain(Slice {
            first_placement_in: Some(so_far),
            ..within.clone()
        }),
        Indicator::MedianDaysToPlacement => {
            let started = Slice {
                first_placement_in: Some(so_far),
                ..within.clone()
            };
            let mut days: Vec<i64> = facts
                .iter()
                .filter(|f| started.contains(f))
                .filter_map(|f| Some(days_between(f.intake?, f.first_placement_on?).max(0)))
                .collect();
            days.sort_unstable();
            Figure {
                indicator,
                value: median(&days),
                count: days.len() as i64,
                base: Some(days.len() as i64),
                slice: started,
                base_slice: None,
            }
        }
        Indicator::ShareJobAfterPlacement => {
            let placed = Slice {
                placed_before_exit: true,
                ..ended.clone()
            };
            let job = Slice {
                outcome: Some(OutcomeGroup::Job),
                ..placed.clone()
            };
            share_figure(job, placed)
        }
        Indicator::InternshipsStarted => plain(Slice {
            first_internship_in: Some(so_far),
            ..within.clone()
        }),
        Indicator::InternshipsCompleted => plain(Slice {
            internship_ended_in: Some(so_far),
            ..within.clone()
        }),
        Indicator::ShareJobAfterInternship => {
            // Those whose internship ended long enough ago to have had the
            // three months.
            let had_time = Slice {
                internship_ended_in: Some(had_days(JOB_AFTER_INTERNSHIP_DAYS)),
                ..within.clone()
            };
            let job = Slice {
                job_after_internship: true,
                ..had_time.clone()
            };
            share_figure(job, had_time)
        }
        Indicator::MedianDays => {
            let mut days: Vec<i64> = facts
                .iter()
                .filter(|f| ended.contains(f))
                .filter_map(|f| f.net_days(today))
                .collect();
            days.sort_unstable();
            Figure {
                indicator,
                value: median(&days),
                count: days.len() as i64,
                base: Some(days.len() as i64),
                slice: ended,
                base_slice: None,
            }
        }
    }
}

impl Breakdown {
    /// The breakdown the time-to-job-or-studies curves are drawn by:
    /// monthly cohorts are too many curves to read, so one per intake year.
    pub fn for_curves(self) -> Breakdown {
        match self {
            Breakdown::IntakeMonth => Breakdown::IntakeYear,
            other => other,
        }
    }
}

/// An indicator broken down into groups, each with its own figure, in
/// group order.
pub fn breakdown(
    indicator: Indicator,
    by: Breakdown,
    facts: &[Facts],
    period: Period,
    today: Date,
) -> Vec<(Group, Figure)> {
    groups(by, facts)
        .into_iter()
        .map(|g| {
            let within = Slice::default().with_group(g);
            (g, figure(indicator, facts, period, today, &within))
        })
        .filter(|(_, f)| f.count > 0 || f.base.is_some_and(|b| b > 0))
        .collect()
}

/// A goal: an indicator with a target over a period.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub id: i64,
    pub project_id: Option<i64>,
    pub indicator: Indicator,
    pub target: f64,
    pub period: Period,
}

/// Where a goal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalState {
    /// The period has not begun.
    NotStarted,
    /// The target is met.
    Reached,
    /// Not met yet, but the pace so far reaches it by the end.
    OnTrack,
    /// The projection falls short: the early warning.
    Behind,
    /// The period is over and the target was not met.
    Missed,
    /// Nothing to judge yet (a share of nobody).
    NoData,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoalStatus {
    pub goal: Goal,
    pub figure: Figure,
    /// Where the value should be by now on a steady pace (accumulating
    /// indicators only).
    pub expected_by_now: Option<f64>,
    /// The value at the end of the period if the pace so far holds; for
    /// other indicators, the value now.
    pub projection: Option<f64>,
    pub state: GoalState,
}

impl GoalStatus {
    /// Whether to warn: the period runs and the projection falls short.
    pub fn warning(&self) -> bool {
        self.state == GoalState::Behind
    }
}

/// The status of `goal` on `today`.
pub fn goal_status(goal: &Goal, facts: &[Facts], today: Date) -> GoalStatus {
    let figure = figure(goal.indicator, facts, goal.period, today, &Slice::default());
    let p = goal.period;
    let meets = |v: f64| {
        if goal.indicator.higher_is_better() {
            v >= goal.target
        } else {
            v <= goal.target
        }
    };
    let (expected_by_now, projection) = if goal.indicator.accumulates() {
        let elapsed = p.so_far(today).days().clamp(0, p.days());
        let fraction = elapsed as f64 / p.days() as f64;
        (
            Some((goal.target * fraction * 10.0).round() / 10.0),
            figure
                .value
                .filter(|_| elapsed > 0)
                .map(|v| (v / fraction).round()),
        )
    } else {
        (None, figure.value)
    };
    let over = today > p.end;
    let state = if today < p.start {
        GoalState::NotStarted
    } else {
        match (figure.value, projection) {
            (Some(v), _) if meets(v) && (goal.indicator.higher_is_better() || over) => {
                GoalState::Reached
            }
            _ if over => match figure.value {
                Some(_) => GoalState::Missed,
                None => GoalState::NoData,
            },
            (_, Some(pr)) if meets(pr) => GoalState::OnTrack,
            (_, Some(_)) => GoalState::Behind,
            _ => GoalState::NoData,
        }
    };
    GoalStatus {
        goal: goal.clone(),
        figure,
        expected_by_now,
        projection,
        state,
    }
}

/// One month of inflow against plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InflowMonth {
    pub month: String,
    pub enrolled: i64,
    pub cumulative: i64,
    /// Cumulative enrolments the plan expects by the month's end (a steady
    /// pace to `target` over the period).
    pub planned_cumulative: Option<f64>,
}

/// Enrolments per month of the period so far, with the planned pace.
pub fn inflow(
    facts: &[Facts],
    period: Period,
    today: Date,
    target: Option<f64>,
) -> Vec<InflowMonth> {
    let so_far = period.so_far(today);
    let months = so_far.months();
    let mut per_month = vec![0i64; months.len()];
    for f in facts {
        if let Some(i) = f.intake.filter(|d| so_far.contains(*d)) {
            if let Ok(k) = months.binary_search(&Month::of(i)) {
                per_month[k] += 1;
            }
        }
    }
    let mut cumulative = 0;
    months
        .iter()
        .zip(per_month)
        .map(|(m, n)| {
            cumulative += n;
            let through = m.last_day().min(period.end);
            let fraction = (days_between(period.start, through) + 1) as f64 / period.days() as f64;
            InflowMonth {
                month: m.to_string(),
                enrolled: n,
                cumulative,
                planned_cumulative: target.map(|t| (t * fraction * 10.0).round() / 10.0),
            }
        })
        .collect()
}

/// Average days in a month, to turn days into months.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// One step of the time-to-job-or-studies curve.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurvivalPoint {
    /// Whole months in the programme (net of pauses).
    pub month: i64,
    /// Still taking part, without job or studies, at the month's start.
    pub at_risk: i64,
    /// Ended to job or studies during the month.
    pub events: i64,
    /// Ended otherwise, or still taking part, during the month (censored).
    pub censored: i64,
    /// Share (percent, one decimal) gone to job or studies by the month's
    /// end: 1 − the Kaplan–Meier estimate.
    pub cumulative_share: f64,
}

/// Time to job or studies for those enrolled in the period (Kaplan–Meier):
/// time is days in the programme net of pauses; the event is an exit to job
/// or studies; other exits are censored. She is followed to the end of the
/// period so far (the period's end, or `today` if sooner): still taking
/// part then, or leaving only after it, she is censored there, so a project
/// that has ended does not grow its curve month by month with those never
/// marked as ended. One point per month up to the longest time observed.
pub fn time_to_job_or_studies(facts: &[Facts], period: Period, today: Date) -> Vec<SurvivalPoint> {
    survival(facts.iter(), period, today)
}

/// The time-to-job-or-studies curve of each group of a breakdown (by
/// intake year: one curve per cohort), in group order.
pub fn time_to_job_or_studies_by(
    by: Breakdown,
    facts: &[Facts],
    period: Period,
    today: Date,
) -> Vec<(Group, Vec<SurvivalPoint>)> {
    groups(by, facts)
        .into_iter()
        .map(|g| {
            let within = Slice::default().with_group(g);
            (
                g,
                survival(facts.iter().filter(|f| within.contains(f)), period, today),
            )
        })
        .filter(|(_, points)| !points.is_empty())
        .collect()
}

fn survival<'a>(
    facts: impl Iterator<Item = &'a Facts>,
    period: Period,
    today: Date,
) -> Vec<SurvivalPoint> {
    let so_far = period.so_far(today);
    let mut obs: Vec<(i64, bool)> = facts
        .filter(|f| f.intake.is_some_and(|i| so_far.contains(i)))
        .filter_map(|f| {
            let event = f.exit.is_some_and(|e| e <= so_far.end)
                && f.outcome.is_some_and(|o| o.is_job_or_studies());
            Some((f.net_days_until(so_far.end)?, event))
        })
        .collect();
    obs.sort_unstable();
    let Some(&(longest, _)) = obs.last() else {
        return Vec::new();
    };
    let month_of = |days: i64| (days as f64 / DAYS_PER_MONTH) as i64;
    let last_month = month_of(longest);
    let mut survival = 1.0f64;
    let mut i = 0;
    let mut points = Vec::new();
    // Each observation falls in the month `month_of` gives it (a truncated
    // day bound would drop those on a month's last day).
    for month in 0..=last_month {
        let at_risk_start = (obs.len() - i) as i64;
        let (mut events, mut censored) = (0, 0);
        // Each distinct day within the month is a step of the estimator.
        while i < obs.len() && month_of(obs[i].0) <= month {
            let day = obs[i].0;
            let at_risk = (obs.len() - i) as f64;
            let mut d = 0;
            while i < obs.len() && obs[i].0 == day {
                if obs[i].1 {
                    d += 1;
                } else {
                    censored += 1;
                }
                i += 1;
            }
            if d > 0 {
                survival *= 1.0 - d as f64 / at_risk;
                events += d;
            }
        }
        points.push(SurvivalPoint {
            month,
            at_risk: at_risk_start,
            events,
            censored,
            cumulative_share: ((1.0 - survival) * 1000.0).round() / 10.0,
        });
    }
    points
}

/// Ended participants by time in the programme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DurationBand {
    /// Months, from inclusive, to exclusive (`None`: no upper bound).
    pub from_months: i64,
    pub to_months: Option<i64>,
    pub ended: i64,
    pub to_job_or_studies: i64,
    pub share: Option<f64>,
}

/// The outcome of those ended in the period, by months in the programme
/// (net of pauses) in bands of six: the evidence for "six months is too
/// short".
pub fn outcome_by_time(facts: &[Facts], period: Period, today: Date) -> Vec<DurationBand> {
    const BANDS: [(i64, Option<i64>); 5] = [
        (0, Some(6)),
        (6, Some(12)),
        (12, Some(18)),
        (18, Some(24)),
        (24, None),
    ];
    let so_far = period.so_far(today);
    let mut counts = [(0i64, 0i64); 5];
    for f in facts
        .iter()
        .filter(|f| f.exit.is_some_and(|e| so_far.contains(e)))
    {
        let Some(days) = f.net_days(today) else {
            continue;
        };
        let months = (days as f64 / DAYS_PER_MONTH) as i64;
        let k = BANDS
            .iter()
            .position(|(from, to)| months >= *from && to.is_none_or(|t| months < t))
            .unwrap_or(BANDS.len() - 1);
        counts[k].0 += 1;
        if f.outcome.is_some_and(|o| o.is_job_or_studies()) {
            counts[k].1 += 1;
        }
    }
    BANDS
        .iter()
        .zip(counts)
        .map(|((from, to), (ended, good))| DurationBand {
            from_months: *from,
            to_months: *to,
            ended,
            to_job_or_studies: good,
            share: share(good, ended),
        })
        .collect()
}

/// The share to job or studies of those ended, month by month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShareMonth {
    pub month: String,
    /// Ended from the period's start to the month's end.
    pub ended: i64,
    /// Of them, to job or studies.
    pub to_job_or_studies: i64,
    /// The share so far (percent, one decimal).
    pub share: Option<f64>,
}

/// The share to job or studies over time: for each month of the period so
/// far, of those ended since the period began, the share who went to job
/// or studies (the figure a goal on it would have shown that month).
pub fn share_over_time(facts: &[Facts], period: Period, today: Date) -> Vec<ShareMonth> {
    let so_far = period.so_far(today);
    let months = so_far.months();
    let mut per_month = vec![(0i64, 0i64); months.len()];
    for f in facts {
        if let Some(e) = f.exit.filter(|d| so_far.contains(*d)) {
            if let Ok(k) = months.binary_search(&Month::of(e)) {
                per_month[k].0 += 1;
                if f.outcome.is_some_and(|o| o.is_job_or_studies()) {
                    per_month[k].1 += 1;
                }
            }
        }
    }
    let (mut ended, mut good) = (0, 0);
    months
        .iter()
        .zip(per_month)
        .map(|(m, (e, g))| {
            ended += e;
            good += g;
            ShareMonth {
                month: m.to_string(),
                ended,
                to_job_or_studies: good,
                share: share(good, ended),
            }
        })
        .collect()
}

/// Ended participants by exit outcome, in the vocabulary's order.
pub fn exits_by_outcome(facts: &[Facts], period: Period, today: Date) -> Vec<(ExitOutcome, i64)> {
    let so_far = period.so_far(today);
    let mut counts = vec![0i64; ExitOutcome::ALL.len()];
    for f in facts
        .iter()
        .filter(|f| f.exit.is_some_and(|e| so_far.contains(e)))
    {
        if let Some(k) = f
            .outcome
            .and_then(|o| ExitOutcome::ALL.iter().position(|x| *x == o))
        {
            counts[k] += 1;
        }
    }
    ExitOutcome::ALL.iter().copied().zip(counts).collect()
}

/// The day `months` whole months after `d` (clamped to the month's end).
pub fn add_months(d: Date, months: i32) -> Date {
    d.checked_add(months.months()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use ExitOutcome as O;

    const P: Period = Period {
        start: date(2020, 1, 1),
        end: date(2020, 12, 31),
    };
    const AFTER: Date = date(2021, 6, 30);
    const MIDWAY: Date = date(2020, 6, 30);

    #[allow(clippy::too_many_arguments)]
    fn f(
        id: i64,
        gender: Gender,
        status: Status,
        intake: Option<Date>,
        exit: Option<Date>,
        outcome: Option<O>,
        paused_days: i64,
    ) -> Facts {
        Facts {
            id,
            gender,
            birth_date: date(1985, 6, 15),
            organisation_id: if id % 2 == 0 { 10 } else { 20 },
            status,
            intake,
            exit,
            outcome,
            paused_days,
            follow_up_due: exit.is_some(),
            followed_up: exit.is_some() && id % 2 == 0,
            first_plan_on: None,
            present_sessions: 0,
            recorded_sessions: 0,
            minutes: 0,
            projects: Vec::new(),
            interventions: Vec::new(),
            self_assessments: 0,
            self_assessment_change: None,
            first_placement_on: None,
            first_internship_on: None,
            first_internship_end: None,
            first_job_placement_on: None,
            industries: Vec::new(),
            areas: Vec::new(),
        }
    }

    /// Her plan, attendance (present of recorded, minutes), projects and
    /// interventions.
    fn with(
        mut x: Facts,
        plan_after_days: Option<i64>,
        (present, recorded, minutes): (i64, i64, i64),
        projects: &[i64],
        interventions: &[i64],
    ) -> Facts {
        x.first_plan_on = plan_after_days.and_then(|d| x.intake?.checked_add(d.days()).ok());
        x.present_sessions = present;
        x.recorded_sessions = recorded;
        x.minutes = minutes;
        x.projects = projects.to_vec();
        x.interventions = interventions.to_vec();
        x
    }

    /// Hand-made participants: an exit to a job; one to studies after a
    /// 30-day pause; an exit after the period; one enrolled before the
    /// period who ended in it; one reopened after an exit (active again); a
    /// referral not yet taken in; and a man who ended job-seeking.
    fn people() -> Vec<Facts> {
        use Gender::{Man, Woman};
        use Status::*;
        vec![
            f(
                1,
                Woman,
                Ended,
                Some(date(2020, 2, 10)),
                Some(date(2020, 8, 10)),
                Some(O::EmploymentUnsubsidised),
                0,
            ),
            f(
                2,
                Woman,
                Ended,
                Some(date(2020, 3, 1)),
                Some(date(2020, 12, 1)),
                Some(O::Studies),
                30,
            ),
            f(
                3,
                Woman,
                Ended,
                Some(date(2020, 5, 15)),
                Some(date(2021, 2, 1)),
                Some(O::EmploymentSubsidised),
                0,
            ),
            f(
                4,
                Woman,
                Ended,
                Some(date(2019, 11, 1)),
                Some(date(2020, 4, 1)),
                Some(O::Sickness),
                0,
            ),
            f(5, Woman, Active, Some(date(2020, 6, 1)), None, None, 0),
            f(6, Woman, Referred, None, None, None, 0),
            f(
                7,
                Man,
                Ended,
                Some(date(2020, 7, 1)),
                Some(date(2020, 9, 30)),
                Some(O::JobSeeking),
                0,
            ),
        ]
        .into_iter()
        .map(|x| match x.id {
            // A plan ten days after intake; in project 100 only.
            1 => with(x, Some(10), (8, 10, 960), &[100], &[7]),
            // In two projects; a plan after 45 days is late.
            2 => with(x, Some(45), (5, 10, 900), &[100, 200], &[7, 8]),
            // A plan on the day of intake; nothing recorded yet.
            3 => with(x, Some(0), (0, 0, 0), &[200], &[8]),
            // A plan on the thirtieth day is in time.
            5 => with(x, Some(30), (2, 4, 240), &[100], &[7]),
            // Ordinary operations, no plan.
            7 => with(x, None, (3, 6, 360), &[], &[]),
            _ => x,
        })
        .map(|mut x| {
            // Self-assessments: 1 and 2 improved, 3 fell back, 5 has only
            // one, 4 improved but entered before the period.
            (x.self_assessments, x.self_assessment_change) = match x.id {
                1 => (2, Some(4)),
                2 => (3, Some(1)),
                3 => (2, Some(-2)),
                4 => (2, Some(3)),
                5 => (1, None),
                _ => (0, None),
            };
            x
        })
        .collect()
    }

    fn ids(facts: &[Facts], s: &Slice) -> Vec<i64> {
        facts
            .iter()
            .filter(|x| s.contains(x))
            .map(|x| x.id)
            .collect()
    }

    /// Placements, computed by hand: 1 placed 30 days after intake and
    /// ended to a job; 2 placed 90 days after intake, ended to job seeking;
    /// 3 ended to a job without a placement; 4 placed after the period.
    #[test]
    fn placement_indicators_by_hand() {
        let placed = |mut x: Facts, on: Date| {
            x.first_placement_on = Some(on);
            x
        };
        let intake = Some(date(2020, 2, 1));
        let facts = vec![
            placed(
                f(
                    1,
                    Gender::Woman,
                    Status::Ended,
                    intake,
                    Some(date(2020, 9, 1)),
                    Some(O::EmploymentUnsubsidised),
                    0,
                ),
                date(2020, 3, 2),
            ),
            placed(
                f(
                    2,
                    Gender::Woman,
                    Status::Ended,
                    intake,
                    Some(date(2020, 10, 1)),
                    Some(O::JobSeeking),
                    0,
                ),
                date(2020, 5, 1),
            ),
            f(
                3,
                Gender::Woman,
                Status::Ended,
                intake,
                Some(date(2020, 11, 1)),
                Some(O::EmploymentSubsidised),
                0,
            ),
            placed(
                f(4, Gender::Woman, Status::Active, intake, None, None, 0),
                date(2021, 2, 1),
            ),
        ];
        let all = Slice::default();
        let started = figure(Indicator::PlacementsStarted, &facts, P, AFTER, &all);
        assert_eq!((started.value, started.count), (Some(2.0), 2));
        let ids = |s: &Slice| -> Vec<i64> {
            facts
                .iter()
                .filter(|x| s.contains(x))
                .map(|x| x.id)
                .collect()
        };
        assert_eq!(ids(&started.slice), vec![1, 2]);
        // 30 and 90 days: the median is 60.
        let days = figure(Indicator::MedianDaysToPlacement, &facts, P, AFTER, &all);
        assert_eq!((days.value, days.count), (Some(60.0), 2));
        // Of the three who ended, two had a placement; one of them to a job.
        let share = figure(Indicator::ShareJobAfterPlacement, &facts, P, AFTER, &all);
        assert_eq!(
            (share.value, share.count, share.base),
            (Some(50.0), 1, Some(2))
        );
        assert_eq!(ids(&share.slice), vec![1]);
        assert_eq!(ids(share.base_slice.as_ref().expect("a base")), vec![1, 2]);
        assert!(!Indicator::MedianDaysToPlacement.higher_is_better());
    }

    /// Internships (the period is 2020, judged on 2021-06-30, so every
    /// internship ended in 2020 has had its three months):
    /// 1. an internship 3 Feb – 6 Mar, then an exit to a job on 1 Jun
    ///    (87 days after its end: counts);
    /// 2. an internship 1 Jun – 3 Jul, then a job placement from 2 Oct
    ///    (91 days after: too late), ended job-seeking;
    /// 3. an internship 1 Oct – 30 Nov, a job placement from 1 Nov (during
    ///    it: counts);
    /// 4. an internship started in 2019, ended 15 Jan 2020, no job;
    /// 5. an internship started 1 Dec 2020, ending in 2021: started, not
    ///    completed within the period.
    #[test]
    fn internship_indicators_by_hand() {
        let intern = |mut x: Facts, from: Date, to: Date, job: Option<Date>| {
            x.first_internship_on = Some(from);
            x.first_internship_end = Some(to);
            x.first_placement_on = Some(from);
            x.first_job_placement_on = job;
            x.industries = vec![Industry::G];
            x.areas = vec!["sales"];
            x
        };
        let w = |id, exit: Option<Date>, outcome| {
            let status = if exit.is_some() {
                Status::Ended
            } else {
                Status::Active
            };
            f(
                id,
                Gender::Woman,
                status,
                Some(date(2019, 9, 1)),
                exit,
                outcome,
                0,
            )
        };
        let mut facts = vec![
            intern(
                w(1, Some(date(2020, 6, 1)), Some(O::EmploymentSubsidised)),
                date(2020, 2, 3),
                date(2020, 3, 6),
                None,
            ),
            intern(
                w(2, Some(date(2020, 12, 1)), Some(O::JobSeeking)),
                date(2020, 6, 1),
                date(2020, 7, 3),
                Some(date(2020, 10, 2)),
            ),
            intern(
                w(3, None, None),
                date(2020, 10, 1),
                date(2020, 11, 30),
                Some(date(2020, 11, 1)),
            ),
            intern(w(4, None, None), date(2019, 12, 2), date(2020, 1, 15), None),
            intern(w(5, None, None), date(2020, 12, 1), date(2021, 1, 8), None),
        ];
        facts[2].industries = vec![Industry::Q];
        facts[2].areas = vec!["health"];
        let all = Slice::default();
        let ids = |s: &Slice| -> Vec<i64> {
            facts
                .iter()
                .filter(|x| s.contains(x))
                .map(|x| x.id)
                .collect()
        };
        let started = figure(Indicator::InternshipsStarted, &facts, P, AFTER, &all);
        assert_eq!(ids(&started.slice), vec![1, 2, 3, 5]);
        let completed = figure(Indicator::InternshipsCompleted, &facts, P, AFTER, &all);
        assert_eq!(ids(&completed.slice), vec![1, 2, 3, 4]);
        let share = figure(Indicator::ShareJobAfterInternship, &facts, P, AFTER, &all);
        assert_eq!(
            (share.value, share.count, share.base),
            (Some(50.0), 2, Some(4))
        );
        assert_eq!(ids(&share.slice), vec![1, 3]);
        // Judged on 2021-01-15, the internship ended on 30 Nov 2020 has not
        // had its three months: it is left out of the base.
        let early = figure(
            Indicator::ShareJobAfterInternship,
            &facts,
            P,
            date(2021, 1, 15),
            &all,
        );
        assert_eq!(
            ids(early.base_slice.as_ref().expect("a base")),
            vec![1, 2, 4]
        );
        assert_eq!((early.value, early.count), (Some(33.3), 1));
        // Broken down by industry and by occupation area.
        let counted = |i: Indicator, by: Breakdown| -> Vec<(Group, i64)> {
            breakdown(i, by, &facts, P, AFTER)
                .iter()
                .map(|(g, f)| (*g, f.count))
                .collect()
        };
        assert_eq!(
            counted(Indicator::InternshipsStarted, Breakdown::Industry),
            vec![
                (Group::Industry(Industry::G), 3),
                (Group::Industry(Industry::Q), 1)
            ]
        );
        assert_eq!(
            counted(Indicator::InternshipsCompleted, Breakdown::OccupationArea),
            vec![
                (Group::OccupationArea("health"), 1),
                (Group::OccupationArea("sales"), 3)
            ]
        );
    }

    #[test]
    fn each_indicator_on_hand_computed_cases() {
        let people = people();
        // (indicator, today, value, count, base, ids counted)
        type Case = (
            Indicator,
            Date,
            Option<f64>,
            i64,
            Option<i64>,
            &'static [i64],
        );
        let cases: &[Case] = &[
            (
                Indicator::Enrolled,
                AFTER,
                Some(5.0),
                5,
                None,
                &[1, 2, 3, 5, 7],
            ),
            (
                Indicator::Enrolled,
                MIDWAY,
                Some(4.0),
                4,
                None,
                &[1, 2, 3, 5],
            ),
            // Exit 3 falls after the period; 4 entered before it.
            (Indicator::Ended, AFTER, Some(4.0), 4, None, &[1, 2, 4, 7]),
            (Indicator::Ended, MIDWAY, Some(1.0), 1, None, &[4]),
            (
                Indicator::ShareJobOrStudies,
                AFTER,
                Some(50.0),
                2,
                Some(4),
                &[1, 2],
            ),
            (
                Indicator::ShareJobOrStudies,
                MIDWAY,
                Some(0.0),
                0,
                Some(1),
                &[],
            ),
            (Indicator::ShareJob, AFTER, Some(25.0), 1, Some(4), &[1]),
            (Indicator::ShareStudies, AFTER, Some(25.0), 1, Some(4), &[2]),
            // The reopened participant is active again; whatever the period.
            (Indicator::ActiveNow, AFTER, Some(1.0), 1, None, &[5]),
            (
                Indicator::InflowPerMonth,
                AFTER,
                Some(0.4),
                5,
                Some(12),
                &[1, 2, 3, 5, 7],
            ),
            (
                Indicator::InflowPerMonth,
                MIDWAY,
                Some(0.7),
                4,
                Some(6),
                &[1, 2, 3, 5],
            ),
            // 91, 152, 182 and 275 − 30 = 245 days: the median is 167.
            (
                Indicator::MedianDays,
                AFTER,
                Some(167.0),
                4,
                Some(4),
                &[1, 2, 4, 7],
            ),
            (Indicator::MedianDays, MIDWAY, Some(152.0), 1, Some(1), &[4]),
            // 18 of 30 recorded sessions, over those enrolled.
            (
                Indicator::AttendanceRate,
                AFTER,
                Some(60.0),
                18,
                Some(30),
                &[1, 2, 3, 5, 7],
            ),
            // 2,460 minutes = 41 hours over five enrolled.
            (
                Indicator::HoursPerParticipant,
                AFTER,
                Some(8.2),
                5,
                Some(5),
                &[1, 2, 3, 5, 7],
            ),
            // Plans on day 10, 0 and 30 are in time; day 45 and none are not.
            (
                Indicator::SharePlanInTime,
                AFTER,
                Some(60.0),
                3,
                Some(5),
                &[1, 3, 5],
            ),
            // Midway, only those enrolled 30 days ago or more count (5 entered
            // on 1 June).
            (
                Indicator::SharePlanInTime,
                MIDWAY,
                Some(66.7),
                2,
                Some(3),
                &[1, 3],
            ),
            // Of 1, 2 and 3 (assessed twice, enrolled in the period), 1 and 2
            // improved.
            (
                Indicator::ShareSelfAssessmentImproved,
                AFTER,
                Some(66.7),
                2,
                Some(3),
                &[1, 2],
            ),
            // Of the four ended whose follow-up fell due, 2 and 4 were reached.
            (
                Indicator::ShareFollowedUp,
                AFTER,
                Some(50.0),
                2,
                Some(4),
                &[2, 4],
            ),
        ];
        for (ind, today, value, count, base, who) in cases {
            let fig = figure(*ind, &people, P, *today, &Slice::default());
            assert_eq!(
                (fig.value, fig.count, fig.base),
                (*value, *count, *base),
                "{ind} on {today}"
            );
            assert_eq!(&ids(&people, &fig.slice), who, "{ind} on {today}: who");
        }
    }

    #[test]
    fn a_share_of_nobody_and_a_median_of_no_one_are_undefined() {
        let none: Vec<Facts> = Vec::new();
        for ind in [Indicator::ShareJobOrStudies, Indicator::MedianDays] {
            assert_eq!(figure(ind, &none, P, AFTER, &Slice::default()).value, None);
        }
        let before = Period {
            start: date(2030, 1, 1),
            end: date(2030, 12, 31),
        };
        assert_eq!(
            figure(
                Indicator::InflowPerMonth,
                &none,
                before,
                AFTER,
                &Slice::default()
            )
            .value,
            None
        );
    }

    #[test]
    fn breakdowns_split_the_figure_and_narrow_its_participants() {
        let people = people();
        let by_gender = breakdown(Indicator::Enrolled, Breakdown::Gender, &people, P, AFTER);
        let got: Vec<(Group, Option<f64>, Vec<i64>)> = by_gender
            .iter()
            .map(|(g, fig)| (*g, fig.value, ids(&people, &fig.slice)))
            .collect();
        assert_eq!(
            got,
            vec![
                (Group::Gender(Gender::Woman), Some(4.0), vec![1, 2, 3, 5]),
                (Group::Gender(Gender::Man), Some(1.0), vec![7]),
            ]
        );
        let by_org = breakdown(
            Indicator::ShareJobOrStudies,
            Breakdown::Organisation,
            &people,
            P,
            AFTER,
        );
        let got: Vec<(Group, Option<f64>, Option<i64>)> = by_org
            .iter()
            .map(|(g, fig)| (*g, fig.value, fig.base))
            .collect();
        // Even ids belong to organisation 10: 2 and 4 ended, 2 to studies.
        assert_eq!(
            got,
            vec![
                (Group::Organisation(10), Some(50.0), Some(2)),
                (Group::Organisation(20), Some(50.0), Some(2)),
            ]
        );
        let by_month = breakdown(
            Indicator::Enrolled,
            Breakdown::IntakeMonth,
            &people,
            P,
            AFTER,
        );
        assert_eq!(by_month.len(), 5, "Feb, Mar, May, Jun, Jul");
        let by_age = breakdown(Indicator::Enrolled, Breakdown::AgeGroup, &people, P, AFTER);
        // Born mid-June 1985: 34 at every intake in 2020, 35 from 15 June.
        assert_eq!(
            by_age
                .iter()
                .map(|(g, fig)| (*g, fig.count))
                .collect::<Vec<_>>(),
            vec![(Group::AgeGroup(AgeGroup::From30To39), 5)]
        );
    }

    #[test]
    fn breakdowns_by_project_intervention_and_cohort_allow_several_groups() {
        let people = people();
        let got = |by| -> Vec<(Group, Vec<i64>)> {
            breakdown(Indicator::Enrolled, by, &people, P, AFTER)
                .iter()
                .map(|(g, fig)| (*g, ids(&people, &fig.slice)))
                .collect()
        };
        // 2 is in both projects; 7 in ordinary operations (4 too, but she
        // entered before the period).
        assert_eq!(
            got(Breakdown::Project),
            vec![
                (Group::Project(None), vec![7]),
                (Group::Project(Some(100)), vec![1, 2, 5]),
                (Group::Project(Some(200)), vec![2, 3]),
            ]
        );
        assert_eq!(
            got(Breakdown::Intervention),
            vec![
                (Group::Intervention(7), vec![1, 2, 5]),
                (Group::Intervention(8), vec![2, 3]),
            ]
        );
        // The 2019 cohort enrolled nobody in 2020 and is left out.
        assert_eq!(
            got(Breakdown::IntakeYear),
            vec![(Group::IntakeYear(2020), vec![1, 2, 3, 5, 7])]
        );
        let hours = breakdown(
            Indicator::HoursPerParticipant,
            Breakdown::Project,
            &people,
            P,
            AFTER,
        );
        // Project 100: (960 + 900 + 240) / 60 / 3 = 11.7 hours.
        assert_eq!(
            hours
                .iter()
                .map(|(g, fig)| (*g, fig.value))
                .collect::<Vec<_>>(),
            vec![
                (Group::Project(None), Some(6.0)),
                (Group::Project(Some(100)), Some(11.7)),
                (Group::Project(Some(200)), Some(7.5)),
            ]
        );
    }

    #[test]
    fn share_over_time_follows_the_exits_month_by_month() {
        let rows = share_over_time(&people(), P, AFTER);
        let got: Vec<(&str, i64, i64, Option<f64>)> = rows
            .iter()
            .map(|r| (r.month.as_str(), r.ended, r.to_job_or_studies, r.share))
            .collect();
        // Exits: 4 in April (sickness), 1 in August (job), 7 in September
        // (job-seeking), 2 in December (studies); 3's exit is after the period.
        assert_eq!(got.len(), 12);
        assert_eq!(got[2], ("2020-03", 0, 0, None));
        assert_eq!(got[3], ("2020-04", 1, 0, Some(0.0)));
        assert_eq!(got[7], ("2020-08", 2, 1, Some(50.0)));
        assert_eq!(got[8], ("2020-09", 3, 1, Some(33.3)));
        assert_eq!(got[11], ("2020-12", 4, 2, Some(50.0)));
    }

    #[test]
    fn time_to_job_or_studies_by_group_gives_each_group_its_curve() {
        let people = people();
        let curves = time_to_job_or_studies_by(Breakdown::Gender, &people, P, AFTER);
        assert_eq!(
            curves.iter().map(|(g, _)| *g).collect::<Vec<_>>(),
            vec![Group::Gender(Gender::Woman), Group::Gender(Gender::Man)]
        );
        let totals = |points: &[SurvivalPoint]| {
            (
                points[0].at_risk,
                points.iter().map(|p| p.events).sum::<i64>(),
                points.iter().map(|p| p.censored).sum::<i64>(),
            )
        };
        // Women: 1 and 2 reached job or studies in the period; 3 only after
        // it and 5 still takes part, both censored at its end.
        assert_eq!(totals(&curves[0].1), (4, 2, 2));
        // The man ended job-seeking after 91 days: censored in month 2.
        assert_eq!(totals(&curves[1].1), (1, 0, 1));
        assert_eq!(curves[1].1.len(), 3);
        assert!(curves[1].1.iter().all(|p| p.cumulative_share == 0.0));
        // The 2019 cohort took nobody in within the period: no curve.
        let cohorts = time_to_job_or_studies_by(Breakdown::IntakeYear, &people, P, AFTER);
        assert_eq!(cohorts.len(), 1);
        assert_eq!(cohorts[0].1, time_to_job_or_studies(&people, P, AFTER));
    }

    #[test]
    fn goal_status_projects_the_pace_and_warns_when_it_falls_short() {
        let people = people();
        let goal = |indicator, target| Goal {
            id: 1,
            project_id: None,
            indicator,
            target,
            period: P,
        };
        // Midway: 4 enrolled in 182 of 366 days → 8 by the end.
        let cases: &[(Indicator, f64, Date, GoalState, Option<f64>)] = &[
            (
                Indicator::Enrolled,
                12.0,
                MIDWAY,
                GoalState::Behind,
                Some(8.0),
            ),
            (
                Indicator::Enrolled,
                8.0,
                MIDWAY,
                GoalState::OnTrack,
                Some(8.0),
            ),
            (
                Indicator::Enrolled,
                4.0,
                MIDWAY,
                GoalState::Reached,
                Some(8.0),
            ),
            (
                Indicator::Enrolled,
                12.0,
                AFTER,
                GoalState::Missed,
                Some(5.0),
            ),
            (
                Indicator::Enrolled,
                5.0,
                AFTER,
                GoalState::Reached,
                Some(5.0),
            ),
            (
                Indicator::Enrolled,
                12.0,
                date(2019, 12, 1),
                GoalState::NotStarted,
                None,
            ),
            (
                Indicator::ShareJobOrStudies,
                20.0,
                MIDWAY,
                GoalState::Behind,
                Some(0.0),
            ),
            (
                Indicator::ShareJobOrStudies,
                20.0,
                AFTER,
                GoalState::Reached,
                Some(50.0),
            ),
            (
                Indicator::ShareJobOrStudies,
                60.0,
                AFTER,
                GoalState::Missed,
                Some(50.0),
            ),
            // Time in the programme: the target is a ceiling.
            (
                Indicator::MedianDays,
                180.0,
                AFTER,
                GoalState::Reached,
                Some(167.0),
            ),
            (
                Indicator::MedianDays,
                150.0,
                AFTER,
                GoalState::Missed,
                Some(167.0),
            ),
            (
                Indicator::MedianDays,
                150.0,
                MIDWAY,
                GoalState::Behind,
                Some(152.0),
            ),
        ];
        for (ind, target, today, state, projection) in cases {
            let s = goal_status(&goal(*ind, *target), &people, *today);
            assert_eq!(
                (s.state, s.projection),
                (*state, *projection),
                "{ind} {target} on {today}"
            );
            assert_eq!(s.warning(), *state == GoalState::Behind);
        }
        let s = goal_status(&goal(Indicator::Enrolled, 12.0), &people, MIDWAY);
        assert_eq!(s.expected_by_now, Some(6.0), "12 × 182/366");
    }

    #[test]
    fn inflow_runs_month_by_month_against_the_planned_pace() {
        let rows = inflow(&people(), P, MIDWAY, Some(12.0));
        let got: Vec<(&str, i64, i64, Option<f64>)> = rows
            .iter()
            .map(|r| {
                (
                    r.month.as_str(),
                    r.enrolled,
                    r.cumulative,
                    r.planned_cumulative,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("2020-01", 0, 0, Some(1.0)),
                ("2020-02", 1, 1, Some(2.0)),
                ("2020-03", 1, 2, Some(3.0)),
                ("2020-04", 0, 2, Some(4.0)),
                ("2020-05", 1, 3, Some(5.0)),
                ("2020-06", 1, 4, Some(6.0)),
            ]
        );
    }

    #[test]
    fn kaplan_meier_censors_other_exits_and_those_still_taking_part() {
        let obs = |id, days: i64, outcome: Option<O>| {
            let intake = date(2020, 1, 1);
            let end = intake.checked_add(days.days()).expect("date");
            f(
                id,
                Gender::Woman,
                if outcome.is_some() {
                    Status::Ended
                } else {
                    Status::Active
                },
                Some(intake),
                outcome.map(|_| end),
                outcome,
                0,
            )
        };
        let today = date(2020, 1, 1).checked_add(200.days()).expect("date");
        let people = vec![
            obs(1, 40, Some(O::EmploymentUnsubsidised)),
            obs(2, 40, Some(O::Moved)),
            obs(3, 100, Some(O::Studies)),
            obs(4, 200, None),
        ];
        let curve = time_to_job_or_studies(&people, P, today);
        let got: Vec<(i64, i64, i64, i64, f64)> = curve
            .iter()
            .map(|p| (p.month, p.at_risk, p.events, p.censored, p.cumulative_share))
            .collect();
        // Day 40: 1 of 4 → S = 0.75; day 100: 1 of 2 → S = 0.375.
        assert_eq!(
            got,
            vec![
                (0, 4, 0, 0, 0.0),
                (1, 4, 1, 1, 25.0),
                (2, 2, 0, 0, 25.0),
                (3, 2, 1, 0, 62.5),
                (4, 1, 0, 0, 62.5),
                (5, 1, 0, 0, 62.5),
                (6, 1, 0, 1, 62.5),
            ]
        );
    }

    #[test]
    fn kaplan_meier_follows_an_ended_period_to_its_end_not_to_today() {
        let today = date(2026, 12, 7);
        let people = vec![
            // Never marked as ended: censored at the period's end, after
            // three months (not six years).
            f(
                1,
                Gender::Woman,
                Status::Active,
                Some(date(2020, 10, 1)),
                None,
                None,
                0,
            ),
            // To a job, but only after the period: censored at its end.
            f(
                2,
                Gender::Woman,
                Status::Ended,
                Some(date(2020, 11, 1)),
                Some(date(2021, 3, 1)),
                Some(O::EmploymentUnsubsidised),
                0,
            ),
            f(
                3,
                Gender::Woman,
                Status::Ended,
                Some(date(2020, 1, 1)),
                Some(date(2020, 2, 15)),
                Some(O::Studies),
                0,
            ),
        ];
        let curve = time_to_job_or_studies(&people, P, today);
        assert_eq!(curve, time_to_job_or_studies(&people, P, P.end));
        let got: Vec<(i64, i64, i64, i64)> = curve
            .iter()
            .map(|p| (p.month, p.at_risk, p.events, p.censored))
            .collect();
        // Month 1: 3 to studies (45 days), 2 censored (60 days); month 2: 1
        // censored (91 days).
        assert_eq!(got, vec![(0, 3, 0, 0), (1, 3, 1, 1), (2, 1, 0, 1)]);
    }

    #[test]
    fn outcome_by_time_in_bands_of_six_months() {
        let bands = outcome_by_time(&people(), P, AFTER);
        let got: Vec<(i64, i64, i64, Option<f64>)> = bands
            .iter()
            .map(|b| (b.from_months, b.ended, b.to_job_or_studies, b.share))
            .collect();
        // 91, 152 and 182 days are under six months; 245 net days is eight.
        assert_eq!(
            got,
            vec![
                (0, 3, 1, Some(33.3)),
                (6, 1, 1, Some(100.0)),
                (12, 0, 0, None),
                (18, 0, 0, None),
                (24, 0, 0, None),
            ]
        );
        let exits = exits_by_outcome(&people(), P, AFTER);
        let nonzero: Vec<_> = exits.into_iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(
            nonzero,
            vec![
                (O::EmploymentUnsubsidised, 1),
                (O::Studies, 1),
                (O::JobSeeking, 1),
                (O::Sickness, 1)
            ]
        );
    }

    #[test]
    fn pauses_add_up_and_an_open_one_runs_to_the_end() {
        let d = |m, day| date(2020, m, day);
        assert_eq!(paused_days(&[], d(12, 31)), 0);
        assert_eq!(
            paused_days(&[(true, d(3, 1)), (false, d(3, 31))], d(12, 31)),
            30
        );
        assert_eq!(
            paused_days(
                &[
                    (true, d(3, 1)),
                    (false, d(3, 11)),
                    (true, d(6, 1)),
                    (false, d(6, 6))
                ],
                d(12, 31)
            ),
            15
        );
        assert_eq!(
            paused_days(&[(true, d(12, 1))], d(12, 31)),
            30,
            "still paused"
        );
        assert_eq!(
            paused_days(&[(true, d(12, 1)), (false, d(12, 20))], d(12, 10)),
            9,
            "capped at exit"
        );
    }

    #[test]
    fn months_parse_and_print() {
        assert_eq!(
            Month::parse("2020-04").map(|m| m.to_string()).as_deref(),
            Some("2020-04")
        );
        for bad in ["2020-13", "2020-4", "20-04", "x", "2020-00", "1800-01"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(age_on(date(1985, 6, 15), date(2020, 6, 14)), 34);
        assert_eq!(age_on(date(1985, 6, 15), date(2020, 6, 15)), 35);
    }
}
