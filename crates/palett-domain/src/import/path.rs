//! Importing her path from a spreadsheet: enrolments in the palette's
//! interventions (with the groups they name) and recorded time, for
//! participants already in palett.
//!
//! A row names her by palett's id, her identity number, or her name and
//! birth date; the intervention by name or id. Each row is parsed with the
//! forms' own parsers ([`GroupInput`], [`EnrolmentChangeInput`],
//! [`ActivityInput`]); what depends on stored data (she exists and may be
//! changed, the intervention is the partnership's, a place is free, the
//! day falls in her time in the programme) the app checks with the same
//! code as the forms.

use super::{key, Header, ImportRow, Labels, RowError};
use crate::palette::EnrolmentStatus;
use crate::path::{ActivityInput, EnrolmentChangeInput, GroupInput};
use crate::personnummer::PersonalIdentityNumber;
use crate::values::{code, parse_date, parse_optional_date, required_text, TextKind};
use crate::FieldErrors;
use jiff::civil::Date;
use std::collections::HashMap;

/// What an import file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// New participants ([`super::COLUMNS`]).
    Participants,
    /// Enrolments in interventions and their groups ([`ENROLMENT_COLUMNS`]).
    Enrolments,
    /// Time spent in interventions, a row a day ([`TIME_COLUMNS`]).
    Time,
}

impl ImportKind {
    pub const ALL: &'static [ImportKind] = &[Self::Participants, Self::Enrolments, Self::Time];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Participants => "participants",
            Self::Enrolments => "enrolments",
            Self::Time => "time",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s.trim())
    }

    /// The Fluent id of the kind's name.
    pub fn message_id(self) -> String {
        format!("import-kind-{}", self.as_str())
    }

    /// The columns of a file of this kind: (field name, Swedish header).
    pub fn columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Participants => super::COLUMNS,
            Self::Enrolments => ENROLMENT_COLUMNS,
            Self::Time => TIME_COLUMNS,
        }
    }

    /// The columns a file of this kind must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Self::Participants => &["given_name", "family_name"],
            Self::Enrolments => &["intervention"],
            Self::Time => &["intervention", "on_date", "hours"],
        }
    }

    /// The template's file name (without extension).
    pub fn template_name(self) -> &'static str {
        match self {
            Self::Participants => "deltagare-mall",
            Self::Enrolments => "insatser-mall",
            Self::Time => "tid-mall",
        }
    }

    /// The columns whose cells come from a closed vocabulary, with every
    /// value and its label's message id.
    pub fn vocabularies(self) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        match self {
            Self::Participants => super::vocabularies(),
            Self::Enrolments => vec![(
                "status",
                IMPORTED_STATUSES
                    .iter()
                    .map(|s| (s.as_str(), s.message_id()))
                    .collect(),
            )],
            Self::Time => Vec::new(),
        }
    }
}

/// The columns naming her in a path import.
const WHO: [(&str, &str); 5] = [
    ("participant_id", "deltagar-id"),
    ("identity_number", "personnummer"),
    ("given_name", "förnamn"),
    ("family_name", "efternamn"),
    ("birth_date", "födelsedatum"),
];

/// The columns of an enrolment import.
pub const ENROLMENT_COLUMNS: &[(&str, &str)] = &[
    WHO[0],
    WHO[1],
    WHO[2],
    WHO[3],
    WHO[4],
    ("intervention", "insats"),
    ("group", "grupp"),
    ("status", "status"),
    ("start_date", "startdatum"),
    ("end_date", "slutdatum"),
    ("reason", "orsak"),
];

/// The columns of a time import.
pub const TIME_COLUMNS: &[(&str, &str)] = &[
    WHO[0],
    WHO[1],
    WHO[2],
    WHO[3],
    WHO[4],
    ("intervention", "insats"),
    ("on_date", "datum"),
    ("hours", "timmar"),
    ("note", "anteckning"),
];

/// The statuses an imported enrolment may have: where her enrolment
/// stands today (an offer is made in palett, not imported).
pub const IMPORTED_STATUSES: &[EnrolmentStatus] = &[
    EnrolmentStatus::Waiting,
    EnrolmentStatus::Planned,
    EnrolmentStatus::Ongoing,
    EnrolmentStatus::Completed,
    EnrolmentStatus::Discontinued,
];

/// Who a row is about, as the file names her.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    Id(i64),
    /// Her identity number, twelve digits.
    IdentityNumber(String),
    /// Given name, family name, birth date.
    Name(String, String, Date),
}

/// An enrolment as a row gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolmentRow {
    pub intervention_id: i64,
    /// The group's name: an existing group of the intervention, or a new one.
    pub group: Option<String>,
    pub status: EnrolmentStatus,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub reason: Option<String>,
}

/// What one row asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathCommand {
    Enrol(EnrolmentRow),
    Time(crate::path::Activity),
}

/// A row that parsed: her and what to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathRow {
    pub who: Who,
    pub command: PathCommand,
}

/// A row of a path import, parsed.
pub type PathImportRow = ImportRow<PathRow>;

/// The partnership's interventions by [`key`] of their names; a name that
/// several bear (two providers' "Stickcafé") names none of them: the row
/// must give the id.
pub type Interventions = HashMap<String, Vec<i64>>;

/// Parse one row of an enrolment or time import.
pub fn parse_path_row(
    kind: ImportKind,
    header: &Header,
    row: usize,
    cells: &[String],
    interventions: &Interventions,
    labels: &Labels,
    today: Date,
) -> PathImportRow {
    let cell = |field: &str| header.cell(cells, field);
    let mut errors = Vec::new();
    let mut bad = |column: &str, code: &'static str| {
        if !errors.iter().any(|e: &RowError| e.column == column) {
            errors.push(RowError {
                row,
                column: column.to_string(),
                code,
            })
        }
    };
    let who = who(&cell, today)
        .map_err(|(column, code)| bad(column, code))
        .ok();
    let intervention = {
        let c = cell("intervention");
        let k = key(&c);
        if k.is_empty() {
            bad("intervention", code::REQUIRED);
            None
        } else if let Some(ids) = interventions.get(&k) {
            match ids[..] {
                [id] => Some(id),
                _ => {
                    bad("intervention", "error-import-ambiguous-intervention");
                    None
                }
            }
        } else {
            match k.parse::<i64>() {
                Ok(id) if interventions.values().flatten().any(|v| *v == id) => Some(id),
                _ => {
                    bad("intervention", "error-import-unknown-reference");
                    None
                }
            }
        }
    };
    let mut take = |e: FieldErrors| {
        for f in e.0 {
            let column = match f.field.as_str() {
                "name" => "group",
                "intervention_id" => "intervention",
                other => other,
            };
            bad(column, f.code);
        }
    };
    let command = match kind {
        ImportKind::Time => ActivityInput {
            // The intervention was looked up above (an unknown one is told
            // there); any id lets the other cells be checked.
            intervention_id: intervention.unwrap_or(1).to_string(),
            on_date: cell("on_date"),
            hours: cell("hours"),
            note: cell("note"),
        }
        .parse(today)
        .map(PathCommand::Time)
        .map_err(&mut take)
        .ok(),
        ImportKind::Enrolments | ImportKind::Participants => {
            let group = match cell("group") {
                g if g.is_empty() => Some(None),
                g => GroupInput {
                    name: g,
                    leader_user_id: String::new(),
                }
                .parse()
                .map(|g| Some(g.name))
                .map_err(&mut take)
                .ok(),
            };
            let status = match cell("status") {
                s if s.is_empty() => EnrolmentStatus::Planned.as_str().to_string(),
                s => labels.value("status", &s),
            };
            let change = EnrolmentChangeInput {
                status,
                reason: cell("reason"),
            }
            .parse()
            .map_err(&mut take)
            .ok();
            let change = change.filter(|c| {
                let ok = IMPORTED_STATUSES.contains(&c.to);
                if !ok {
                    bad("status", code::CHOICE);
                }
                ok
            });
            let start = parse_optional_date(&cell("start_date"))
                .map_err(|c| bad("start_date", c))
                .ok();
            let end = parse_optional_date(&cell("end_date"))
                .map_err(|c| bad("end_date", c))
                .ok();
            if let (Some(Some(s)), Some(Some(e))) = (start, end) {
                if e < s {
                    bad("end_date", code::PERIOD);
                }
            }
            // A finished enrolment says when it ended; one under way or
            // finished when it started.
            if let (Some(c), Some(s), Some(e)) = (&change, start, end) {
                if matches!(c.to, EnrolmentStatus::Completed) && e.is_none() {
                    bad("end_date", code::REQUIRED);
                }
                if matches!(c.to, EnrolmentStatus::Ongoing | EnrolmentStatus::Completed)
                    && s.is_none()
                {
                    bad("start_date", code::REQUIRED);
                }
                if e.is_some_and(|e| e > today)
                    && !c.to.holds_place()
                    && c.to != EnrolmentStatus::Waiting
                {
                    bad("end_date", code::DATE_FUTURE);
                }
            }
            match (intervention, group, change, start, end) {
                (Some(intervention_id), Some(group), Some(c), Some(start_date), Some(end_date)) => {
                    Some(PathCommand::Enrol(EnrolmentRow {
                        intervention_id,
                        group,
                        status: c.to,
                        start_date,
                        end_date,
                        reason: c.reason,
                    }))
                }
                _ => None,
            }
        }
    };
    let name = match &who {
        Some(Who::Name(g, f, _)) => format!("{g} {f}"),
        _ => format!("{} {}", cell("given_name"), cell("family_name"))
            .trim()
            .to_string(),
    };
    let parsed = match (who, command) {
        (Some(who), Some(command)) if errors.is_empty() => Ok(PathRow { who, command }),
        _ => Err(errors),
    };
    ImportRow { row, name, parsed }
}

/// Who a row names: palett's id first, then her identity number, then
/// her name and birth date. Errors: (column, message id).
fn who(cell: &dyn Fn(&str) -> String, today: Date) -> Result<Who, (&'static str, &'static str)> {
    let id = cell("participant_id");
    if !id.is_empty() {
        return match id.parse::<i64>() {
            Ok(n) if n > 0 => Ok(Who::Id(n)),
            _ => Err(("participant_id", code::NUMBER)),
        };
    }
    let number = cell("identity_number");
    if !number.is_empty() {
        return PersonalIdentityNumber::parse(&number, today)
            .map(|p| Who::IdentityNumber(p.twelve_digits()))
            .map_err(|c| ("identity_number", c));
    }
    let (given, family, birth) = (cell("given_name"), cell("family_name"), cell("birth_date"));
    if given.is_empty() && family.is_empty() && birth.is_empty() {
        return Err(("participant_id", "error-import-who"));
    }
    let given = required_text(&given, TextKind::NAME).map_err(|c| ("given_name", c))?;
    let family = required_text(&family, TextKind::NAME).map_err(|c| ("family_name", c))?;
    let birth = parse_date(&birth).map_err(|c| ("birth_date", c))?;
    Ok(Who::Name(given, family, birth))
}

/// Read and parse a whole enrolment or time file, handing each row to `each`.
pub fn parse_path_file(
    kind: ImportKind,
    bytes: &[u8],
    interventions: &Interventions,
    labels: &Labels,
    today: Date,
    mut each: impl FnMut(PathImportRow),
) -> Result<(), super::ReadError> {
    let mut header: Option<Header> = None;
    let mut count = 0usize;
    let r = super::rows(bytes, |n, cells| {
        match &header {
            None => header = Some(Header::parse_for(kind, &cells)?),
            Some(h) => {
                count += 1;
                each(parse_path_row(
                    kind,
                    h,
                    n,
                    &cells,
                    interventions,
                    labels,
                    today,
                ));
            }
        }
        Ok::<(), super::ReadError>(())
    })?;
    r?;
    if count == 0 {
        return Err(super::ReadError::Empty);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 25);

    fn parsed(kind: ImportKind, file: &str) -> Vec<PathImportRow> {
        let interventions = HashMap::from([
            (key("Promenad och hälsa"), vec![7]),
            (key("Stickcafé"), vec![8, 9]),
        ]);
        let mut labels = Labels::default();
        labels.add(|id| match id {
            "enrolment-completed" => "Genomförd".into(),
            other => other.into(),
        });
        let mut out = Vec::new();
        parse_path_file(kind, file.as_bytes(), &interventions, &labels, TODAY, |r| {
            out.push(r)
        })
        .expect("readable");
        out
    }

    fn problems(r: &PathImportRow) -> Vec<(&str, &str)> {
        r.parsed
            .as_ref()
            .err()
            .map(|e| e.iter().map(|e| (e.column.as_str(), e.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn an_enrolment_row_names_her_the_intervention_and_the_status_in_words() {
        let rows = parsed(
            ImportKind::Enrolments,
            "personnummer;insats;grupp;status;startdatum;slutdatum\n\
             19811218-9876;promenad  och hälsa;Onsdagar;Genomförd;2026-09-01;2026-10-30\n\
             ;Promenad och hälsa;;ongoing;;\n\
             19811218-9876;Syjunta;;offered;2026-09-01;\n\
             19811218-9876;Promenad och hälsa;;discontinued;2026-09-01;2026-10-01\n\
             19811218-9876;Stickcafé;;planned;;\n\
             19811218-9876;9;;planned;;\n",
        );
        let ok = rows[0].parsed.as_ref().expect("row 2");
        assert_eq!(ok.who, Who::IdentityNumber("198112189876".into()));
        assert_eq!(
            ok.command,
            PathCommand::Enrol(EnrolmentRow {
                intervention_id: 7,
                group: Some("Onsdagar".into()),
                status: EnrolmentStatus::Completed,
                start_date: Some(date(2026, 9, 1)),
                end_date: Some(date(2026, 10, 30)),
                reason: None,
            })
        );
        assert_eq!(
            problems(&rows[1]),
            [
                ("participant_id", "error-import-who"),
                ("start_date", "error-required")
            ]
        );
        assert_eq!(
            problems(&rows[2]),
            [
                ("intervention", "error-import-unknown-reference"),
                ("status", "error-choice")
            ]
        );
        // Discontinuing needs a reason, as on the form.
        assert_eq!(problems(&rows[3]), [("reason", "error-required")]);
        // A name two interventions bear names neither; the id does.
        assert_eq!(
            problems(&rows[4]),
            [("intervention", "error-import-ambiguous-intervention")]
        );
        assert!(rows[5].parsed.is_ok());
    }

    #[test]
    fn a_time_row_is_a_day_s_hours_as_the_time_form_reads_them() {
        let rows = parsed(
            ImportKind::Time,
            "deltagar-id;insats;datum;timmar\n\
             12;Promenad och hälsa;2026-10-12;1,5\n\
             x;Promenad och hälsa;2026-12-01;25\n",
        );
        let ok = rows[0].parsed.as_ref().expect("row 2");
        assert_eq!(ok.who, Who::Id(12));
        match &ok.command {
            PathCommand::Time(a) => {
                assert_eq!((a.intervention_id, a.minutes), (7, 90));
                assert_eq!(a.on_date, date(2026, 10, 12));
            }
            other => panic!("expected time, got {other:?}"),
        }
        assert_eq!(
            problems(&rows[1]),
            [
                ("participant_id", "error-number"),
                ("on_date", "error-date-future"),
                ("hours", "error-number")
            ]
        );
    }

    #[test]
    fn a_path_file_needs_its_kind_s_columns() {
        let header = |kind, line: &str| {
            Header::parse_for(kind, &line.split(';').map(String::from).collect::<Vec<_>>()).err()
        };
        assert_eq!(
            header(ImportKind::Time, "personnummer;insats;datum"),
            Some(super::super::ReadError::MissingColumn("hours"))
        );
        assert_eq!(
            header(ImportKind::Enrolments, "personnummer;insats;kön"),
            Some(super::super::ReadError::UnknownColumn("kön".into()))
        );
        assert_eq!(header(ImportKind::Enrolments, "deltagar-id;insats"), None);
    }
}
