//! The little JSON the reassign tool reads (its topics and reassignment files): objects,
//! arrays, strings, whole numbers, true, false and null. Written here rather than taken from a
//! JSON library, which would weigh on the page's download for two small documents.

/// A JSON value. Object members keep their order; a repeated name is kept twice, as Kafka's
/// reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(i64),
    Text(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Reads `text` as one JSON value; `None` if it is not valid JSON (or has a fraction or an
    /// exponent, which no field the tool reads takes).
    pub fn parse(text: &str) -> Option<Json> {
        let mut reader = Reader {
            chars: text.chars().collect(),
            at: 0,
        };
        let value = reader.value(0)?;
        reader.space();
        (reader.at == reader.chars.len()).then_some(value)
    }

    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Nesting deeper than this is refused: a typed line cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

struct Reader {
    chars: Vec<char>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn space(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.space();
        let found = self.peek() == Some(c);
        self.at += usize::from(found);
        found
    }

    fn word(&mut self, word: &str, value: Json) -> Option<Json> {
        let end = self.at + word.chars().count();
        let found: String = self.chars.get(self.at..end)?.iter().collect();
        self.at = end;
        (found == word).then_some(value)
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        match self.peek()? {
            '{' => {
                self.at += 1;
                let mut members = Vec::new();
                if self.eat('}') {
                    return Some(Json::Object(members));
                }
                loop {
                    self.space();
                    let Json::Text(name) = self.text()? else {
                        return None;
                    };
                    if !self.eat(':') {
                        return None;
                    }
                    members.push((name, self.value(depth + 1)?));
                    if self.eat('}') {
                        return Some(Json::Object(members));
                    }
                    if !self.eat(',') {
                        return None;
                    }
                }
            }
            '[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(']') {
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(']') {
                        return Some(Json::Array(items));
                    }
                    if !self.eat(',') {
                        return None;
                    }
                }
            }
            '"' => self.text(),
            't' => self.word("true", Json::Bool(true)),
            'f' => self.word("false", Json::Bool(false)),
            'n' => self.word("null", Json::Null),
            _ => {
                let start = self.at;
                if self.peek() == Some('-') {
                    self.at += 1;
                }
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.at += 1;
                }
                let digits: String = self.chars[start..self.at].iter().collect();
                digits.parse().ok().map(Json::Number)
            }
        }
    }

    fn text(&mut self) -> Option<Json> {
        if self.peek() != Some('"') {
            return None;
        }
        self.at += 1;
        let mut text = String::new();
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                '"' => return Some(Json::Text(text)),
                '\\' => {
                    let escaped = self.peek()?;
                    self.at += 1;
                    text.push(match escaped {
                        '"' | '\\' | '/' => escaped,
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'u' => {
                            let hex: String =
                                self.chars.get(self.at..self.at + 4)?.iter().collect();
                            self.at += 4;
                            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                        }
                        _ => return None,
                    });
                }
                c if c < ' ' => return None,
                c => text.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_reassign_tool_writes() {
        let text = r#"{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}"#;
        let json = Json::parse(text).expect("valid");
        assert_eq!(json.get("version"), Some(&Json::Number(1)));
        let Some(Json::Array(partitions)) = json.get("partitions") else {
            panic!("partitions");
        };
        assert_eq!(
            partitions[0].get("replicas"),
            Some(&Json::Array(vec![Json::Number(1), Json::Number(2)]))
        );
        assert_eq!(
            Json::parse(" { \"a\" : [ true , null , \"\\u0041\\n\" ] } "),
            Some(Json::Object(vec![(
                "a".into(),
                Json::Array(vec![Json::Bool(true), Json::Null, Json::Text("A\n".into())])
            )]))
        );
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            "{",
            "{\"a\":}",
            "[1,]",
            "{\"a\":1} x",
            "1.5",
            "tru",
            "\"a",
            "{a:1}",
        ] {
            assert_eq!(Json::parse(bad), None, "{bad}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(Json::parse(&deep), None);
    }
}
