//! The shape of the code, checked: no import cycle between the modules of
//! a crate, nothing in the web crate imports upwards (`http` knows no page,
//! `ui` no feature), and no web source file grows past ~600 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`, with its path relative to `dir`.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a readable source");
                let rel = path.strip_prefix(dir).expect("below dir").to_path_buf();
                out.push((rel, text));
            }
        }
    }
    out
}

/// The crate's top-level modules each file belongs to and the top-level
/// modules it names through `crate::` (comments left out).
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in sources(src) {
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a file name");
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let deps = graph.entry(module.clone()).or_default();
        for piece in code.split("crate::").skip(1) {
            let names: Vec<&str> = match piece.strip_prefix('{') {
                // `use crate::{a::b, c}`: the first name of each element.
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(str::trim)
                    .collect(),
                None => vec![piece],
            };
            for name in names {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let is_module = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                if is_module && name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle in the graph, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut cycle = path[at..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn crate_src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .join("src")
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_only_a_cycle() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
        }
        g
    };
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])),
        None
    );
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

/// Every crate of the workspace with modules (the command line is one file).
const CRATES: &[&str] = &["palett-domain", "palett-store", "palett-app", "palett-web"];

#[test]
fn no_crate_has_an_import_cycle_between_its_modules() {
    for name in CRATES {
        let graph = module_graph(&crate_src(name));
        assert!(graph.len() > 5, "{name}: read its modules: {graph:?}");
        assert_eq!(find_cycle(&graph), None, "{name}: an import cycle");
    }
}

#[test]
fn the_web_crate_imports_only_downwards() {
    let graph = module_graph(&crate_src("palett-web"));
    let allowed = |module: &str| -> &[&str] {
        match module {
            "i18n" => &[],
            "document" => &["i18n"],
            "http" => &["i18n"],
            "ui" => &["http", "i18n"],
            // A feature may use the kit and other features (acyclic, above).
            _ => &[
                "http",
                "ui",
                "i18n",
                "document",
                "account",
                "admin",
                "audit",
                "consents",
                "dashboards",
                "employers",
                "exports",
                "followups",
                "openings",
                "palette",
                "participants",
                "placements",
                "projects",
                "reports",
            ],
        }
    };
    for (module, deps) in &graph {
        for dep in deps {
            assert!(
                allowed(module).contains(&dep.as_str()),
                "{module} imports {dep}, which it may not"
            );
        }
    }
    assert!(graph.contains_key("http") && graph.contains_key("ui"));
}

#[test]
fn no_web_source_file_is_over_600_lines() {
    let long: Vec<String> = sources(&crate_src("palett-web"))
        .into_iter()
        .filter(|(_, text)| text.lines().count() > 600)
        .map(|(rel, text)| format!("{}: {}", rel.display(), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "too long: {long:?}");
}

#[test]
fn the_web_and_the_command_line_reach_the_database_only_through_use_cases() {
    for name in ["palett-web", "palett-cli"] {
        let files = sources(&crate_src(name));
        assert!(!files.is_empty(), "{name}: read its sources");
        for (rel, text) in files {
            for needle in ["raw_db", "palett_store::"] {
                assert!(
                    !text.contains(needle),
                    "{name}/src/{}: uses `{needle}`; call an App use case instead",
                    rel.display()
                );
            }
        }
    }
}

#[test]
fn every_change_goes_through_the_unit_of_work_with_its_audit_entry() {
    // A write transaction is opened in `work.rs` only (a `Change`, which
    // commits only with its audit entry, or named bookkeeping), and audit
    // rows are appended there only.
    let files = sources(&crate_src("palett-app"));
    assert!(files.iter().any(|(rel, _)| rel == Path::new("work.rs")));
    for (rel, text) in files {
        if rel == Path::new("work.rs") {
            continue;
        }
        for needle in ["db.write()", "audit::append", "append_for_participants"] {
            assert!(
                !text.contains(needle),
                "palett-app/src/{}: uses `{needle}`; begin a work::Change instead",
                rel.display()
            );
        }
    }
}
