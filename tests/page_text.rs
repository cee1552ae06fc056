//! The page's part of the bad-input matrix: no component sets HTML from a string, and the
//! messages a guide page may post to an embedded playground are read or refused by field. The
//! core's part (console lines, links, files, lesson files) is crates/kafka-sim/tests/bad_input.rs.

const MARKUP: &str = "<img src=x onerror=alert(1)>";

/// Text reaches the page only as text: Leptos renders strings as text nodes, and no component
/// sets HTML from a string, so nothing a learner types, imports or puts in the address becomes
/// markup.
/// (The browser tests check the same on the page: tests/browser, bad input and the address.)
#[test]
fn no_component_sets_inner_html() {
    fn rust_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 50, "found the sources");
    let setting_html: Vec<_> = files
        .iter()
        .filter(|path| {
            let source = std::fs::read_to_string(path).unwrap_or_default();
            [
                "inner_html",
                "innerHTML",
                "outer_html",
                "outerHTML",
                "insert_adjacent_html",
                "srcdoc",
            ]
            .iter()
            .any(|setter| source.contains(setter))
        })
        .collect();
    assert!(setting_html.is_empty(), "{setting_html:?}");
}

#[test]
fn post_messages_a_guide_page_might_send_are_read_or_refused_by_field() {
    use kafka_playground::ui::embed::{Field, read_request};
    let text = |s: &str| Field::Text(s.to_owned());
    let huge = "x".repeat(1 << 20);
    let refused: Vec<(Vec<(&str, Field)>, &str)> = vec![
        (vec![], "type: missing"),
        (vec![("type", Field::Other)], "type: not text"),
        (
            vec![("type", Field::Number(f64::INFINITY))],
            "type: not text",
        ),
        (
            vec![("type", text(MARKUP))],
            "type: \"<img src=x onerror=alert(1)>\" is not",
        ),
        (vec![("type", text(&huge))], "type: \"xxxxxxxx"),
        (vec![("type", text("run"))], "line: missing"),
        (
            vec![("type", text("run")), ("line", text(&huge))],
            "line: 1048576 bytes",
        ),
        (
            vec![("type", text("run")), ("line", Field::Number(1.0))],
            "line: not text",
        ),
        (
            vec![("type", text("step")), ("ticks", Field::Number(-1.0))],
            "ticks: not a whole number",
        ),
        (
            vec![("type", text("step")), ("ticks", Field::Number(0.5))],
            "ticks: not a whole number",
        ),
        (
            vec![("type", text("seek")), ("ms", Field::Number(f64::NAN))],
            "ms: not a whole number",
        ),
        (
            vec![("type", text("seek")), ("ms", text("5"))],
            "ms: not a whole number",
        ),
        (
            vec![("type", text("load"))],
            "load: give a scenario or a link",
        ),
        (
            vec![("type", text("load")), ("scenario", text(MARKUP))],
            "scenario: \"<img",
        ),
        (
            vec![("type", text("load")), ("link", Field::Other)],
            "link: not text",
        ),
        (
            vec![("type", text("lesson")), ("id", text("../topic"))],
            "id: \"../topic\" is not one of",
        ),
        (
            vec![("type", text("speed")), ("speed", Field::Number(1e300))],
            "speed: not one of",
        ),
    ];
    for (fields, message) in refused {
        let read = read_request(|key| {
            fields
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(Field::Missing, |(_, v)| v.clone())
        });
        let error = read.expect_err(message);
        assert!(error.starts_with(message), "{error:.200}");
        assert!(error.len() < 400, "{} bytes", error.len());
    }
    // A console line that is markup is read as a line: the console refuses or keeps it as text.
    let line = read_request(|key| match key {
        "type" => text("run"),
        "line" => text(MARKUP),
        _ => Field::Missing,
    });
    assert_eq!(
        line,
        Ok(kafka_playground::ui::embed::Request::Run(MARKUP.to_owned()))
    );
}
