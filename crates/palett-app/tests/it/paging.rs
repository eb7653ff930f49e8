//! The participant list pages by keyset: every participant the caller may
//! see comes once, in name order, forwards and backwards, whatever the
//! page's depth; its count stops at a limit; and a cursor the caller may
//! not see is refused as if it did not exist.

use crate::harness::*;
use palett_app::participants::{ListPage, Position, COUNT_LIMIT};
use palett_app::{AppError, Ctx};
use palett_store::participant::Filter;

/// A boxed future that is Send (see `bench.rs`).
type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

fn execute<'a>(h: &'a H, sql: String) -> Boxed<'a, ()> {
    Box::pin(async move {
        let mut c = h.app.raw_db().read().await.expect("a connection");
        sqlx::query(&sql)
            .execute(&mut *c)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    })
}

async fn page(h: &H, ctx: &Ctx, size: i64, at: Position) -> ListPage {
    h.app
        .participants_at(ctx, &Filter::default(), size, at)
        .await
        .unwrap_or_else(|e| panic!("{at:?}: {e:?}"))
}

/// Every id the caller sees, by page numbers (the reference order).
async fn by_offset(h: &H, ctx: &Ctx) -> Vec<i64> {
    let mut ids = Vec::new();
    loop {
        let p = page(h, ctx, 100, Position::Offset(ids.len() as i64)).await;
        ids.extend(p.items.iter().map(|i| i.id));
        if !p.has_next {
            return ids;
        }
    }
}

/// The field a refused cursor names.
fn refused(r: Result<ListPage, AppError>) -> String {
    match r {
        Err(AppError::Invalid(f)) => {
            assert_eq!(f.0.len(), 1, "{f}");
            assert_eq!(f.0[0].code, "error-cursor", "{f}");
            f.0[0].field.clone()
        }
        other => panic!("expected a refused cursor, got {other:?}"),
    }
}

pub(crate) async fn the_list_pages_by_keyset_through_everyone_once(h: H) {
    h.app.seed_bench(1100, 1).await.expect("seed-bench");
    let ctx = h.ctx(COORDINATOR).await;
    // Her organisation is made responsible for every benchmark woman, so
    // that she sees more than the count's limit; and five women share one
    // name, so that the order must fall back on the id.
    execute(
        &h,
        format!(
            "UPDATE participants SET responsible_organisation_id = {} \
             WHERE given_name LIKE 'Bench%'",
            ctx.actor.organisation_id
        ),
    )
    .await;
    execute(
        &h,
        "UPDATE participants SET given_name = 'Bench7', family_name = 'Prestanda7', \
         search_name = 'bench7 prestanda7' \
         WHERE given_name IN ('Bench7', 'Bench1004', 'Bench1050', 'Bench3', 'Bench500')"
            .into(),
    )
    .await;
    let all = by_offset(&h, &ctx).await;
    assert!(all.len() as i64 > COUNT_LIMIT + 50, "{}", all.len());
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "each participant once");

    // The count stops at the limit and says there are more.
    let first = page(&h, &ctx, 37, Position::Offset(0)).await;
    assert_eq!((first.total, first.more), (COUNT_LIMIT, true));
    assert!(!first.has_prev && first.has_next);

    // Forwards by keyset: the same participants in the same order.
    let mut forward: Vec<i64> = first.items.iter().map(|i| i.id).collect();
    let mut last = first;
    while last.has_next {
        let after = last.items.last().expect("a full page").id;
        last = page(&h, &ctx, 37, Position::After(after)).await;
        assert!(last.has_prev);
        forward.extend(last.items.iter().map(|i| i.id));
    }
    assert_eq!(forward, all);

    // Backwards from the last page: the same again.
    let mut backward: Vec<Vec<i64>> = vec![last.items.iter().map(|i| i.id).collect()];
    let mut at = last;
    while at.has_prev {
        let before = at.items.first().expect("a full page").id;
        at = page(&h, &ctx, 37, Position::Before(before)).await;
        assert!(at.has_next);
        backward.push(at.items.iter().map(|i| i.id).collect());
    }
    backward.reverse();
    assert_eq!(backward.concat(), all);

    // The same-named five come in the order of their ids, wherever a page
    // breaks between them.
    let named: Vec<i64> = h
        .app
        .participants_at(
            &ctx,
            &Filter {
                name: Some("Bench7 Prestanda7".into()),
                ..Filter::default()
            },
            2,
            Position::Offset(0),
        )
        .await
        .expect("a search")
        .items
        .iter()
        .map(|i| i.id)
        .collect();
    let second = page(&h, &ctx, 2, Position::After(named[1])).await;
    let five: Vec<i64> = all
        .iter()
        .copied()
        .skip_while(|id| *id != named[0])
        .take(5)
        .collect();
    assert_eq!(five[..2], named[..]);
    assert_eq!(
        second.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        five[2..4]
    );
    let mut by_id = five.clone();
    by_id.sort_unstable();
    assert_eq!(five, by_id, "ties go by id");

    // A cursor she may not see is refused as one that does not exist.
    let coach = h.ctx(COACH).await;
    let coach_sees = by_offset(&h, &coach).await;
    let hidden = *all
        .iter()
        .find(|id| !coach_sees.contains(id))
        .expect("a participant the coach does not see");
    let filter = Filter::default();
    for at in [Position::After(hidden), Position::After(i64::MAX)] {
        let r = h.app.participants_at(&coach, &filter, 25, at).await;
        assert_eq!(refused(r), "after");
    }
    let r = h
        .app
        .participants_at(&coach, &filter, 25, Position::Before(hidden))
        .await;
    assert_eq!(refused(r), "before");
    // Within her own list, the coach's keyset walk is her offset walk.
    let mut walked = Vec::new();
    let mut p = page(&h, &coach, 10, Position::Offset(0)).await;
    loop {
        walked.extend(p.items.iter().map(|i| i.id));
        if !p.has_next {
            break;
        }
        let after = p.items.last().expect("a page").id;
        p = page(&h, &coach, 10, Position::After(after)).await;
    }
    assert_eq!(walked, coach_sees);
}
