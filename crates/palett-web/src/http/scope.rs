//! The areas of the API that a token may be limited to, taken from the
//! OpenAPI document: each operation's area is its tag
//! (`palett_domain::token::area_of_tag`). The table is made once from the
//! generated document when the router is built (`install`), so a new route
//! is in an area by its annotation and cannot escape a token's limits.
//! `check` is what `caller::resolve` asks of every bearer request.

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

/// Each operation of the API with its area, and the areas' names.
#[derive(Clone, Debug, Default)]
pub struct Areas {
    prefix: String,
    /// Method (upper case), path segments, and the area (`None`: open).
    routes: Vec<(String, Vec<String>, Option<String>)>,
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

    /// The area of a request: the operation whose path matches (a literal
    /// segment before a `{parameter}`) for this method.
    pub fn area_of(&self, method: &Method, path: &str) -> RouteArea {
        let Some(rest) = path.strip_prefix(&self.prefix) else {
            return RouteArea::Outside;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return RouteArea::Outside;
        }
        let method = if *method == Method::HEAD {
            "GET"
        } else {
            method.as_str()
        };
        let asked = segments(rest);
        let best = self
            .routes
            .iter()
            .filter(|(m, _, _)| m == method)
            .filter_map(|(_, template, area)| {
                matches(template, &asked).map(|literal| (literal, area))
            })
            .max_by_key(|(literal, _)| *literal);
        match best {
            Some((_, Some(area))) => RouteArea::Area(area.clone()),
            Some((_, None)) => RouteArea::Open,
            None => RouteArea::Unknown,
        }
    }

    /// Whether a token with this scope may make this request.
    pub fn check(
        &self,
        scope: &TokenScope,
        method: &Method,
        path: &str,
    ) -> Result<(), ScopeRefusal> {
        let changes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
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
                ("GET".into(), segments("/openapi.json"), None),
                (
                    "GET".into(),
                    segments("/participants/{id}"),
                    Some("participants".into()),
                ),
                (
                    "POST".into(),
                    segments("/participants/search"),
                    Some("participants".into()),
                ),
                (
                    "GET".into(),
                    segments("/participants/{id}/export"),
                    Some("data_protection".into()),
                ),
                ("GET".into(), segments("/projects"), Some("projects".into())),
                (
                    "POST".into(),
                    segments("/projects"),
                    Some("projects".into()),
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
        assert_eq!(
            t.check(&read, &Method::POST, "/api/v1/participants/search"),
            Err(ScopeRefusal::ReadOnly)
        );
        assert_eq!(
            t.check(&read, &Method::POST, "/api/v1/nothing"),
            Err(ScopeRefusal::ReadOnly)
        );
    }
}
