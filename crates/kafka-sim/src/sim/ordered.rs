//! Ordered collections that keep the browser bundle small (its size is a product figure).
//!
//! Maps are sorted vectors ([`Map`]), not `BTreeMap`s: a B-tree's node code (insert with splits,
//! remove with merges and steals, clone and drop of subtrees) is compiled once per key/value
//! type, about 3 KB of wasm per map type and some 110 KB over the engine's and the UI's map
//! types; a sorted vector's is a binary search and a `Vec` insert. Our maps hold tens to a few
//! thousand entries (topics, groups, members, partitions, producers), mostly filled in key
//! order, so a sorted vector is as fast (the log cleaner's map of every key in a dirty section
//! is the exception, and stays a `BTreeMap`). Iteration is in key order, as with a `BTreeMap`,
//! and the state hash encodes a `Map` exactly as it encoded a `BTreeMap` (postcard writes both
//! as a length and the pairs in key order). [`Set`] is the same for sets.
//!
//! `collect()` into a map or set sorts its input first, and each element type (and each
//! `sort_by` closure) gets its own copy of the standard library's stable sort, about 4 KB of
//! wasm each. These build maps by insertion and sort any vector with one sort over positions.

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

/// An ordered map on a sorted vector; see the module documentation for why.
pub type Map<K, V> = litemap::LiteMap<K, V>;

/// An ordered set on a sorted vector: a [`Map`] to nothing, with `BTreeSet`'s methods.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Set<T>(Map<T, ()>);

impl<T: Ord> Set<T> {
    /// An empty set.
    pub fn new() -> Self {
        Self(Map::new())
    }

    /// Adds `item`; whether it was not there yet.
    pub fn insert(&mut self, item: T) -> bool {
        self.0.insert(item, ()).is_none()
    }

    /// Takes `item` out; whether it was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.remove(item).is_some()
    }

    /// Whether `item` is in the set.
    pub fn contains<Q: Ord + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.contains_key(item)
    }

    /// The items in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.0.keys()
    }

    /// How many items the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Ord> Extend<T> for Set<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.insert(item);
        }
    }
}

impl<T> IntoIterator for Set<T> {
    type Item = T;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(T, ())>, fn((T, ())) -> T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_tuple_vec().into_iter().map(|(item, ())| item)
    }
}

/// Encoded as `BTreeSet` is (a sequence in order), so the state hash does not change.
impl<T: Serialize> Serialize for Set<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.keys())
    }
}

impl<'de, T: Ord + Deserialize<'de>> Deserialize<'de> for Set<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(set_of)
    }
}

/// Reads a [`Map`] as `LiteMap`'s own `Deserialize` does (a map, or in human-readable formats
/// a sequence of pairs), but inserts the pairs one by one: `LiteMap`'s reader sorts pairs that
/// arrive out of order, which compiles a copy of the stable sort for each map type it reads
/// (`#[serde(deserialize_with = "...")]` on a map field).
pub fn deserialize_map<'de, D, K, V>(deserializer: D) -> Result<Map<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Ord + Deserialize<'de>,
    V: Deserialize<'de>,
{
    struct PairsVisitor<K, V>(PhantomData<fn() -> Map<K, V>>);

    impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<K, V> {
        type Value = Map<K, V>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a map produced by LiteMap")
        }

        fn visit_seq<S: SeqAccess<'de>>(self, mut access: S) -> Result<Self::Value, S::Error> {
            let mut map = Map::new();
            while let Some((key, value)) = access.next_element()? {
                map.insert(key, value);
            }
            Ok(map)
        }

        fn visit_map<M: MapAccess<'de>>(self, mut access: M) -> Result<Self::Value, M::Error> {
            let mut map = Map::new();
            while let Some((key, value)) = access.next_entry()? {
                map.insert(key, value);
            }
            Ok(map)
        }
    }

    if deserializer.is_human_readable() {
        deserializer.deserialize_any(PairsVisitor(PhantomData))
    } else {
        deserializer.deserialize_map(PairsVisitor(PhantomData))
    }
}

/// `BTreeMap::values_mut`, which `LiteMap` spells `iter_mut().map(..)`.
pub trait ValuesMut<V> {
    /// The values, mutably, in key order.
    fn values_mut<'a>(&'a mut self) -> impl Iterator<Item = &'a mut V>
    where
        V: 'a;
}

impl<K, V> ValuesMut<V> for Map<K, V> {
    fn values_mut<'a>(&'a mut self) -> impl Iterator<Item = &'a mut V>
    where
        V: 'a,
    {
        self.iter_mut().map(|(_, value)| value)
    }
}

/// The items as a set, inserted one by one.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> Set<T> {
    let mut set = Set::new();
    set.extend(items);
    set
}

/// The pairs as a map, inserted one by one (a later pair replaces an earlier one's value).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Map<K, V> {
    let mut map = Map::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Sorts ascending, stably.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// Sorts stably by `compare`: the positions are sorted by one routine shared by every element
/// type, then the items are moved into that order.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts stably by the key `key` gives each item.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_items_in_order() {
        let words = [
            "pear", "fig", "apple", "kiwi", "fig", "date", "banana", "plum",
        ];
        let mut ours: Vec<(usize, &str)> = words.iter().copied().enumerate().collect();
        let mut std = ours.clone();
        sort_by_key(&mut ours, |(_, w)| w.len());
        std.sort_by_key(|(_, w)| w.len());
        assert_eq!(ours, std);
        let mut plain: Vec<&str> = words.to_vec();
        sort(&mut plain);
        assert_eq!(
            plain,
            [
                "apple", "banana", "date", "fig", "fig", "kiwi", "pear", "plum"
            ]
        );
    }

    #[test]
    fn maps_read_back_as_litemap_reads_them_in_key_order() {
        #[derive(Serialize, Deserialize)]
        struct Configs {
            #[serde(deserialize_with = "deserialize_map")]
            map: Map<String, String>,
        }
        let written = Configs {
            map: map_of([("b", "2"), ("a", "1")].map(|(k, v)| (k.to_owned(), v.to_owned()))),
        };
        let bytes = postcard::to_allocvec(&written).unwrap();
        let read: Configs = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read.map, written.map);
        let json: Configs =
            serde_json::from_str(r#"{"map": {"b": "2", "a": "1", "b": "3"}}"#).unwrap();
        assert_eq!(
            json.map.into_tuple_vec(),
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "3".to_owned())
            ]
        );
    }

    #[test]
    fn maps_and_sets_keep_the_last_value_and_drop_duplicates() {
        assert_eq!(
            map_of([(2, "b"), (1, "a"), (2, "c")]).into_tuple_vec(),
            [(1, "a"), (2, "c")]
        );
        let set = set_of([3, 1, 3, 2]);
        assert!(set.contains(&2) && !set.contains(&4));
        assert_eq!(set.into_iter().collect::<Vec<_>>(), [1, 2, 3]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
