//! The benchmark: `palett seed-bench --participants N` adds N synthetic
//! participants (with groups, sessions and attendance) to the demo
//! partnership in a project of their own (`seed.rs`), and `palett bench`
//! times what must stay fast as data grows: the dashboards, the funder
//! reports, the palette reports and the list behind a figure. Timings are
//! measured and printed, never asserted.

mod seed;

use crate::dashboard::FigureRef;
use crate::demo::DEMO_USERS;
use crate::paging::Page;
use crate::reports::ReportKind;
use crate::{App, Result};
use palett_domain::admin::ReportPeriod;
use palett_domain::indicators::Indicator;
use palett_domain::record::{NewNote, NoteVisibility};
pub use seed::{BenchSeed, BENCH_PROJECT};
use std::time::Instant;

/// One timing: a label and the milliseconds of each run.
#[derive(Debug)]
pub struct Timing {
    pub label: &'static str,
    pub runs_ms: Vec<f64>,
}

impl Timing {
    pub fn median(&self) -> f64 {
        let mut v = self.runs_ms.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    }

    pub fn max(&self) -> f64 {
        self.runs_ms.iter().copied().fold(0.0, f64::max)
    }
}

impl App {
    /// Time each operation `runs` times (after one warm-up run) as the
    /// demo coordinator, on the benchmark project.
    #[tracing::instrument(skip_all)]
    pub async fn bench(&self, runs: usize) -> Result<Vec<Timing>> {
        let ctx = self.ctx_for_email(DEMO_USERS[1].0).await?;
        let project = self
            .projects(&ctx)
            .await?
            .into_iter()
            .find(|p| p.name == BENCH_PROJECT)
            .map(|p| p.id)
            .ok_or(crate::AppError::NotFound)?;
        let mut out = Vec::new();
        macro_rules! time {
            ($label:expr, $call:expr) => {{
                $call.await?;
                let mut runs_ms = Vec::with_capacity(runs);
                for _ in 0..runs {
                    let t = Instant::now();
                    $call.await?;
                    runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                out.push(Timing {
                    label: $label,
                    runs_ms,
                });
            }};
        }
        // A figure twice: computed afresh each run (as after any change),
        // then as kept (as between changes; see `figure_cache`).
        macro_rules! time_figure {
            ($label:expr, $call:expr) => {{
                let mut runs_ms = Vec::with_capacity(runs);
                for run in 0..=runs {
                    self.figures.forget();
                    let t = Instant::now();
                    $call.await?;
                    if run > 0 {
                        runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                }
                out.push(Timing {
                    label: concat!($label, ", computed"),
                    runs_ms,
                });
                time!(concat!($label, ", kept"), $call);
            }};
        }
        time_figure!(
            "dashboard, project",
            self.dashboard(&ctx, Some(project), None, None)
        );
        time_figure!(
            "dashboard, partnership",
            self.dashboard(&ctx, None, None, None)
        );
        time_figure!(
            "dashboard, by age group",
            self.dashboard(
                &ctx,
                Some(project),
                Some(palett_domain::indicators::Breakdown::AgeGroup),
                Some(Indicator::ShareJobOrStudies)
            )
        );
        time_figure!(
            "dashboard, by intervention",
            self.dashboard(
                &ctx,
                Some(project),
                Some(palett_domain::indicators::Breakdown::Intervention),
                Some(Indicator::AttendanceRate)
            )
        );
        time_figure!(
            "final report",
            self.funder_report(
                &ctx,
                ReportKind::Final,
                Some(project),
                Ok(ReportPeriod::WHOLE_PROJECT),
                false
            )
        );
        time_figure!(
            "Finsam report",
            self.funder_report(
                &ctx,
                ReportKind::Finsam,
                Some(project),
                Ok(ReportPeriod::WHOLE_PROJECT),
                false
            )
        );
        time!("palette reports (attendance)", self.reports(&ctx));
        // Matching: the candidates for one open opening (the one with the
        // most candidates' area), and the openings for one participant.
        let opening = {
            let open = crate::openings::OpeningFilter {
                status: Some(palett_domain::opening::OpeningStatus::Open),
                q: Some("Erbjudande 1".into()),
                ..Default::default()
            };
            self.openings(&ctx, &open, Page::new(Some(1), Some(1)))
                .await?
                .0
                .first()
                .map(|o| o.id)
                .ok_or(crate::AppError::NotFound)?
        };
        time!(
            "matching, candidates for an opening",
            self.opening_candidates(&ctx, opening, Page::new(Some(1), Some(25)))
        );
        let someone = self
            .participants(
                &ctx,
                &palett_store::participant::Filter {
                    status: Some(palett_domain::lifecycle::Status::Active),
                    project_id: Some(project),
                    ..Default::default()
                },
                Page::new(Some(1), Some(1)),
            )
            .await?
            .0
            .first()
            .map(|p| p.id)
            .ok_or(crate::AppError::NotFound)?;
        time!(
            "matching, openings for a participant",
            self.openings_for_participant(&ctx, someone, Page::new(Some(1), Some(25)))
        );
        time!(
            "list behind a figure",
            self.figure_participants(
                &ctx,
                Some(project),
                &FigureRef {
                    indicator: Some(Indicator::ShareJobOrStudies),
                    ..FigureRef::default()
                },
                Page::new(Some(1), Some(25)),
            )
        );
        Ok(out)
    }

    /// Read participants' records (audited reads) from `readers` tasks at
    /// once, `reads_each` each, while one more task writes notes: what the
    /// unit of work's read-only snapshots are for. On SQLite a read that
    /// took the write lock would queue every reader behind the others and
    /// behind the writer.
    #[tracing::instrument(skip_all)]
    pub async fn bench_concurrency(
        &self,
        readers: usize,
        reads_each: usize,
    ) -> Result<Concurrency> {
        let ctx = self.ctx_for_email(DEMO_USERS[1].0).await?;
        let (list, _) = self
            .participants(
                &ctx,
                &palett_store::participant::Filter::default(),
                Page::new(Some(1), Some(100)),
            )
            .await?;
        let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
        let Some(&first) = ids.first() else {
            return Err(crate::AppError::NotFound);
        };
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for r in 0..readers {
            let (app, ctx, ids) = (self.clone(), ctx.clone(), ids.clone());
            tasks.spawn(async move {
                let mut ms = Vec::with_capacity(reads_each);
                for i in 0..reads_each {
                    let t = Instant::now();
                    app.participant(&ctx, ids[(r * reads_each + i) % ids.len()])
                        .await?;
                    ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, crate::AppError>((true, ms))
            });
        }
        {
            let (app, ctx) = (self.clone(), ctx.clone());
            tasks.spawn(async move {
                let mut ms = Vec::with_capacity(reads_each);
                for _ in 0..reads_each {
                    let t = Instant::now();
                    let note = NewNote {
                        body: "Prestandamätning.".into(),
                        visibility: NoteVisibility::OwnOrganisation,
                    };
                    app.add_note(&ctx, first, &note).await?;
                    ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok((false, ms))
            });
        }
        let (mut read, mut write) = (Vec::new(), Vec::new());
        while let Some(done) = tasks.join_next().await {
            let (is_read, ms) =
                done.map_err(|e| crate::AppError::internal_from("bench task", e))??;
            if is_read {
                read.extend(ms)
            } else {
                write.extend(ms)
            }
        }
        Ok(Concurrency {
            readers,
            reads: read.len(),
            wall_ms: started.elapsed().as_secs_f64() * 1000.0,
            read: Timing {
                label: "record read, with others",
                runs_ms: read,
            },
            write: Timing {
                label: "note written meanwhile",
                runs_ms: write,
            },
        })
    }
}

/// What [`App::bench_concurrency`] measured.
#[derive(Debug)]
pub struct Concurrency {
    pub readers: usize,
    pub reads: usize,
    /// From the first read to the last read or write.
    pub wall_ms: f64,
    pub read: Timing,
    pub write: Timing,
}

impl Concurrency {
    pub fn reads_per_second(&self) -> f64 {
        self.reads as f64 / (self.wall_ms / 1000.0)
    }
}
