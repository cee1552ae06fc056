//! Leptos' `For` with its rows type-erased, so that the page carries one copy of the keyed diff.
//!
//! `For` is generic over the items, their keys and the row views: each list on the page got
//! its own copy of the diff (a hash set of the keys; moves, inserts and removals of rows) and of
//! the reactive glue around it, about 3 KB of wasm per list (the bundle's size is a product
//! figure). [`KeyedList`] takes the same `each`, `key` and `children` as `For`, turns every item
//! into a [`Row`] (its key behind `dyn`, and how to draw it) and gives those to the one `For`
//! of [`rows`]. Rows are kept, moved, drawn and dropped exactly as `For` does it, by key
//! equality, each drawn in its own reactive owner.

use leptos::prelude::*;
use std::any::Any;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A keyed list: `For`'s props and behaviour (see the module documentation for why it exists).
#[component]
pub fn KeyedList<IF, I, T, KF, K, CF, N>(each: IF, key: KF, children: CF) -> impl IntoView
where
    IF: Fn() -> I + Send + 'static,
    I: IntoIterator<Item = T>,
    T: Send + 'static,
    KF: Fn(&T) -> K + Send + 'static,
    K: Eq + Hash + Send + Sync + 'static,
    CF: Fn(T) -> N + Send + Sync + 'static,
    N: IntoView + 'static,
{
    let children = Arc::new(children);
    rows(Box::new(move || {
        each()
            .into_iter()
            .map(|item| {
                let key = RowKey(Arc::new(key(&item)));
                let children = Arc::clone(&children);
                let draw: DrawRow = Box::new(move || children(item).into_any());
                Row { key, draw }
            })
            .collect()
    }))
}

/// Draws a row that is new to the list.
type DrawRow = Box<dyn FnOnce() -> AnyView + Send>;

/// One item of a [`KeyedList`], its type erased.
struct Row {
    key: RowKey,
    draw: DrawRow,
}

/// The one `For` every [`KeyedList`] renders through.
fn rows(each: Box<dyn Fn() -> Vec<Row> + Send>) -> AnyView {
    view! { <For each key=|row: &Row| row.key.clone() children=|row: Row| (row.draw)() /> }
        .into_any()
}

/// An item's key behind `dyn`: equal and hashed as the key itself.
#[derive(Clone)]
struct RowKey(Arc<dyn ErasedKey>);

/// What `For` needs of a key, callable on a `dyn` value.
trait ErasedKey: Any + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn equals(&self, other: &dyn ErasedKey) -> bool;
    fn hash_into(&self, state: &mut dyn Hasher);
}

impl<K: Eq + Hash + Send + Sync + 'static> ErasedKey for K {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn equals(&self, other: &dyn ErasedKey) -> bool {
        other.as_any().downcast_ref::<K>() == Some(self)
    }

    fn hash_into(&self, mut state: &mut dyn Hasher) {
        self.hash(&mut state);
    }
}

impl PartialEq for RowKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.equals(&*other.0)
    }
}

impl Eq for RowKey {}

impl Hash for RowKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash_into(state);
    }
}
