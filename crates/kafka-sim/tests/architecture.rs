//! The engine's layers, checked on its sources: the import graph of `src/sim` (its `use
//! crate::sim::...` lines, tests left out) has no cycle among the concept modules; the value
//! modules at the bottom import no concept; no concept imports the engine or what sits over
//! it; and the engine imports nothing of the tools built over it (console, lessons, ...).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules at the bottom: plain values every module may use.
const VALUES: [&str; 6] = ["ids", "ordered", "chunked", "names", "types", "error"];
/// The engine (`engine/`) and the modules over it.
const OVER_CONCEPTS: [&str; 4] = ["engine", "view", "scenario", "timeline"];

/// Module → the modules of `src/sim` it imports. A directory (`engine/`, `coordinator/`) is one
/// module; what its files import from each other is not an edge.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let sim = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim");
    let reexported = root_reexports(&sim.join("mod.rs"));
    assert_eq!(
        reexported.get("Sim").map(String::as_str),
        Some("engine"),
        "read the root's re-exports"
    );
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&sim)
        .expect("src/sim is readable")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            let module = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            for file in std::fs::read_dir(&path).expect("readable").flatten() {
                files.push((module.clone(), file.path()));
            }
        } else if path.file_name().is_some_and(|n| n != "mod.rs") {
            let module = path
                .file_stem()
                .expect("a stem")
                .to_string_lossy()
                .into_owned();
            files.push((module, path));
        }
    }
    for (module, path) in files {
        let source = std::fs::read_to_string(&path).expect("a source file");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        let imports = graph.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::sim::") {
            let rest = &code[at + "crate::sim::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(0)]
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or_default())
                    .collect(),
                None => vec![
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or_default(),
                ],
            };
            for name in names {
                // `crate::sim::Sim` and the like are re-exported at the root: name their module.
                let name = reexported.get(name).map_or(name, String::as_str);
                if !name.is_empty() && name != module {
                    imports.insert(name.to_owned());
                }
            }
        }
    }
    graph
}

/// Name → module for what `src/sim/mod.rs` re-exports (`pub use engine::{Sim, SimConfig};`).
fn root_reexports(mod_rs: &Path) -> BTreeMap<String, String> {
    let source = std::fs::read_to_string(mod_rs).expect("src/sim/mod.rs");
    let mut names = BTreeMap::new();
    for statement in source.split("pub use ").skip(1) {
        let statement = &statement[..statement.find(';').unwrap_or(0)];
        let Some((module, items)) = statement.split_once("::") else {
            continue;
        };
        for item in items
            .trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace())
            .split(',')
        {
            let item = item.trim();
            if !item.is_empty() {
                names.insert(item.to_owned(), module.trim().to_owned());
            }
        }
    }
    names
}

#[test]
fn the_concept_modules_import_each_other_without_a_cycle() {
    let graph = import_graph();
    assert!(graph.len() > 25, "found the modules: {:?}", graph.keys());
    // Depth-first search for a back edge among the concepts and values.
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(module) || OVER_CONCEPTS.contains(&module) {
            return;
        }
        if let Some(start) = path.iter().position(|m| m == module) {
            panic!("an import cycle: {} → {module}", path[start..].join(" → "));
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(module.to_owned());
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn values_import_no_concept_and_concepts_import_no_engine() {
    for (module, imports) in import_graph() {
        if VALUES.contains(&module.as_str()) {
            let concepts: Vec<_> = imports
                .iter()
                .filter(|m| !VALUES.contains(&m.as_str()))
                .collect();
            assert!(
                concepts.is_empty(),
                "the value module {module} imports {concepts:?}"
            );
        } else if !OVER_CONCEPTS.contains(&module.as_str()) {
            let above: Vec<_> = imports
                .iter()
                .filter(|m| OVER_CONCEPTS.contains(&m.as_str()))
                .collect();
            assert!(above.is_empty(), "the concept {module} imports {above:?}");
        }
    }
}

#[test]
fn the_engine_imports_nothing_built_over_it() {
    let sim = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim");
    let mut stack = vec![sim];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a source file");
            for tool in [
                "console", "lesson", "share", "export", "charts", "forms", "format", "history",
            ] {
                assert!(
                    !source.contains(&format!("crate::{tool}")),
                    "{} imports crate::{tool}",
                    path.display()
                );
            }
        }
    }
}
