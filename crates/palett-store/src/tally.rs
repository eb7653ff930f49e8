//! Many counts in one statement. Each part is an aggregate `SELECT`
//! without `GROUP BY` (so it answers exactly one row) with its own
//! parameters numbered from `$1`; a tally joins the parts side by side
//! (`SELECT * FROM (part) t0 CROSS JOIN (part) t1 …`), renumbering each
//! part's parameters after the ones before it. A page that shows a dozen
//! counts from different tables (the user's day) then costs one statement,
//! and each part still scans its table once.

use crate::Result;
use sqlx::AnyConnection;

/// A parameter of a statement built at run time.
#[derive(Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// `q` with `args` bound in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

/// One aggregate query answering one row of `width` integer columns.
pub struct Part {
    pub(crate) select: String,
    pub(crate) args: Vec<Arg>,
    pub(crate) width: usize,
}

impl Part {
    pub(crate) fn new(select: String, args: Vec<Arg>, width: usize) -> Self {
        Part {
            select,
            args,
            width,
        }
    }

    /// How many numbers the part answers.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The part's numbers, run alone.
    pub(crate) async fn run(self, c: &mut AnyConnection) -> Result<Vec<i64>> {
        let mut t = Tally::new();
        t.add(self);
        Ok(t.run(c).await?.pop().unwrap_or_default())
    }
}

/// Parts to be counted together.
#[derive(Default)]
pub struct Tally {
    parts: Vec<Part>,
}

impl Tally {
    pub fn new() -> Self {
        Tally::default()
    }

    /// Add a part; its index in the answer of [`Tally::run`].
    pub fn add(&mut self, part: Part) -> usize {
        self.parts.push(part);
        self.parts.len() - 1
    }

    /// The numbers of every part, in the order added (one statement; none
    /// when there are no parts).
    pub async fn run(self, c: &mut AnyConnection) -> Result<Vec<Vec<i64>>> {
        if self.parts.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = Vec::new();
        let mut from = Vec::new();
        for (i, p) in self.parts.iter().enumerate() {
            from.push(format!("({}) t{i}", shift_params(&p.select, args.len())));
            args.extend(p.args.iter().cloned());
        }
        let sql = format!("SELECT * FROM {}", from.join(" CROSS JOIN "));
        let row = bind_all(sqlx::query(&sql), &args).fetch_one(c).await?;
        let mut column = 0;
        let mut out = Vec::with_capacity(self.parts.len());
        for p in &self.parts {
            let mut numbers = Vec::with_capacity(p.width);
            for _ in 0..p.width {
                // An aggregate over no rows (MAX, SUM) is NULL: none is 0.
                let n: Option<i64> = sqlx::Row::try_get(&row, column)?;
                numbers.push(n.unwrap_or(0));
                column += 1;
            }
            out.push(numbers);
        }
        Ok(out)
    }
}

/// `sql` with every parameter `$k` written `$(k + by)`.
fn shift_params(sql: &str, by: usize) -> String {
    if by == 0 {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(ch);
        if ch != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        match digits.parse::<usize>() {
            Ok(k) => out.push_str(&(k + by).to_string()),
            Err(_) => out.push_str(&digits),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shift_params;

    #[test]
    fn parameters_are_renumbered_after_the_ones_before() {
        assert_eq!(
            shift_params("a = $1 AND b IN ($2, $10)", 3),
            "a = $4 AND b IN ($5, $13)"
        );
        assert_eq!(shift_params("no parameters", 5), "no parameters");
        assert_eq!(shift_params("$1", 0), "$1");
    }
}
