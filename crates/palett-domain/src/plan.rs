//! The individual plan (handlingsplan): the participant's goals in her own
//! words, steps picked from the palette with planned dates and who is
//! responsible, and review meetings. Every change stores a new version; a
//! version is an immutable snapshot.

use crate::error::FieldErrors;
use crate::values::{code, optional_text, parse_optional_date, text_enum, text_input, TextKind};
use serde::{Deserialize, Serialize};

text_enum!(GoalCategory, "goal-category" {
    Language = "language",
    Health = "health",
    Work = "work",
    Studies = "studies",
    EverydayLife = "everyday_life",
    Network = "network",
});

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub text: String,
    pub category: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub intervention_id: i64,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub responsible_organisation_id: i64,
    pub responsible_user_id: Option<i64>,
    pub note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub date: String,
    pub participants: String,
    pub notes: String,
    pub decisions: String,
}

/// One version of a plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub goals: Vec<Goal>,
    pub steps: Vec<Step>,
    pub reviews: Vec<Review>,
    /// Her occupational interests: codes of occupation areas
    /// ([`crate::occupations`]), in the catalogue's order. Absent from
    /// versions saved before interests were recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    /// The municipalities she can get to for work, by name, each once
    /// (compared by [`crate::matching::place_key`]). Absent from versions
    /// saved before places were recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reach: Vec<String>,
}

/// The most goals, steps or reviews one plan holds.
pub const MAX_ROWS: usize = 40;

text_input!(
    /// A plan as submitted: parallel lists, one entry per form row. Rows left
    /// wholly empty are dropped; a half-filled row is an error on its fields.
    PlanInput {
        goal_text: Vec<String>,
        goal_category: Vec<String>,
        step_intervention: Vec<String>,
        step_start: Vec<String>,
        step_end: Vec<String>,
        step_organisation: Vec<String>,
        step_user: Vec<String>,
        step_note: Vec<String>,
        review_date: Vec<String>,
        review_participants: Vec<String>,
        review_notes: Vec<String>,
        review_decisions: Vec<String>,
        /// The occupation areas she is interested in (checked boxes).
        interest: Vec<String>,
        /// The municipalities she can get to for work (checked boxes).
        reach: Vec<String>,
    }
);

fn at(v: &[String], i: usize) -> &str {
    v.get(i).map(|s| s.trim()).unwrap_or("")
}

fn id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|v| *v > 0)
}

fn text(e: &mut FieldErrors, field: String, s: &str) -> String {
    match optional_text(s, TextKind::LINES) {
        Ok(t) => t.unwrap_or_default(),
        Err(c) => {
            e.push(field, c);
            String::new()
        }
    }
}

/// A plan as parsed from a form, with the form row of each step so that a
/// problem the app finds with a step (an intervention retired meanwhile)
/// names the row it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDraft {
    pub plan: Plan,
    /// `step_rows[i]` is the form row of `plan.steps[i]`.
    pub step_rows: Vec<usize>,
}

impl PlanInput {
    /// [`Self::parse`], keeping each step's form row.
    pub fn draft(&self) -> Result<PlanDraft, FieldErrors> {
        let plan = self.parse()?;
        let step_rows = (0..self.step_intervention.len())
            .filter(|i| {
                [
                    &self.step_intervention,
                    &self.step_start,
                    &self.step_end,
                    &self.step_organisation,
                    &self.step_user,
                    &self.step_note,
                ]
                .iter()
                .any(|v| v.get(*i).is_some_and(|s| !s.trim().is_empty()))
            })
            .collect();
        Ok(PlanDraft { plan, step_rows })
    }

    /// Parse into a plan. Field names in errors are `goal_text.N` etc.,
    /// N counting the form's rows from 0.
    pub fn parse(&self) -> Result<Plan, FieldErrors> {
        let mut e = FieldErrors::new();
        // A plan is a person's few goals and steps, not a bulk load.
        for (list, field) in [
            (&self.goal_text, "goal_text.0"),
            (&self.step_intervention, "step_intervention.0"),
            (&self.review_date, "review_date.0"),
            (&self.reach, "reach.0"),
        ] {
            if list.len() > MAX_ROWS {
                e.push(field, "error-too-many-rows");
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        let mut plan = Plan::default();
        let rows = self.goal_text.len().max(self.goal_category.len());
        for i in 0..rows {
            let (t, c) = (at(&self.goal_text, i), at(&self.goal_category, i));
            if t.is_empty() && c.is_empty() {
                continue;
            }
            if t.is_empty() {
                e.push(format!("goal_text.{i}"), code::REQUIRED);
            }
            if GoalCategory::parse(c).is_none() {
                e.push(
                    format!("goal_category.{i}"),
                    if c.is_empty() {
                        code::REQUIRED
                    } else {
                        code::CHOICE
                    },
                );
            }
            let text = text(&mut e, format!("goal_text.{i}"), t);
            plan.goals.push(Goal {
                text,
                category: c.to_string(),
            });
        }
        let rows = self.step_intervention.len();
        for i in 0..rows {
            let iv = at(&self.step_intervention, i);
            let (s, en) = (at(&self.step_start, i), at(&self.step_end, i));
            let (org, user, note) = (
                at(&self.step_organisation, i),
                at(&self.step_user, i),
                at(&self.step_note, i),
            );
            if [iv, s, en, org, user, note].iter().all(|v| v.is_empty()) {
                continue;
            }
            let intervention_id = id(iv);
            if intervention_id.is_none() {
                e.push(
                    format!("step_intervention.{i}"),
                    if iv.is_empty() {
                        code::REQUIRED
                    } else {
                        code::CHOICE
                    },
                );
            }
            let start = parse_optional_date(s)
                .map_err(|c| e.push(format!("step_start.{i}"), c))
                .ok()
                .flatten();
            let end = parse_optional_date(en)
                .map_err(|c| e.push(format!("step_end.{i}"), c))
                .ok()
                .flatten();
            if let (Some(a), Some(b)) = (start, end) {
                if b < a {
                    e.push(format!("step_end.{i}"), code::PERIOD);
                }
            }
            let organisation = id(org);
            if organisation.is_none() {
                e.push(
                    format!("step_organisation.{i}"),
                    if org.is_empty() {
                        code::REQUIRED
                    } else {
                        code::CHOICE
                    },
                );
            }
            let responsible_user_id = if user.is_empty() {
                None
            } else {
                let u = id(user);
                if u.is_none() {
                    e.push(format!("step_user.{i}"), code::CHOICE);
                }
                u
            };
            let note = text(&mut e, format!("step_note.{i}"), note);
            plan.steps.push(Step {
                intervention_id: intervention_id.unwrap_or_default(),
                planned_start: start.map(|d| d.to_string()),
                planned_end: end.map(|d| d.to_string()),
                responsible_organisation_id: organisation.unwrap_or_default(),
                responsible_user_id,
                note,
            });
        }
        let rows = self.review_date.len();
        for i in 0..rows {
            let (d, p, n, dec) = (
                at(&self.review_date, i),
                at(&self.review_participants, i),
                at(&self.review_notes, i),
                at(&self.review_decisions, i),
            );
            if [d, p, n, dec].iter().all(|v| v.is_empty()) {
                continue;
            }
            let date = match parse_optional_date(d) {
                Ok(Some(date)) => date.to_string(),
                Ok(None) => {
                    e.push(format!("review_date.{i}"), code::REQUIRED);
                    String::new()
                }
                Err(c) => {
                    e.push(format!("review_date.{i}"), c);
                    String::new()
                }
            };
            plan.reviews.push(Review {
                date,
                participants: text(&mut e, format!("review_participants.{i}"), p),
                notes: text(&mut e, format!("review_notes.{i}"), n),
                decisions: text(&mut e, format!("review_decisions.{i}"), dec),
            });
        }
        plan.interests = parse_interests(&self.interest).unwrap_or_else(|c| {
            e.push("interest.0", c);
            Vec::new()
        });
        plan.reach = parse_reach(&self.reach).unwrap_or_else(|c| {
            e.push("reach.0", c);
            Vec::new()
        });
        if plan.goals.is_empty()
            && plan.steps.is_empty()
            && plan.reviews.is_empty()
            && plan.interests.is_empty()
            && plan.reach.is_empty()
            && e.is_empty()
        {
            e.push("goal_text.0", "error-plan-empty");
        }
        e.into_result().map(|_| plan)
    }

    /// The input that reproduces a plan, for editing.
    pub fn from_plan(p: &Plan) -> Self {
        let mut i = PlanInput::default();
        for g in &p.goals {
            i.goal_text.push(g.text.clone());
            i.goal_category.push(g.category.clone());
        }
        for s in &p.steps {
            i.step_intervention.push(s.intervention_id.to_string());
            i.step_start
                .push(s.planned_start.clone().unwrap_or_default());
            i.step_end.push(s.planned_end.clone().unwrap_or_default());
            i.step_organisation
                .push(s.responsible_organisation_id.to_string());
            i.step_user.push(
                s.responsible_user_id
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
            );
            i.step_note.push(s.note.clone());
        }
        i.interest = p.interests.clone();
        i.reach = p.reach.clone();
        for r in &p.reviews {
            i.review_date.push(r.date.clone());
            i.review_participants.push(r.participants.clone());
            i.review_notes.push(r.notes.clone());
            i.review_decisions.push(r.decisions.clone());
        }
        i
    }
}

/// Occupation areas by code, each once, in the catalogue's order; blank
/// entries ignored.
fn parse_interests(v: &[String]) -> Result<Vec<String>, &'static str> {
    let chosen: Vec<&str> = v
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if chosen.iter().any(|c| crate::occupations::area(c).is_none()) {
        return Err(code::CHOICE);
    }
    Ok(crate::occupations::areas()
        .iter()
        .filter(|a| chosen.contains(&a.code.as_str()))
        .map(|a| a.code.clone())
        .collect())
}

/// Municipality names, trimmed, each once by [`crate::matching::place_key`]
/// (the first spelling kept), ordered by that key; blank entries ignored.
fn parse_reach(v: &[String]) -> Result<Vec<String>, &'static str> {
    let mut names: Vec<String> = Vec::new();
    for s in v {
        if let Some(name) = optional_text(s, TextKind::NAME)? {
            let key = crate::matching::place_key(&name);
            if !names.iter().any(|n| crate::matching::place_key(n) == key) {
                names.push(name);
            }
        }
    }
    names.sort_by_key(|n| crate::matching::place_key(n));
    Ok(names)
}

impl Plan {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(s: &str) -> Option<Plan> {
        serde_json::from_str(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn interests_are_occupation_areas_once_each_in_catalogue_order() {
        let input = PlanInput {
            interest: v(&["sales", "", "cleaning", "sales"]),
            ..Default::default()
        };
        let plan = input.parse().expect("valid");
        assert_eq!(plan.interests, v(&["cleaning", "sales"]));
        assert_eq!(PlanInput::from_plan(&plan).parse(), Ok(plan.clone()));
        assert!(plan
            .to_json()
            .contains("\"interests\":[\"cleaning\",\"sales\"]"));
        // A version saved before interests existed reads with none, and one
        // without interests is stored as before.
        let old = r#"{"goals":[],"steps":[],"reviews":[]}"#;
        assert_eq!(Plan::from_json(old).map(|p| p.interests), Some(vec![]));
        assert_eq!(Plan::default().to_json(), old);
        let bad = PlanInput {
            interest: v(&["astronaut"]),
            ..Default::default()
        };
        assert_eq!(
            crate::error::codes(bad.parse()),
            vec![("interest.0".to_string(), code::CHOICE)]
        );
    }

    #[test]
    fn places_she_can_reach_are_names_once_each_whatever_their_case() {
        let input = PlanInput {
            reach: v(&[" Södertälje", "Botkyrka", "", "SÖDERTÄLJE", "huddinge"]),
            ..Default::default()
        };
        let plan = input.parse().expect("a plan of places only is a plan");
        assert_eq!(plan.reach, v(&["Botkyrka", "huddinge", "Södertälje"]));
        assert_eq!(PlanInput::from_plan(&plan).parse(), Ok(plan.clone()));
        let old = r#"{"goals":[],"steps":[],"reviews":[]}"#;
        assert_eq!(Plan::from_json(old).map(|p| p.reach), Some(vec![]));
        assert_eq!(Plan::from_json(&plan.to_json()), Some(plan));
    }

    #[test]
    fn two_goals_three_steps_and_empty_rows_dropped() {
        let input = PlanInput {
            goal_text: v(&["Jag vill prata svenska i butiken", "Jag vill orka mer", ""]),
            goal_category: v(&["language", "health", ""]),
            step_intervention: v(&["3", "5", "7", ""]),
            step_start: v(&["2026-01-10", "", "2026-03-01", ""]),
            step_end: v(&["2026-06-10", "", "", ""]),
            step_organisation: v(&["4", "2", "1", ""]),
            step_user: v(&["", "9", "", ""]),
            step_note: v(&["", "Promenadgruppen", "", ""]),
            ..Default::default()
        };
        let plan = input.parse().expect("valid");
        assert_eq!(plan.goals.len(), 2);
        assert_eq!(plan.steps.len(), 3);
        assert_eq!(plan.steps[1].responsible_user_id, Some(9));
        let back = PlanInput::from_plan(&plan).parse().expect("round trip");
        assert_eq!(back, plan);
        assert_eq!(Plan::from_json(&plan.to_json()), Some(plan));
    }

    #[test]
    fn half_filled_rows_name_their_fields() {
        let input = PlanInput {
            goal_text: v(&["", "Arbete"]),
            goal_category: v(&["work", "nonsense"]),
            step_intervention: v(&["abc"]),
            step_start: v(&["2026-05-01"]),
            step_end: v(&["2026-04-01"]),
            step_organisation: v(&[""]),
            step_user: v(&[""]),
            step_note: v(&[""]),
            review_date: v(&["idag"]),
            review_participants: v(&["Deltagaren"]),
            review_notes: v(&[""]),
            review_decisions: v(&[""]),
            interest: Vec::new(),
            reach: v(&["Botkyrka", "Tumba\nTullinge"]),
        };
        let e = input.parse().expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "goal_text.0",
                "goal_category.1",
                "step_intervention.0",
                "step_end.0",
                "step_organisation.0",
                "review_date.0",
                "reach.0"
            ]
        );
        assert_eq!(
            PlanInput::default().parse().expect_err("empty").0[0].code,
            "error-plan-empty"
        );
    }
}
