//! The areas of the API that a token may be limited to, taken from the
//! OpenAPI document: each operation's area is its tag
//! (`palett_domain::token::area_of_tag`). The table is made once from the
//! generated document when the router is built (`install`), so a new route
//! is in an area by its annotation and cannot escape a token's limits.
//! `check` is what `caller::resolve` asks of every bearer request.
//!
//! A read-only token may make safe requests (GET, HEAD, OPTIONS) and the
//! operations marked as reads ([`READS`] in their annotation: a `POST`
//! that only reads, its input in the body so that names stay out of URLs,
//! like `POST /participants/search`); nothing else.

use axum::http::Method;
use palett_domain::token::{area_of_tag, ScopeRefusal, TokenScope};
use std::sync::OnceLock;

/// Where a request goes, as far as a token's areas are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteArea {
    /// An operation that needs no credentials (the document itself).
    Open,
    /// An operation of the API in this area.
    Area(String),
    /// Under the API's prefix but no operation: answered 404 by routing.
    Unknown,
    /// Not the API (a page): in no area.
    Outside,
}

/// The OpenAPI extension that marks an operation with an unsafe method as
/// a read (`extensions(("x-palett-reads" = json!(true)))`): it changes
/// nothing, so a read-only token may call it.
pub const READS: &str = "x-palett-reads";

/// One operation: method (upper case), path segments, its area (`None`:
/// open) and whether it only reads.
type Operation = (String, Vec<String>, Option<String>, bool);

/// Each operation of the API with its area, and the areas' names.
#[derive(Clone, Debug, Default)]
pub struct Areas {
    prefix: String,
    routes: Vec<Operation>,
    names: Vec<String>,
}

impl Areas {
    /// The table of a generated document served under `prefix`.
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, prefix: &str) -> Self {
        let json = serde_json::to_value(doc).unwrap_or_default();
        let mut routes = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (path, item) in json["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                if method == "parameters" {
                    continue;
                }
                let open = op["security"] == serde_json::json!([{}]);
                let area = op["tags"][0].as_str().map(area_of_tag);
                if let (false, Some(a)) = (open, &area) {
                    if !names.contains(a) {
                        names.push(a.clone());
                    }
                }
                routes.push((
                    method.to_uppercase(),
                    segments(path),
                    if open { None } else { area },
                    op[READS] == serde_json::json!(true),
                ));
            }
        }
        names.sort();
        Self {
            prefix: prefix.to_string(),
            routes,
            names,
        }
    }

    /// The areas a token may be limited to, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The operation a request under the prefix is (the one whose path
    /// matches, a literal segment before a `{parameter}`, for this
    /// method); `Err` for a request outside the prefix.
    fn operation(&self, method: &Method, path: &str) -> Result<Option<&Operation>, ()> {
        let rest = path.strip_prefix(&self.prefix).ok_or(())?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Err(());
        }
        let method = if *method == Method::HEAD {
            "GET"
        } else {
            method.as_str()
        };
        let asked = segments(rest);
        Ok(self
            .routes
            .iter()
            .filter(|(m, ..)| m == method)
            .filter_map(|op| matches(&op.1, &asked).map(|literal| (literal, op)))
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, op)| op))
    }

    /// The area of a request: that of its operation.
    pub fn area_of(&self, method: &Method, path: &str) -> RouteArea {
        match self.operation(method, path) {
            Err(()) => RouteArea::Outside,
            Ok(Some((_, _, Some(area), _))) => RouteArea::Area(area.clone()),
            Ok(Some((_, _, None, _))) => RouteArea::Open,
            Ok(None) => RouteArea::Unknown,
        }
    }

    /// Whether a request changes anything: any but a safe method, unless
    /// its operation is marked as a read ([`READS`]).
    fn changes(&self, method: &Method, path: &str) -> bool {
        let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        let reads = matches!(self.operation(method, path), Ok(Some((.., true))));
        !safe && !reads
    }

    /// Whether a token with this scope may make this request.
    pub fn check(
        &self,
        scope: &TokenScope,
        method: &Method,
        path: &str,
    ) -> Result<(), ScopeRefusal> {
        let changes = self.changes(method, path);
        match self.area_of(method, path) {
            RouteArea::Open | RouteArea::Unknown => scope.allows(changes, None).or_else(|r| {
                // An open or unknown address is no area's: only the
                // read-only limit applies to it.
                match r {
                    ScopeRefusal::OutsideAreas(_) => Ok(()),
                    other => Err(other),
                }
            }),
            RouteArea::Area(a) => scope.allows(changes, Some(&a)),
            RouteArea::Outside => scope.allows(changes, None),
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// How many literal segments of `template` match `asked`, if it matches.
fn matches(template: &[String], asked: &[String]) -> Option<usize> {
    if template.len() != asked.len() {
        return None;
    }
    let mut literal = 0;
    for (t, a) in template.iter().zip(asked) {
        if t.starts_with('{') && t.ends_with('}') {
            continue;
        }
        if t != a {
            return None;
        }
        literal += 1;
    }
    Some(literal)
}

static INSTALLED: OnceLock<&'static Areas> = OnceLock::new();

/// Make this the table `installed` answers (the router does, once).
pub fn install(areas: &'static Areas) {
    let _ = INSTALLED.set(areas);
}

/// The table the router installed; without one, no address is in any
/// area (an area-limited token then reaches nothing).
pub fn installed() -> &'static Areas {
    static NONE: OnceLock<Areas> = OnceLock::new();
    INSTALLED
        .get()
        .copied()
        .unwrap_or_else(|| NONE.get_or_init(Areas::default))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Areas {
        Areas {
            prefix: "/api/v1".into(),
            routes: vec![
                ("GET".into(), segments("/openapi.json"), None, false),
                (
                    "GET".into(),
                    segments("/participants/{id}"),
                    Some("participants".into()),
                    false,
                ),
                (
                    "POST".into(),
                    segments("/participants/search"),
                    Some("participants".into()),
                    true,
                ),
                (
                    "POST".into(),
                    segments("/participants"),
                    Some("participants".into()),
                    false,
                ),
                (
                    "GET".into(),
                    segments("/participants/{id}/export"),
                    Some("data_protection".into()),
                    false,
                ),
                (
                    "GET".into(),
                    segments("/projects"),
                    Some("projects".into()),
                    false,
                ),
                (
                    "POST".into(),
                    segments("/projects"),
                    Some("projects".into()),
                    false,
                ),
            ],
            names: vec![
                "data_protection".into(),
                "participants".into(),
                "projects".into(),
            ],
        }
    }

    #[test]
    fn a_request_is_in_the_area_of_its_operation() {
        let t = table();
        let area = |m: Method, p: &str| t.area_of(&m, p);
        assert_eq!(
            area(Method::GET, "/api/v1/projects"),
            RouteArea::Area("projects".into())
        );
        assert_eq!(
            area(Method::HEAD, "/api/v1/projects"),
            RouteArea::Area("projects".into())
        );
        assert_eq!(
            area(Method::GET, "/api/v1/participants/7/export"),
            RouteArea::Area("data_protection".into())
        );
        assert_eq!(area(Method::GET, "/api/v1/openapi.json"), RouteArea::Open);
        assert_eq!(area(Method::DELETE, "/api/v1/projects"), RouteArea::Unknown);
        assert_eq!(area(Method::GET, "/participants/7"), RouteArea::Outside);
        assert_eq!(area(Method::GET, "/api/v12/projects"), RouteArea::Outside);
    }

    #[test]
    fn a_token_reaches_its_areas_and_reads_only_when_so_limited() {
        let t = table();
        let projects = TokenScope {
            read_only: false,
            areas: vec!["projects".into()],
        };
        assert_eq!(
            t.check(&projects, &Method::POST, "/api/v1/projects"),
            Ok(())
        );
        assert_eq!(
            t.check(&projects, &Method::GET, "/api/v1/participants/3"),
            Err(ScopeRefusal::OutsideAreas(Some("participants".into())))
        );
        assert_eq!(
            t.check(&projects, &Method::GET, "/participants/3"),
            Err(ScopeRefusal::OutsideAreas(None))
        );
        assert_eq!(
            t.check(&projects, &Method::GET, "/api/v1/openapi.json"),
            Ok(())
        );
        let read = TokenScope {
            read_only: true,
            areas: vec![],
        };
        assert_eq!(
            t.check(&read, &Method::GET, "/api/v1/participants/3"),
            Ok(())
        );
        // A search is a read sent by POST: a read-only token may make it,
        // and still may not register anyone.
        assert_eq!(
            t.check(&read, &Method::POST, "/api/v1/participants/search"),
            Ok(())
        );
        assert_eq!(
            t.check(&read, &Method::POST, "/api/v1/participants"),
            Err(ScopeRefusal::ReadOnly)
        );
        assert_eq!(
            t.check(&read, &Method::POST, "/api/v1/nothing"),
            Err(ScopeRefusal::ReadOnly)
        );
    }
}
