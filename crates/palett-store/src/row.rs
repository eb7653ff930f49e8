//! Decoding helpers shared by the repositories: text columns that hold
//! dates and vocabularies, and integers that hold flags.

use crate::{Result, StoreError};
use jiff::civil::Date;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

pub fn i64_(row: &AnyRow, col: &'static str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub fn opt_i64(row: &AnyRow, col: &'static str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub fn text(row: &AnyRow, col: &'static str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub fn opt_text(row: &AnyRow, col: &'static str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub fn flag(row: &AnyRow, col: &'static str) -> Result<bool> {
    Ok(i64_(row, col)? != 0)
}

pub fn date(row: &AnyRow, col: &'static str) -> Result<Date> {
    text(row, col)?
        .parse::<Date>()
        .map_err(|_| StoreError::Corrupt(col))
}

pub fn opt_date(row: &AnyRow, col: &'static str) -> Result<Option<Date>> {
    opt_text(row, col)?
        .map(|s| s.parse::<Date>().map_err(|_| StoreError::Corrupt(col)))
        .transpose()
}

pub fn moment(row: &AnyRow, col: &'static str) -> Result<Timestamp> {
    Timestamp::from_second(i64_(row, col)?).map_err(|_| StoreError::Corrupt(col))
}

/// A closed-vocabulary value stored as text.
pub fn vocab<T>(row: &AnyRow, col: &'static str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(&text(row, col)?).ok_or(StoreError::Corrupt(col))
}

pub fn opt_vocab<T>(
    row: &AnyRow,
    col: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    opt_text(row, col)?
        .map(|s| parse(&s).ok_or(StoreError::Corrupt(col)))
        .transpose()
}

/// Escape `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub fn like_contains(needle: &str) -> String {
    let mut s = String::with_capacity(needle.len() + 2);
    s.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}
