//! The palette API's response bodies: interventions, groups, sessions and
//! attendance, and the palette reports. A participant's path (plans,
//! enrolments, period, time, timeline) is in `dto_path.rs`.

use crate::http::openapi::vocab;
use crate::http::Named;
use crate::palette::dto_path::EnrolmentDto;
use palett_app::palette::{AttendanceSheet, InterventionView, Reports, Session};
use palett_domain::palette::{AttendanceStatus, Intervention, InterventionKind, SessionStatus};
use serde::Serialize;
use utoipa::ToSchema;

/// Who pays: a project, or the organisations' ordinary operations.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Funding {
    Project { project_id: i64, project: String },
    Ordinary(OrdinaryOperations),
}

/// The organisations' ordinary operations (no project).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrdinaryOperations {
    OrdinaryOperations,
}

/// An intervention of the palette (or a module of a course).
#[derive(Serialize, ToSchema)]
#[schema(as = Intervention)]
pub struct InterventionDto {
    pub id: i64,
    pub name: String,
    #[schema(value_type = vocab::InterventionKind)]
    pub kind: InterventionKind,
    /// Set for a module of a course.
    pub course_id: Option<i64>,
    pub position: i64,
    pub provider: Named,
    pub description: String,
    pub place: String,
    pub languages: Vec<String>,
    pub capacity: Option<i64>,
    pub group_based: bool,
    pub funding: Funding,
    #[schema(format = Date)]
    pub start_date: Option<String>,
    #[schema(format = Date)]
    pub end_date: Option<String>,
    #[schema(format = Date)]
    pub retired_on: Option<String>,
}

impl From<&Intervention> for InterventionDto {
    fn from(i: &Intervention) -> Self {
        Self {
            id: i.id,
            name: i.name.clone(),
            kind: i.kind,
            course_id: i.course_id,
            position: i.position,
            provider: Named::new(i.provider_organisation_id, &i.provider_name),
            description: i.description.clone(),
            place: i.place.clone(),
            languages: i.languages.clone(),
            capacity: i.capacity,
            group_based: i.group_based,
            funding: match (&i.project_id, &i.project_name) {
                (Some(id), Some(name)) => Funding::Project {
                    project_id: *id,
                    project: name.clone(),
                },
                _ => Funding::Ordinary(OrdinaryOperations::OrdinaryOperations),
            },
            start_date: i.start_date.map(|d| d.to_string()),
            end_date: i.end_date.map(|d| d.to_string()),
            retired_on: i.retired_on.map(|d| d.to_string()),
        }
    }
}

/// The palette.
#[derive(Serialize, ToSchema)]
pub struct Palette {
    pub items: Vec<InterventionDto>,
    pub total: usize,
}

/// An intervention with its modules, groups, places taken and enrolments.
#[derive(Serialize, ToSchema)]
#[schema(as = InterventionView)]
pub struct InterventionViewDto {
    #[serde(flatten)]
    pub intervention: InterventionDto,
    pub places_taken: i64,
    pub modules: Vec<InterventionDto>,
    pub groups: Vec<GroupRef>,
    /// Within the caller's access; the waiting list in order.
    pub enrolments: Vec<EnrolmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
    /// The group leader's name.
    pub leader: Option<String>,
}

impl From<&InterventionView> for InterventionViewDto {
    fn from(v: &InterventionView) -> Self {
        Self {
            intervention: (&v.intervention).into(),
            places_taken: v.places_taken,
            modules: v.modules.iter().map(InterventionDto::from).collect(),
            groups: v
                .groups
                .iter()
                .map(|g| GroupRef {
                    id: g.id,
                    name: g.name.clone(),
                    leader: g.leader_name.clone(),
                })
                .collect(),
            enrolments: v.enrolments.iter().map(EnrolmentDto::from).collect(),
        }
    }
}

/// A session of a group the caller leads, as `/my-sessions` lists it: no
/// participant in it.
#[derive(Serialize, ToSchema)]
#[schema(as = LedSession)]
pub struct LedSessionDto {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub intervention_name: String,
    #[schema(format = Date)]
    pub date: String,
    /// HH:MM.
    pub start_time: String,
    pub minutes: i64,
    pub place: String,
    #[schema(value_type = vocab::SessionStatus)]
    pub status: SessionStatus,
    /// Whether any attendance is recorded.
    pub recorded: bool,
}

impl From<&palett_app::worklist::LedSession> for LedSessionDto {
    fn from(x: &palett_app::worklist::LedSession) -> Self {
        Self {
            id: x.id,
            group_id: x.group_id,
            group_name: x.group_name.clone(),
            intervention_name: x.intervention_name.clone(),
            date: x.on_date.to_string(),
            start_time: x.start_time.clone(),
            minutes: x.minutes,
            place: x.place.clone(),
            status: x.status,
            recorded: x.recorded,
        }
    }
}

/// The caller's own sessions: those that wait for their attendance and
/// the coming ones.
#[derive(Serialize, ToSchema)]
pub struct MySessions {
    /// Held (not cancelled) in the last two weeks up to tomorrow with no
    /// attendance recorded, in time order.
    pub to_record: Vec<LedSessionDto>,
    /// From today through the next two weeks, in time order (cancelled and
    /// recorded ones too).
    pub coming: Vec<LedSessionDto>,
}

/// A session of a group.
#[derive(Serialize, ToSchema)]
#[schema(as = Session)]
pub struct SessionDto {
    pub id: i64,
    pub group_id: i64,
    #[schema(format = Date)]
    pub date: String,
    /// HH:MM.
    pub start_time: String,
    pub minutes: i64,
    pub place: String,
    #[schema(value_type = vocab::SessionStatus)]
    pub status: SessionStatus,
    pub cancel_reason: Option<String>,
    /// The date it was moved from.
    #[schema(format = Date)]
    pub moved_from: Option<String>,
    /// How many of each status are recorded.
    pub attendance: AttendanceCounts,
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceCounts {
    pub present: i64,
    pub absent_notice: i64,
    pub absent: i64,
}

impl From<&Session> for SessionDto {
    fn from(x: &Session) -> Self {
        Self {
            id: x.id,
            group_id: x.group_id,
            date: x.on_date.to_string(),
            start_time: x.start_time.clone(),
            minutes: x.minutes,
            place: x.place.clone(),
            status: x.status,
            cancel_reason: x.cancel_reason.clone(),
            moved_from: x.moved_from.map(|d| d.to_string()),
            attendance: AttendanceCounts {
                present: x.recorded.0,
                absent_notice: x.recorded.1,
                absent: x.recorded.2,
            },
        }
    }
}

/// A group and its sessions.
#[derive(Serialize, ToSchema)]
#[schema(as = Group)]
pub struct GroupDto {
    pub id: i64,
    pub name: String,
    pub intervention_id: i64,
    /// The group leader's name.
    pub leader: Option<String>,
    pub sessions: Vec<SessionDto>,
}

/// How many sessions were scheduled.
#[derive(Serialize, ToSchema)]
pub struct Scheduled {
    pub created: usize,
}

/// The attendance sheet: the group's participants on the day.
#[derive(Serialize, ToSchema)]
#[schema(as = AttendanceSheet)]
pub struct AttendanceSheetDto {
    pub session: SessionDto,
    pub group: Named,
    pub roster: Vec<RosterRow>,
}

#[derive(Serialize, ToSchema)]
pub struct RosterRow {
    pub participant_id: i64,
    pub name: String,
    /// `null` until recorded.
    #[schema(value_type = Option<vocab::AttendanceStatus>)]
    pub status: Option<AttendanceStatus>,
}

impl From<&AttendanceSheet> for AttendanceSheetDto {
    fn from(sheet: &AttendanceSheet) -> Self {
        Self {
            session: (&sheet.session).into(),
            group: Named::new(sheet.group.id, &sheet.group.name),
            roster: sheet
                .roster
                .iter()
                .map(|(p, n, st)| RosterRow {
                    participant_id: *p,
                    name: n.clone(),
                    status: *st,
                })
                .collect(),
        }
    }
}

/// The palette reports.
#[derive(Serialize, ToSchema)]
#[schema(as = PaletteReports)]
pub struct ReportsDto {
    pub attendance_by_group: Vec<GroupAttendanceDto>,
    pub sessions_per_month: Vec<MonthSessionsDto>,
    /// Hours per partner split by funding.
    pub minutes_by_partner: Vec<PartnerMinutesDto>,
    /// Interventions in use, with their waiting lists.
    pub interventions_in_use: Vec<InUseDto>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = GroupAttendance)]
pub struct GroupAttendanceDto {
    pub intervention: String,
    pub group: String,
    pub present: i64,
    pub absent_notice: i64,
    pub absent: i64,
    /// Percent; `null` when nothing is recorded.
    pub attendance_rate: Option<f64>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = MonthSessions)]
pub struct MonthSessionsDto {
    /// YYYY-MM.
    pub month: String,
    pub cancelled: i64,
    pub held: i64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PartnerMinutes)]
pub struct PartnerMinutesDto {
    pub partner: String,
    pub project_minutes: i64,
    pub ordinary_operations_minutes: i64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = InterventionUse)]
pub struct InUseDto {
    pub intervention: String,
    pub places_taken: i64,
    pub waiting: i64,
    pub capacity: Option<i64>,
}

impl From<&Reports> for ReportsDto {
    fn from(r: &Reports) -> Self {
        Self {
            attendance_by_group: r
                .attendance
                .iter()
                .map(|a| GroupAttendanceDto {
                    intervention: a.intervention.clone(),
                    group: a.group.clone(),
                    present: a.present,
                    absent_notice: a.absent_notice,
                    absent: a.absent,
                    attendance_rate: palett_app::palette::attendance_rate(
                        a.present,
                        a.absent_notice,
                        a.absent,
                    ),
                })
                .collect(),
            sessions_per_month: r
                .sessions_per_month
                .iter()
                .map(|m| MonthSessionsDto {
                    month: m.month.clone(),
                    cancelled: m.cancelled,
                    held: m.held,
                })
                .collect(),
            minutes_by_partner: r
                .minutes_by_partner
                .iter()
                .map(|m| PartnerMinutesDto {
                    partner: m.partner.clone(),
                    project_minutes: m.project_minutes,
                    ordinary_operations_minutes: m.ordinary_minutes,
                })
                .collect(),
            interventions_in_use: r
                .in_use
                .iter()
                .map(|u| InUseDto {
                    intervention: u.intervention.clone(),
                    places_taken: u.taken,
                    waiting: u.waiting,
                    capacity: u.capacity,
                })
                .collect(),
        }
    }
}
