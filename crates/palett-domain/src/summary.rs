//! Project figures: enrolled against the participant target, ended, and the
//! share ended to job or studies against its target (product.md's
//! definitions: share = ended to job or studies ÷ all ended).

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectSummary {
    pub project_id: i64,
    pub enrolled: i64,
    pub participant_target: Option<i64>,
    pub ended: i64,
    pub ended_to_job_or_studies: i64,
    /// Percent (0–100, one decimal) of `ended` that went to job or studies;
    /// `None` while nobody has ended.
    pub share_to_job_or_studies: Option<f64>,
    /// Target share to job or studies, percent.
    pub job_or_studies_target: Option<f64>,
    /// Percent (one decimal) of `participant_target` enrolled.
    pub enrolled_of_target: Option<f64>,
    pub active: i64,
}

/// `part` of `whole` as a percentage with one decimal; `None` when whole is 0.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    if whole <= 0 {
        None
    } else {
        Some((part as f64 * 1000.0 / whole as f64).round() / 10.0)
    }
}

impl ProjectSummary {
    pub fn new(
        project_id: i64,
        counts: SummaryCounts,
        participant_target: Option<i64>,
        job_or_studies_target: Option<f64>,
    ) -> Self {
        Self {
            project_id,
            enrolled: counts.enrolled,
            participant_target,
            ended: counts.ended,
            ended_to_job_or_studies: counts.ended_to_job_or_studies,
            share_to_job_or_studies: percent(counts.ended_to_job_or_studies, counts.ended),
            job_or_studies_target,
            enrolled_of_target: participant_target.and_then(|t| percent(counts.enrolled, t)),
            active: counts.active,
        }
    }

    /// Whether the share to job or studies meets its target (unknown: `None`).
    pub fn meets_job_or_studies_target(&self) -> Option<bool> {
        Some(self.share_to_job_or_studies? >= self.job_or_studies_target?)
    }
}

/// Raw counts as the store computes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SummaryCounts {
    pub enrolled: i64,
    pub ended: i64,
    pub ended_to_job_or_studies: i64,
    pub active: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_figures() {
        let s = ProjectSummary::new(
            1,
            SummaryCounts {
                enrolled: 267,
                ended: 247,
                ended_to_job_or_studies: 42,
                active: 20,
            },
            Some(360),
            Some(20.0),
        );
        assert_eq!(s.enrolled_of_target, Some(74.2));
        assert_eq!(s.share_to_job_or_studies, Some(17.0));
        assert_eq!(s.meets_job_or_studies_target(), Some(false));
    }

    #[test]
    fn nothing_ended_yet_has_no_share() {
        let s = ProjectSummary::new(1, SummaryCounts::default(), None, Some(20.0));
        assert_eq!(s.share_to_job_or_studies, None);
        assert_eq!(s.enrolled_of_target, None);
        assert_eq!(s.meets_job_or_studies_target(), None);
    }
}
