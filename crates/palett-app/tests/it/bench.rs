//! The benchmark generator makes consistent data on both databases: the
//! dashboard counts what it made, and the timings run.

use crate::harness::*;
use palett_app::bench::BENCH_PROJECT;
use palett_domain::indicators::Indicator;

pub(crate) async fn the_benchmark_generator_makes_what_the_dashboard_counts(h: H) {
    let seed = h.app.seed_bench(230, 3).await.expect("seed-bench");
    assert_eq!(seed.participants, 230);
    assert_eq!(seed.openings, 23, "one opening for every ten participants");
    let ctx = h.ctx(COORDINATOR).await;
    let p = h.project_id(&ctx, BENCH_PROJECT).await;
    assert_eq!(p, seed.project_id);
    let d = h
        .app
        .dashboard(&ctx, Some(p), None, None)
        .await
        .expect("dashboard");
    let enrolled = d
        .figures
        .iter()
        .find(|f| f.indicator == Indicator::Enrolled)
        .expect("enrolled")
        .count;
    // Everyone but the referrals has an intake, and each attended every
    // session of her group.
    assert!(enrolled > 200 && enrolled <= 230, "{enrolled}");
    assert_eq!(seed.attendance as i64, enrolled * 3);
    assert_eq!(seed.sessions, (enrolled as usize).div_ceil(20) * 3);
    let timings = h.app.bench(1).await.expect("bench");
    // Six figures timed computed and kept, and four other reads.
    assert_eq!(timings.len(), 16);
    for label in [
        "dashboard, by intervention, computed",
        "dashboard, by intervention, kept",
        "final report, computed",
        "final report, kept",
        "matching, candidates for an opening",
        "matching, openings for a participant",
    ] {
        assert!(timings.iter().any(|t| t.label == label), "{label}");
    }
    assert!(timings.iter().all(|t| t.runs_ms.len() == 1));
}
