//! Kafka's names of the settings' values (`acks=all`, `isolation.level=read_committed`,
//! `--to-earliest`): one table per enum, which the forms and the console read, and the view,
//! the page's choice lists, the console's completions and the exported script write. A leaf:
//! it knows none of the engine's types; each type's file names its values.

/// An enum whose values have names a learner types or picks.
pub trait Named: Clone + 'static {
    /// Every value with its name, in the order choice lists and refusals give them. A variant
    /// with data is listed with a placeholder that the reader of the name fills in.
    const NAMES: &'static [(&'static str, Self)];
    /// Other spellings Kafka accepts for a value (acks `-1`): read, never shown.
    const ALIASES: &'static [(&'static str, Self)] = &[];

    /// The name of `self`'s variant, its data aside.
    fn name(&self) -> &'static str;

    /// The value named `text` (exactly, or one of its aliases).
    fn from_name(text: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .chain(Self::ALIASES)
            .find(|(name, _)| *name == text)
            .map(|(_, value)| value.clone())
    }

    /// The names, in the table's order (aliases left out).
    fn names() -> impl Iterator<Item = &'static str> {
        Self::NAMES.iter().map(|(name, _)| *name)
    }
}

/// "a, b or c": the names a refusal offers.
pub fn either(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let names: Vec<_> = names.into_iter().collect();
    match names.split_last() {
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, others)) => {
            let others: Vec<&str> = others.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", others.join(", "), last.as_ref())
        }
        None => String::new(),
    }
}

/// `impl Named` (and a `Display` that writes the name) for an enum of unit variants, from one
/// list of `Variant => "name"` in the order choice lists show them, then the aliases if any:
/// `named!(Acks { All => "all", Leader => "1", None => "0" } aliases { "-1" => All });`
macro_rules! named {
    ($type:ident { $($variant:ident => $name:literal),+ $(,)? }
        $(aliases { $($alias:literal => $target:ident),+ $(,)? })?) => {
        impl $crate::sim::names::Named for $type {
            const NAMES: &'static [(&'static str, Self)] = &[$(($name, $type::$variant)),+];
            $(const ALIASES: &'static [(&'static str, Self)] = &[$(($alias, $type::$target)),+];)?

            fn name(&self) -> &'static str {
                match self {
                    $($type::$variant => $name),+
                }
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::sim::names::Named::name(self))
            }
        }
    };
}

pub(crate) use named;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::topic_config::CleanupPolicy;
    use crate::sim::types::{
        GroupProtocol, KeySet, PartitionerMode, ResetSpec, ServerAssignor, Strategy,
    };
    use crate::sim::{Acks, AutoOffsetReset, IsolationLevel};
    use std::fmt::Debug;

    /// Each entry of `T`'s table is named by its name, and its name reads back as it.
    fn reads_back<T: Named + PartialEq + Debug>() {
        for (name, value) in T::NAMES {
            assert_eq!(value.name(), *name);
            assert_eq!(T::from_name(name).as_ref(), Some(value));
        }
    }

    #[test]
    fn every_table_reads_back() {
        reads_back::<Acks>();
        reads_back::<AutoOffsetReset>();
        reads_back::<IsolationLevel>();
        reads_back::<Strategy>();
        reads_back::<ServerAssignor>();
        reads_back::<GroupProtocol>();
        reads_back::<PartitionerMode>();
        reads_back::<ResetSpec>();
        reads_back::<KeySet>();
        reads_back::<CleanupPolicy>();
        assert_eq!(Acks::from_name("-1"), Some(Acks::All));
        assert_eq!(Acks::names().collect::<Vec<_>>(), ["all", "1", "0"]);
    }

    #[test]
    fn either_lists_names_with_or_before_the_last() {
        assert_eq!(
            either(["delete", "compact", "compact,delete"]),
            "delete, compact or compact,delete"
        );
        assert_eq!(either(["a", "b"]), "a or b");
        assert_eq!(either(["a"]), "a");
        assert_eq!(either(Vec::<&str>::new()), "");
    }
}
