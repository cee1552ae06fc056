//! A command line split into words the way a shell does, and its `--options` read the way the
//! Kafka tools' option parser (joptsimple) reads them, with its error messages.

/// Splits `line` into words: spaces separate, single quotes keep everything, double quotes keep
/// everything but `\"` and `\\`, a backslash outside quotes keeps the next character.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("unexpected end of line: a ' is not closed".to_owned()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => {
                                return Err("unexpected end of line: a \" is not closed".to_owned());
                            }
                        },
                        Some(c) => w.push(c),
                        None => return Err("unexpected end of line: a \" is not closed".to_owned()),
                    }
                }
            }
            '\\' => {
                let w = word.get_or_insert_with(String::new);
                if let Some(c) = chars.next() {
                    w.push(c);
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

/// `word` as `words` reads it back and as a shell reads it, with nothing expanded: as it is
/// when it is made only of characters neither treats specially, in single quotes otherwise.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:=,/@%+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The options a tool knows: `switches` take no value, `valued` take one. The tool reads its
/// arguments with them and the console completes them from them.
pub struct ToolOptions {
    pub switches: &'static [&'static str],
    pub valued: &'static [&'static str],
}

impl ToolOptions {
    pub fn parse(&self, args: &[String]) -> Result<Options, String> {
        Options::parse(args, self.switches, self.valued)
    }
}

/// The options of one command line, in the order given.
#[derive(Debug, Default)]
pub struct Options {
    given: Vec<(&'static str, Option<String>)>,
}

impl Options {
    /// Reads `args` against the options a tool knows: `switches` take no value, `valued` take
    /// one (`--name value` or `--name=value`). Refuses what joptsimple refuses, in its words.
    pub fn parse(
        args: &[String],
        switches: &[&'static str],
        valued: &[&'static str],
    ) -> Result<Options, String> {
        let mut given = Vec::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let Some(option) = arg.strip_prefix("--") else {
                return Err(format!(
                    "Found non-option argument '{arg}'; options start with --"
                ));
            };
            let (name, inline) = match option.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (option, None),
            };
            if let Some(&name) = switches.iter().find(|s| **s == name) {
                if inline.is_some() {
                    return Err(format!("Option {name} does not take an argument"));
                }
                given.push((name, None));
            } else if let Some(&name) = valued.iter().find(|s| **s == name) {
                let value = inline
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| format!("Option {name} requires an argument"))?;
                given.push((name, Some(value)));
            } else {
                return Err(format!("{name} is not a recognized option"));
            }
        }
        Ok(Options { given })
    }

    /// Whether `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.given.iter().any(|(n, _)| *n == name)
    }

    /// The last value given for `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given for `name`, in order (`--config a=1 --config b=2`).
    pub fn values(&self, name: &str) -> impl Iterator<Item = &str> {
        self.given
            .iter()
            .filter(move |(n, _)| *n == name)
            .filter_map(|(_, v)| v.as_deref())
    }

    /// The value of a required option, or Kafka's message for its absence.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.value(name)
            .ok_or_else(|| format!("Missing required argument \"[{name}]\""))
    }

    /// Which one of `actions` was given; Kafka's tools want exactly one.
    pub fn action(&self, actions: &[&'static str]) -> Result<&'static str, String> {
        let given: Vec<&'static str> = actions.iter().copied().filter(|a| self.has(a)).collect();
        match given.as_slice() {
            [one] => Ok(one),
            _ => Err(format!(
                "Command must include exactly one action: {}",
                actions
                    .iter()
                    .map(|a| format!("--{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Refuses `used` beside any of `invalid`, in the words of Kafka's
    /// `CommandLineUtils.checkInvalidArgs`.
    pub fn refuse_beside(&self, used: &str, invalid: &[&str]) -> Result<(), String> {
        match invalid
            .iter()
            .find(|other| self.has(used) && self.has(other))
        {
            Some(other) => Err(format!(
                "Option \"[{used}]\" can't be used with option \"[{other}]\""
            )),
            None => Ok(()),
        }
    }

    /// `name`'s value as a whole number, or the message Kafka's tools give for a bad one.
    pub fn number(&self, name: &str) -> Result<Option<i64>, String> {
        self.value(name)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("Cannot parse argument '{v}' of option {name}"))
            })
            .transpose()
    }
}

/// The items given more than once, ascending, each once (the tools' `ToolsUtils.duplicates`,
/// whose hash set lists small numbers and short names in this order).
pub fn repeated<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut sorted = items.to_vec();
    sorted.sort_unstable();
    let mut twice: Vec<T> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0].clone())
        .collect();
    twice.dedup();
    twice
}

/// A `key=value` pair (`--config`, `--property`), or the message for one without `=`.
pub fn pair(item: &str) -> Result<(String, String), String> {
    item.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .ok_or_else(|| format!("Invalid config: {item}; expected key=value"))
}

/// `kafka-configs.sh --add-config a=1,b=2`: pairs split at commas, except inside square
/// brackets, which hold a list value (`cleanup.policy=[compact,delete]`) and are dropped.
pub fn config_list(list: &str) -> Result<Vec<(String, String)>, String> {
    let mut items = vec![String::new()];
    let mut depth = 0u32;
    for c in list.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => items.push(String::new()),
            c => {
                if let Some(item) = items.last_mut() {
                    item.push(c);
                }
            }
        }
    }
    items
        .iter()
        .filter(|item| !item.trim().is_empty())
        .map(|item| pair(item))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(line: &str) -> Vec<String> {
        words(line).expect("words")
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(w("  a  b\tc "), ["a", "b", "c"]);
        assert_eq!(
            w(r#"--topic 'my topic' "say \"hi\"" a\ b"#),
            ["--topic", "my topic", "say \"hi\"", "a b"]
        );
        assert_eq!(w("key=''"), ["key="]);
        assert!(words("'open").is_err());
        assert!(words("\"open").is_err());
        assert!(words("\"open\\").is_err());
        assert!(w("").is_empty());
    }

    #[test]
    fn reads_options_and_refuses_like_joptsimple() {
        let args = w("--create --topic t --partitions=3 --config a=1 --config b=2");
        let o = Options::parse(
            &args,
            &["create", "list"],
            &["topic", "partitions", "config"],
        )
        .expect("options");
        assert!(o.has("create") && !o.has("list"));
        assert_eq!(o.value("topic"), Some("t"));
        assert_eq!(o.number("partitions"), Ok(Some(3)));
        assert_eq!(o.values("config").collect::<Vec<_>>(), ["a=1", "b=2"]);
        assert_eq!(o.action(&["create", "list"]), Ok("create"));
        assert_eq!(
            Options::parse(&w("--nope"), &[], &[]).unwrap_err(),
            "nope is not a recognized option"
        );
        assert_eq!(
            Options::parse(&w("--topic"), &[], &["topic"]).unwrap_err(),
            "Option topic requires an argument"
        );
        assert_eq!(
            Options::parse(&w("--list=x"), &["list"], &[]).unwrap_err(),
            "Option list does not take an argument"
        );
        let none = Options::parse(&[], &["create", "list"], &["topic"]).expect("empty");
        assert_eq!(
            none.required("topic").unwrap_err(),
            "Missing required argument \"[topic]\""
        );
        assert!(none.action(&["create", "list"]).is_err());
        let bad = Options::parse(&w("--partitions x"), &[], &["partitions"]).expect("parsed");
        assert_eq!(
            bad.number("partitions").unwrap_err(),
            "Cannot parse argument 'x' of option partitions"
        );
    }

    #[test]
    fn config_lists_split_on_commas_outside_brackets() {
        let owned = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            config_list("a=1, b = 2,cleanup.policy=[compact,delete]"),
            Ok(vec![
                owned("a", "1"),
                owned("b", "2"),
                owned("cleanup.policy", "compact,delete")
            ])
        );
        assert_eq!(
            pair("cleanup.policy=compact,delete"),
            Ok(owned("cleanup.policy", "compact,delete"))
        );
        assert!(config_list("a=1,nokey").is_err());
    }
}
