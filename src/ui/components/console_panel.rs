//! The Console tab: Kafka's command-line tools typed against the simulated cluster, answering in
//! the tools' own words. A terminal's keys: Enter runs, ↑/↓ walk the history, Tab completes
//! commands, options, topics and groups, Ctrl+C stops a console producer (or drops the line),
//! Ctrl+D ends a console producer's input, Ctrl+L clears, Esc leaves for the page's shortcuts.
//! A pasted script runs line by line. "Show clicks as CLI" prints, for every click on the page,
//! the Kafka command it equals.

use crate::ui::components::keyed_list::KeyedList;
use crate::ui::playground::{ConsoleLine, LineKind, Playground, use_playground};
use crate::ui::reactive::effect;
use kafka_sim::console::complete::complete;
use leptos::html::{Div, Input};
use leptos::prelude::*;

#[component]
pub fn ConsolePanel() -> impl IntoView {
    let pg = use_playground();
    let input = NodeRef::<Input>::new();
    let output = NodeRef::<Div>::new();
    let typed = RwSignal::new(String::new());
    let console = pg.console;
    if console.lines.with_untracked(Vec::is_empty) {
        console.print([(
            LineKind::Note,
            "# Kafka's command-line tools against the simulated cluster: type help. Tab completes, ↑ ↓ walk the history.".to_owned(),
        )]);
    }
    // New lines scroll into view, as a terminal does.
    effect(move || {
        console.lines.track();
        if let Some(output) = output.get() {
            output.set_scroll_top(output.scroll_height());
        }
    });
    let set_input = move |text: String| {
        typed.set(text.clone());
        if let Some(input) = input.get_untracked() {
            input.set_value(&text);
            let end = text.len() as u32;
            let _ = input.set_selection_range(end, end);
        }
    };
    let keydown = move |ev: web_sys::KeyboardEvent| {
        let text = typed.get_untracked();
        let ctrl = ev.ctrl_key() && !ev.alt_key() && !ev.meta_key();
        match (ctrl, ev.key().as_str()) {
            (false, "Enter") => {
                ev.prevent_default();
                set_input(String::new());
                console.history.update_value(|h| h.push(&text));
                pg.run_console(&text);
            }
            (false, "ArrowUp") => {
                ev.prevent_default();
                if let Some(line) = console.history.try_update_value(|h| h.up(&text)).flatten() {
                    set_input(line);
                }
            }
            (false, "ArrowDown") => {
                ev.prevent_default();
                if let Some(line) = console.history.try_update_value(|h| h.down()).flatten() {
                    set_input(line);
                }
            }
            (false, "Tab") if console.prompt.get_untracked() == "$" => {
                ev.prevent_default();
                let cursor = input
                    .get_untracked()
                    .and_then(|i| i.selection_start().ok().flatten())
                    .map_or(text.len(), |c| c as usize);
                let before = text.get(..cursor).unwrap_or(&text);
                let completion = pg.timeline.with_untracked(|t| complete(before, t.sim()));
                if completion.candidates.len() > 1 {
                    console.print([
                        (LineKind::Typed("$"), text.clone()),
                        (LineKind::Note, completion.candidates.join("   ")),
                    ]);
                }
                let after = text.get(cursor..).unwrap_or_default();
                set_input(format!("{}{after}", completion.apply(before)));
            }
            (false, "Escape") => {
                if let Some(input) = input.get_untracked() {
                    let _ = input.blur();
                }
            }
            (true, "c" | "C") => {
                let selecting = input.get_untracked().is_some_and(|i| {
                    i.selection_start().ok().flatten() != i.selection_end().ok().flatten()
                });
                if !selecting {
                    ev.prevent_default();
                    pg.interrupt_console(&text);
                    set_input(String::new());
                }
            }
            (true, "d" | "D") => {
                ev.prevent_default();
                if console.prompt.get_untracked() == ">" {
                    // The end of input: what was typed on the line is read as its last record.
                    if !text.is_empty() {
                        pg.run_console(&text);
                        set_input(String::new());
                    }
                    pg.run_console("^D");
                } else if text.is_empty() {
                    console.print([(
                        LineKind::Note,
                        "# (no shell to leave: the console stays open)".to_owned(),
                    )]);
                }
            }
            (true, "l" | "L") => {
                ev.prevent_default();
                console.lines.set(Vec::new());
            }
            _ => {}
        }
    };
    let paste = move |ev: web_sys::ClipboardEvent| {
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if !text.contains('\n') {
            return;
        }
        ev.prevent_default();
        run_pasted(pg, &typed.get_untracked(), &text);
        set_input(String::new());
    };
    view! {
        <div class="console" data-testid="console">
            <div class="console-head">
                <label class="check" title="Print the Kafka command each click on the page equals">
                    <input
                        type="checkbox"
                        data-testid="show-cli"
                        prop:checked=move || pg.show_cli.get()
                        on:change=move |ev| pg.show_cli.set(event_target_checked(&ev))
                    />
                    " Show clicks as CLI"
                </label>
                <span class="hint">"help lists the tools · Tab completes · ↑ ↓ history · Ctrl+C stops · Esc leaves"</span>
                <button class="small" data-testid="console-clear" on:click=move |_| console.lines.set(Vec::new())>
                    "Clear"
                </button>
            </div>
            <div class="console-output" role="log" aria-label="Console output" data-testid="console-output" node_ref=output>
                <KeyedList each=move || console.lines.get() key=|line| line.seq let(line)>
                    <ConsoleRow line />
                </KeyedList>
            </div>
            <label class="console-input">
                <span class="prompt" data-testid="console-prompt">{move || console.prompt.get()}</span>
                <span class="visually-hidden">"Console command"</span>
                <input
                    id="console-input"
                    data-testid="console-input"
                    node_ref=input
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    placeholder=move || {
                        if console.prompt.get() == ">" {
                            "a record, one per line; Ctrl+D ends the input"
                        } else {
                            "kafka-topics.sh --bootstrap-server localhost:9092 --list"
                        }
                    }
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=keydown
                    on:paste=paste
                />
            </label>
        </div>
    }
}

/// At most this many lines of a paste run (a paste of a whole log would freeze the page).
const PASTED_LINES: usize = 1_000;

/// A pasted script: the typed text and the pasted lines run one by one, as a terminal does (an
/// empty line too: at a console producer's prompt it is an empty record). A last line without
/// its newline would wait in a terminal's input; here it runs too.
fn run_pasted(pg: Playground, typed: &str, pasted: &str) {
    let text = format!("{typed}{pasted}");
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(PASTED_LINES) {
        pg.console.history.update_value(|h| h.push(line));
        pg.run_console(line);
    }
    if lines.len() > PASTED_LINES {
        pg.console.print([(
            LineKind::Note,
            format!(
                "# only the first {PASTED_LINES} of the {} pasted lines ran",
                lines.len()
            ),
        )]);
    }
}

#[component]
fn ConsoleRow(line: ConsoleLine) -> impl IntoView {
    let (class, prompt) = match line.kind {
        LineKind::Typed(prompt) => ("typed", Some(prompt)),
        LineKind::Output => ("output", None),
        LineKind::Failure => ("failure", None),
        LineKind::Click => ("click", Some("$")),
        LineKind::Note => ("note", None),
    };
    view! {
        <div class=format!("line line-{class}") data-testid=format!("console-{class}")>
            {(line.kind == LineKind::Click).then(|| view! { <span class="badge" title="What a click on the page equals">"click"</span> })}
            {prompt.map(|p| view! { <span class="prompt">{p}</span> })}
            {line.text}
        </div>
    }
}
