//! A sequence in shared chunks, so that copying it is cheap: the logs keep their records in
//! one (`log.rs`). Time travel snapshots the whole simulation every 10 s, and a copy of a plain
//! vector of records copied every record's pointer (3 of them per record written, one per
//! replica: 8 MB a snapshot in the busy scenario, which kept 90 s of history). A copy here
//! shares every chunk (`Arc`) and a change copies only the chunk it touches, so a snapshot
//! costs a pointer per chunk and the chunk its log appends to next.
//!
//! Every chunk holds 1 to `CHUNK` items, and every chunk between the first and the last
//! exactly `CHUNK`: the position of an item is found by arithmetic, as in a vector.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ops::Range;
use std::slice;
use std::sync::Arc;

/// Items per chunk: a copy shares all but the chunk appended to next, which the original
/// copies (at most this many items) when it appends after the copy was made.
const CHUNK: usize = 128;

type Chunk<T> = Arc<Vec<T>>;

/// A sequence of `T`, as a vector. Serialized as a plain sequence (the same form as a vector,
/// so the state hash and saved states are the same as with one).
#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Chunk<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

/// Where the item at a position is: the chunk and the position in it. Past the end it is
/// (number of chunks, 0), or the end of a last chunk that is not full.
fn locate<T>(chunks: &[Chunk<T>], index: usize) -> (usize, usize) {
    let first = chunks.first().map_or(0, |c| c.len());
    let (chunk, at) = if index < first {
        (0, index)
    } else {
        let rest = index - first;
        (1 + rest / CHUNK, rest % CHUNK)
    };
    if chunk >= chunks.len() {
        (chunks.len(), 0)
    } else {
        (chunk, at)
    }
}

impl<T: Clone> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every item, as a view.
    pub fn all(&self) -> ChunkedSlice<'_, T> {
        ChunkedSlice {
            chunks: &self.chunks,
            start: 0,
            end: self.len,
        }
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|c| c.last())
    }

    /// Appends an item at the end.
    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => writable(last).push(item),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(item);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// Keeps the first `len` items.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let (chunk, at) = locate(&self.chunks, len);
        self.chunks.truncate(chunk + usize::from(at > 0));
        if at > 0
            && let Some(last) = self.chunks.last_mut()
        {
            writable(last).truncate(at);
        }
        self.len = len;
    }

    /// Removes the first `count` items.
    pub fn remove_first(&mut self, count: usize) {
        if count >= self.len {
            self.clear();
            return;
        }
        let (chunk, at) = locate(&self.chunks, count);
        self.chunks.drain(..chunk);
        if at > 0
            && let Some(first) = self.chunks.first_mut()
        {
            writable(first).drain(..at);
        }
        self.len -= count;
    }

    /// Keeps the items `keep` is true of, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let kept: Vec<T> = self
            .all()
            .iter()
            .filter(|item| keep(item))
            .cloned()
            .collect();
        *self = kept.into_iter().collect();
    }

    pub fn clear(&mut self) {
        *self = Chunked::default();
    }
}

/// The chunk to change, copied first if a copy of the sequence shares it (with room for a
/// full chunk, so appends do not grow it again).
fn writable<T: Clone>(chunk: &mut Chunk<T>) -> &mut Vec<T> {
    if Arc::get_mut(chunk).is_none() {
        let mut copy = Vec::with_capacity(CHUNK);
        copy.extend(chunk.iter().cloned());
        *chunk = Arc::new(copy);
    }
    Arc::make_mut(chunk)
}

impl<T: Clone> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Chunked<T> {
        let mut chunked = Chunked::default();
        for item in items {
            chunked.push(item);
        }
        chunked
    }
}

impl<T: Clone + PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Chunked<T>) -> bool {
        self.len == other.len && self.all().iter().eq(other.all().iter())
    }
}

impl<T: Clone + Eq> Eq for Chunked<T> {}

impl<T: Clone + Serialize> Serialize for Chunked<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.all().iter())
    }
}

impl<'de, T: Clone + Deserialize<'de>> Deserialize<'de> for Chunked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Chunked<T>, D::Error> {
        let items: Vec<T> = Vec::deserialize(deserializer)?;
        Ok(items.into_iter().collect())
    }
}

/// A run of a `Chunked`'s items, in order: what a slice of a vector is. Positions count from
/// the run's first item.
#[derive(Debug)]
pub struct ChunkedSlice<'a, T> {
    chunks: &'a [Chunk<T>],
    start: usize,
    end: usize,
}

impl<T> Clone for ChunkedSlice<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ChunkedSlice<'_, T> {}

impl<T> Default for ChunkedSlice<'_, T> {
    fn default() -> Self {
        ChunkedSlice {
            chunks: &[],
            start: 0,
            end: 0,
        }
    }
}

impl<'a, T> ChunkedSlice<'a, T> {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn iter(&self) -> ChunkedIter<'a, T> {
        let (first, at) = locate(self.chunks, self.start);
        let (last, end_at) = locate(self.chunks, self.end);
        let part = |chunk: usize, from: usize, to: usize| {
            self.chunks
                .get(chunk)
                .map_or(&[][..], |c| &c[from.min(c.len())..to.min(c.len())])
                .iter()
        };
        let (front, middle, back) = if first == last {
            (part(first, at, end_at), [].iter(), [].iter())
        } else {
            (
                part(first, at, CHUNK),
                self.chunks[first + 1..last].iter(),
                part(last, 0, end_at),
            )
        };
        ChunkedIter {
            front,
            middle,
            back,
            len: self.len(),
        }
    }

    /// The item at `index`.
    pub fn get(&self, index: usize) -> Option<&'a T> {
        if index >= self.len() {
            return None;
        }
        let (chunk, at) = locate(self.chunks, self.start + index);
        self.chunks.get(chunk).and_then(|c| c.get(at))
    }

    pub fn first(&self) -> Option<&'a T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&'a T> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The items at positions `range`, cut to the run's end.
    pub fn slice(&self, range: Range<usize>) -> ChunkedSlice<'a, T> {
        let end = self.start + range.end.min(self.len());
        ChunkedSlice {
            chunks: self.chunks,
            start: (self.start + range.start).min(end),
            end,
        }
    }

    /// The number of items at the start that `pred` is true of, `pred` being true of a prefix
    /// (as `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.get(middle).is_some_and(&mut pred) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

impl<'a, T> IntoIterator for ChunkedSlice<'a, T> {
    type Item = &'a T;
    type IntoIter = ChunkedIter<'a, T>;

    fn into_iter(self) -> ChunkedIter<'a, T> {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &ChunkedSlice<'a, T> {
    type Item = &'a T;
    type IntoIter = ChunkedIter<'a, T>;

    fn into_iter(self) -> ChunkedIter<'a, T> {
        self.iter()
    }
}

/// The items of a `ChunkedSlice`, from either end.
#[derive(Clone, Debug)]
pub struct ChunkedIter<'a, T> {
    front: slice::Iter<'a, T>,
    middle: slice::Iter<'a, Chunk<T>>,
    back: slice::Iter<'a, T>,
    len: usize,
}

impl<'a, T> Iterator for ChunkedIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(item) = self.front.next() {
                self.len -= 1;
                return Some(item);
            }
            match self.middle.next() {
                Some(chunk) => self.front = chunk.iter(),
                None => {
                    let item = self.back.next()?;
                    self.len -= 1;
                    return Some(item);
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl<T> DoubleEndedIterator for ChunkedIter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.back.next_back() {
                self.len -= 1;
                return Some(item);
            }
            match self.middle.next_back() {
                Some(chunk) => self.back = chunk.iter(),
                None => {
                    let item = self.front.next_back()?;
                    self.len -= 1;
                    return Some(item);
                }
            }
        }
    }
}

impl<T> ExactSizeIterator for ChunkedIter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the chunks against the vector they stand for, every way they can be read.
    fn same(chunked: &Chunked<u64>, expected: &[u64]) {
        let all = chunked.all();
        assert_eq!((chunked.len(), all.len()), (expected.len(), expected.len()));
        assert_eq!(all.iter().copied().collect::<Vec<_>>(), expected);
        assert_eq!(all.iter().len(), expected.len());
        let mut backwards: Vec<u64> = all.iter().rev().copied().collect();
        backwards.reverse();
        assert_eq!(backwards, expected);
        for (i, item) in expected.iter().enumerate() {
            assert_eq!(all.get(i), Some(item), "at {i}");
        }
        assert!(all.get(expected.len()).is_none());
        assert_eq!(
            (all.first(), all.last()),
            (expected.first(), expected.last())
        );
        for (from, to) in [(0, 1), (5, 300), (127, 129), (128, 256), (200, 201), (1, 0)] {
            let to = to.min(expected.len());
            let from = from.min(to);
            let part: Vec<u64> = all.slice(from..to).iter().copied().collect();
            assert_eq!(part, expected[from..to], "{from}..{to}");
        }
        let middle = expected
            .get(expected.len() / 2)
            .copied()
            .unwrap_or(u64::MAX);
        assert_eq!(
            all.partition_point(|item| *item < middle),
            expected.partition_point(|item| *item < middle)
        );
    }

    /// Appends, truncations, removals from the front and filters, each checked against a
    /// vector doing the same, with copies taken between the steps left as they were.
    #[test]
    fn chunks_read_like_the_vector_they_replace_and_copies_do_not_change() {
        let mut chunked = Chunked::default();
        let mut expected: Vec<u64> = Vec::new();
        let mut copies: Vec<(Chunked<u64>, Vec<u64>)> = Vec::new();
        let mut next = 0;
        for step in 0..40_u64 {
            for _ in 0..(step * 37) % 300 {
                chunked.push(next);
                expected.push(next);
                next += 1;
            }
            match step % 4 {
                0 => {
                    let keep = expected.len() * 3 / 4;
                    chunked.truncate(keep);
                    expected.truncate(keep);
                }
                1 => {
                    let cut = (step as usize * 11) % (expected.len() + 1);
                    chunked.remove_first(cut);
                    expected.drain(..cut);
                }
                2 => {
                    chunked.retain(|item| item % 5 != 0);
                    expected.retain(|item| item % 5 != 0);
                }
                _ => {}
            }
            same(&chunked, &expected);
            copies.push((chunked.clone(), expected.clone()));
        }
        for (copy, expected) in &copies {
            same(copy, expected);
        }
        chunked.remove_first(usize::MAX);
        same(&chunked, &[]);
        chunked.push(1);
        chunked.clear();
        same(&chunked, &[]);
    }

    #[test]
    fn chunks_serialize_as_the_vector_they_replace() {
        let items: Vec<u64> = (0..300).collect();
        let chunked: Chunked<u64> = items.iter().copied().collect();
        let bytes = postcard::to_allocvec(&chunked).expect("encodes");
        assert_eq!(bytes, postcard::to_allocvec(&items).expect("encodes"));
        let back: Chunked<u64> = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, chunked);
    }
}
