//! Bulk inserts for the benchmark generator (`palett seed-bench`): many
//! rows per statement, every value bound. Table and column names come from
//! the caller's constants, never from input.

use crate::row::i64_;
use crate::Result;
use sqlx::AnyConnection;

/// One bound value of a bulk row.
#[derive(Clone, Debug)]
pub enum V {
    Int(i64),
    Text(String),
    /// NULL in a text column.
    Null,
    /// NULL in an integer column.
    NullInt,
}

/// At most this many bound values per statement (both databases allow it).
const MAX_BINDS: usize = 20_000;

/// Insert `rows` into `table` in batches; returns the new ids, in the
/// order of `rows`, when `returning_id`.
pub async fn insert(
    c: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<V>],
    returning_id: bool,
) -> Result<Vec<i64>> {
    let per = (MAX_BINDS / columns.len()).clamp(1, 1000);
    let mut ids = Vec::new();
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for k in 0..columns.len() {
                if k > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        if returning_id {
            sql.push_str(" RETURNING id");
        }
        let mut q = sqlx::query(&sql);
        for r in chunk {
            for v in r {
                q = match v {
                    V::Int(i) => q.bind(*i),
                    V::Text(s) => q.bind(s.clone()),
                    V::Null => q.bind(None::<String>),
                    V::NullInt => q.bind(None::<i64>),
                };
            }
        }
        if returning_id {
            let mut got: Vec<i64> = q
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| i64_(r, "id"))
                .collect::<Result<_>>()?;
            // Ids are handed out in the order of the rows.
            got.sort_unstable();
            ids.extend(got);
        } else {
            q.execute(&mut *c).await?;
        }
    }
    Ok(ids)
}
