//! What a page is made from, as one 128-bit hash: the template values it gets, the values
//! every page shares and the theme. Two builds that give a page the same hash write the same
//! bytes for it, so `build` keeps the last build's file instead of rendering it again (see
//! [`super::Rendering::render_all`]).
//!
//! Values are fed into a [`Feed`]: a buffer of bytes hashed once at the end. Each map becomes
//! a sub-digest of its own (16 bytes in its parent): Tera's maps iterate in no fixed order, so
//! each entry is hashed alone and the entries' hashes are added up, which gives the same sum
//! in any order without sorting them. [`hash_read`] leaves out what the page's templates cannot
//! read (see [`super::reads`]).
//!
//! The same summary map of an article is read by dozens of pages (listings, "Tin liên quan",
//! "Các bài khác"), so a feed made with [`Feed::with_memo`] remembers the sub-digests of the
//! maps that stay alive for the whole render ([`Pinned`]), by the map's address and what the
//! template can read of it, and hashes each of them once per template and place.

use super::reads::Reads;
use rustc_hash::{FxHashMap, FxHashSet};
use std::marker::PhantomData;
use std::sync::{Mutex, TryLockError};
use tera::{Map, Value};
use xxhash_rust::xxh3::{xxh3_128, xxh3_128_with_seed, xxh3_64, Xxh3};

/// A hash of everything a page's bytes depend on.
pub type Inputs = u128;

/// The maps reachable from values that outlive the render (the shared summaries, categories,
/// listings' values): only their sub-digests are remembered. A map's address names it only
/// while it is alive; these stay alive as long as the borrow `'a` of their roots, so no map
/// made and freed during the render can take one of their addresses.
#[derive(Default)]
pub struct Pinned<'a> {
    maps: FxHashSet<usize>,
    roots: PhantomData<&'a Value>,
}

impl<'a> Pinned<'a> {
    /// Every map inside `roots` (at any depth).
    pub fn new(roots: impl IntoIterator<Item = &'a Value>) -> Pinned<'a> {
        let mut pinned = Pinned::default();
        for root in roots {
            pinned.add(root);
        }
        pinned
    }

    fn add(&mut self, value: &Value) {
        if let Some(map) = value.as_map() {
            // A map seen before (a category in every summary) was walked then.
            if self.maps.insert(address(map)) {
                map.values().for_each(|item| self.add(item));
            }
        } else if let Some(items) = value.as_array() {
            items.iter().for_each(|item| self.add(item));
        }
    }

    fn contains(&self, map: &Map) -> bool {
        self.maps.contains(&address(map))
    }
}

fn address(map: &Map) -> usize {
    std::ptr::from_ref(map) as usize
}

/// One [`Feed`] with a memo for each thread of the rayon pool that hashes pages, so that a
/// memo lasts the whole render (rayon's `map_init` starts a new one at every split of the
/// work, a few dozen times). A thread only ever takes its own feed, so its lock is never
/// waited for.
pub struct ThreadFeeds<'p> {
    pinned: &'p Pinned<'p>,
    feeds: Vec<Mutex<Feed<'p>>>,
}

impl<'p> ThreadFeeds<'p> {
    /// A feed remembering the sub-digests of `pinned` maps for each thread of the current
    /// rayon pool.
    pub fn new(pinned: &'p Pinned<'p>) -> ThreadFeeds<'p> {
        ThreadFeeds {
            pinned,
            feeds: (0..rayon::current_num_threads())
                .map(|_| Mutex::new(Feed::with_memo(pinned)))
                .collect(),
        }
    }

    /// Calls `f` with the current thread's feed, emptied of bytes (a new feed outside the
    /// pool, or should the thread's own be taken already).
    pub fn with<R>(&self, f: impl FnOnce(&mut Feed<'p>) -> R) -> R {
        let own = rayon::current_thread_index().and_then(|i| self.feeds.get(i));
        let taken = own.and_then(|feed| match feed.try_lock() {
            Ok(feed) => Some(feed),
            // A panic left it: its memo holds only finished digests.
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        });
        match taken {
            Some(mut feed) => {
                feed.bytes.clear();
                f(&mut feed)
            }
            None => f(&mut Feed::with_memo(self.pinned)),
        }
    }
}

/// The length above which a string is fed as its hash (see [`Feed::str`]).
const LONG: usize = 256;

/// Which sub-digest of a map: the map, and what of it is read (the template's [`Reads`] and
/// the set of entries named for the map's key; both 0 for the whole map).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct MemoKey {
    map: usize,
    reads: usize,
    named: usize,
}

/// Where a page's inputs are fed (see the module's documentation).
#[derive(Default)]
pub struct Feed<'p> {
    bytes: Vec<u8>,
    pinned: Option<&'p Pinned<'p>>,
    memo: FxHashMap<MemoKey, Inputs>,
}

impl<'p> Feed<'p> {
    /// A feed that remembers nothing.
    pub fn new() -> Feed<'static> {
        Feed::default()
    }

    /// A feed that remembers the sub-digests of the `pinned` maps from one digest to the
    /// next: one per thread of the render.
    pub fn with_memo(pinned: &'p Pinned<'p>) -> Feed<'p> {
        Feed {
            pinned: Some(pinned),
            ..Feed::default()
        }
    }

    /// Feeds raw bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// The hash of everything fed since the last digest; the feed is empty again after it
    /// (remembered sub-digests are kept).
    pub fn digest(&mut self) -> Inputs {
        let digest = xxh3_128(&self.bytes);
        self.bytes.clear();
        digest
    }

    /// A string with its length first, so that `ab`,`c` and `a`,`bc` hash apart. A long one
    /// (an article's body) is fed as its own hash: read once, never copied.
    fn str(&mut self, text: &str) {
        self.update(&(text.len() as u64).to_le_bytes());
        match text.len() > LONG {
            true => self.update(&xxh3_128(text.as_bytes()).to_le_bytes()),
            false => self.update(text.as_bytes()),
        }
    }

    fn remembered(&self, key: &MemoKey) -> Option<Inputs> {
        match self.pinned {
            Some(_) => self.memo.get(key).copied(),
            None => None,
        }
    }

    fn remember(&mut self, map: &Map, key: MemoKey, digest: Inputs) {
        if self.pinned.is_some_and(|pinned| pinned.contains(map)) {
            self.memo.insert(key, digest);
        }
    }
}

/// Feeds `value` into `feed`: its kind, its contents and, for strings, whether it is marked
/// safe (a safe string is printed unescaped, so it makes other bytes).
pub fn hash_value(value: &Value, feed: &mut Feed) {
    if let Some(map) = value.as_map() {
        let digest = map_digest(map, None, feed);
        feed_map(digest, feed);
    } else if let Some(items) = value.as_array() {
        feed_len(b"a", items.len(), feed);
        for item in items {
            hash_value(item, feed);
        }
    } else {
        hash_scalar(value, feed);
    }
}

/// Feeds `value`, held under the key `parent`, into `feed` as [`hash_value`] does, leaving
/// out the map entries the template cannot read (see [`Reads`]); everything is fed when
/// `reads` is `None`.
pub fn hash_read(value: &Value, parent: &str, reads: Option<&Reads>, feed: &mut Feed) {
    let Some(reads) = reads else {
        return hash_value(value, feed);
    };
    if let Some(map) = value.as_map() {
        let digest = map_digest(map, Some((reads, parent)), feed);
        feed_map(digest, feed);
    } else if let Some(items) = value.as_array() {
        feed_len(b"a", items.len(), feed);
        for item in items {
            hash_read(item, parent, Some(reads), feed);
        }
    } else {
        hash_scalar(value, feed);
    }
}

/// Feeds the page value `name` into `feed` when the template can read it.
pub fn hash_named(name: &str, value: &Value, reads: Option<&Reads>, feed: &mut Feed) {
    if reads.is_some_and(|r| !r.top(name)) {
        return;
    }
    feed.update(&[0xff]);
    feed.update(name.as_bytes());
    feed.update(&[0xff]);
    match reads {
        Some(reads) => hash_entry(name, value, reads, feed),
        None => hash_value(value, feed),
    }
}

/// A value under `key`: whole when it is a map the template loops over.
fn hash_entry(key: &str, value: &Value, reads: &Reads, feed: &mut Feed) {
    match reads.looped(key) && value.as_map().is_some() {
        true => hash_value(value, feed),
        false => hash_read(value, key, Some(reads), feed),
    }
}

/// A kind's letter and a length.
fn feed_len(kind: &[u8], len: usize, feed: &mut Feed) {
    feed.update(kind);
    feed.update(&(len as u64).to_le_bytes());
}

/// A map in its parent: its sub-digest.
fn feed_map(digest: Inputs, feed: &mut Feed) {
    feed.update(b"m");
    feed.update(&digest.to_le_bytes());
}

/// Strings, bytes, numbers, booleans, none and undefined.
fn hash_scalar(value: &Value, feed: &mut Feed) {
    if let Some(text) = value.as_str() {
        feed.update(if value.is_safe() { b"S" } else { b"s" });
        feed.str(text);
    } else if let Some(bytes) = value.as_bytes() {
        feed_len(b"b", bytes.len(), feed);
        feed.update(&xxh3_128(bytes).to_le_bytes());
    } else {
        // The kind, then the value's bits: numbers of different kinds print apart too.
        let kind = value.name();
        feed.str(kind);
        let bits: u128 = match kind {
            "u128" => value.as_u128().unwrap_or_default(),
            "f64" => value.as_f64().map_or(0, |f| f.to_bits().into()),
            "bool" => value.as_bool().map_or(0, u128::from),
            // u64, i64 and i128 fit an i128; none and undefined have nothing more.
            _ => value.as_i128().unwrap_or_default() as u128,
        };
        feed.update(&bits.to_le_bytes());
    }
}

/// The sub-digest of `map`, or of the entries a template can read of it when it is held
/// under `read.1`: remembered for a pinned map (see [`Feed::with_memo`]).
fn map_digest(map: &Map, read: Option<(&Reads, &str)>, feed: &mut Feed) -> Inputs {
    let readable = read.map(|(reads, parent)| (reads, reads.entries_of(parent)));
    let key = MemoKey {
        map: address(map),
        reads: readable
            .as_ref()
            .map_or(0, |(reads, _)| std::ptr::from_ref::<Reads>(reads) as usize),
        named: readable.as_ref().map_or(0, |(_, entries)| entries.id()),
    };
    if let Some(digest) = feed.remembered(&key) {
        return digest;
    }
    let mut sum: Inputs = 0;
    let mut fed: u64 = 0;
    for (key, item) in map {
        let digest = match &readable {
            None => match key.as_str() {
                Some(name) => entry_digest(name, item, None, feed),
                None => entry_digest(&format!("{key:?}"), item, None, feed),
            },
            Some((reads, entries)) => match key.as_str().filter(|name| entries.contains(name)) {
                Some(name) => entry_digest(name, item, Some(reads), feed),
                None => continue,
            },
        };
        sum = sum.wrapping_add(digest);
        fed += 1;
    }
    // All entries are counted, read or not: an empty map tests false in `if`.
    let mut whole = [0u8; 32];
    whole[..8].copy_from_slice(&(map.len() as u64).to_le_bytes());
    whole[8..16].copy_from_slice(&fed.to_le_bytes());
    whole[16..].copy_from_slice(&sum.to_le_bytes());
    let digest = xxh3_128(&whole);
    feed.remember(map, key, digest);
    digest
}

/// The hash of one entry of a map: its value's, seeded with its key. A string is hashed
/// where it is; anything else is fed (read as `reads` says, whole without) and hashed.
fn entry_digest(name: &str, item: &Value, reads: Option<&Reads>, feed: &mut Feed) -> Inputs {
    let seed = xxh3_64(name.as_bytes());
    if let Some(text) = item.as_str() {
        // The kind of string is part of the seed: a safe string is printed unescaped.
        let kind = if item.is_safe() { SAFE } else { TEXT };
        return xxh3_128_with_seed(text.as_bytes(), seed.wrapping_add(kind));
    }
    let start = feed.bytes.len();
    match reads {
        Some(reads) => hash_entry(name, item, reads, feed),
        None => hash_value(item, feed),
    }
    let digest = xxh3_128_with_seed(&feed.bytes[start..], seed);
    feed.bytes.truncate(start);
    digest
}

/// What is added to a key's seed for a string value (see [`entry_digest`]).
const TEXT: u64 = 1;
/// The same for a string marked safe.
const SAFE: u64 = 2;

/// Which program makes the pages: a page made by another version of trangtin (or another
/// build of it) may differ, so the executable's size and modification time are part of
/// every page's inputs.
pub fn program() -> Inputs {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    match std::env::current_exe().and_then(std::fs::metadata) {
        Ok(meta) => {
            hasher.update(&meta.len().to_le_bytes());
            if let Ok(time) = meta.modified() {
                hasher.update(format!("{time:?}").as_bytes());
            }
        }
        // Unknown: a value no other run repeats, so nothing is kept from the last build.
        Err(_) => hasher.update(format!("{:?}", std::time::SystemTime::now()).as_bytes()),
    }
    hasher.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::reads::reads_of;
    use crate::render::values::Obj;

    /// The hash of `value` alone.
    fn of_value(value: &Value) -> Inputs {
        let mut feed = Feed::new();
        hash_value(value, &mut feed);
        feed.digest()
    }

    fn map(pairs: &[(&'static str, Value)]) -> Value {
        pairs
            .iter()
            .fold(Obj::new(), |obj, (key, value)| obj.set(key, value.clone()))
            .build()
    }

    #[test]
    fn a_map_hashes_the_same_whatever_the_order_of_its_entries() {
        let a = map(&[("title", "Tin".into()), ("count", 3.into())]);
        let b = map(&[("count", 3.into()), ("title", "Tin".into())]);
        assert_eq!(of_value(&a), of_value(&b));
    }

    #[test]
    fn any_change_of_a_value_changes_the_hash() {
        let base = map(&[("title", "Tin".into()), ("count", 3.into())]);
        for other in [
            map(&[("title", "Tín".into()), ("count", 3.into())]),
            map(&[("title", "Tin".into()), ("count", 4.into())]),
            map(&[("title", "Tin".into()), ("dem", 3.into())]),
            map(&[("title", "Tin".into())]),
            map(&[("title", Value::safe_string("Tin")), ("count", 3.into())]),
            map(&[("title", "Tin".into()), ("count", "3".into())]),
            map(&[("title", "Tin".into()), ("count", 3.0.into())]),
            map(&[("title", "Tin".into()), ("count", true.into())]),
            map(&[("title", "Tin".into()), ("count", Value::none())]),
            map(&[("title", "Tin".into()), ("count", map(&[]))]),
            map(&[
                ("title", "Tin".into()),
                ("count", Value::from(Vec::<Value>::new())),
            ]),
        ] {
            assert_ne!(of_value(&base), of_value(&other), "{other:?}");
        }
    }

    #[test]
    fn a_long_string_is_hashed_whole() {
        let body = "<p>Tin</p>".repeat(100);
        let changed = body.replacen("Tin", "Tín", 1);
        let base = map(&[("content", Value::safe_string(&body))]);
        for other in [
            map(&[("content", Value::safe_string(&changed))]),
            map(&[("content", body.as_str().into())]),
            map(&[("content", Value::safe_string(&body[..body.len() - 1]))]),
        ] {
            assert_ne!(of_value(&base), of_value(&other));
        }
    }

    #[test]
    fn lists_keep_their_order_and_split_where_they_split() {
        let ab: Value = vec![Value::from("a"), Value::from("b")].into();
        let ba: Value = vec![Value::from("b"), Value::from("a")].into();
        let joined: Value = vec![Value::from("ab")].into();
        assert_ne!(of_value(&ab), of_value(&ba));
        assert_ne!(of_value(&ab), of_value(&joined));
    }

    #[test]
    fn entries_a_template_cannot_read_are_not_part_of_its_inputs() {
        let sources = [(
            "t.html".to_string(),
            "{{ page.title }}{% for i in page.items %}{{ i.title }}{% endfor %}\
             {% for l in page.links %}{% endfor %}"
                .to_string(),
        )]
        .into();
        let reads = reads_of(&sources)["t.html"].clone().unwrap();
        let page = |title: &str, count: usize, link: &str| {
            map(&[
                ("title", title.into()),
                ("count", count.into()),
                (
                    "items",
                    vec![map(&[("title", "a".into()), ("count", count.into())])].into(),
                ),
                ("links", map(&[("trang-chu", link.into())])),
            ])
        };
        let hash = |v: &Value, reads: Option<&Reads>| {
            let mut feed = Feed::new();
            hash_named("page", v, reads, &mut feed);
            feed.digest()
        };
        let base = hash(&page("Tin", 1, "/"), Some(&reads));
        assert_eq!(base, hash(&page("Tin", 2, "/"), Some(&reads)));
        assert_ne!(base, hash(&page("Tín", 1, "/"), Some(&reads)));
        // A map looped over is read whole.
        assert_ne!(base, hash(&page("Tin", 1, "/tin/"), Some(&reads)));
        // Without what the template reads, everything counts.
        assert_ne!(
            hash(&page("Tin", 1, "/"), None),
            hash(&page("Tin", 2, "/"), None)
        );
        let mut nothing = Feed::new();
        hash_named("feed", &page("Tin", 1, "/"), Some(&reads), &mut nothing);
        assert_eq!(nothing.digest(), Feed::new().digest());
    }

    /// What a listing of `items` is made from, with `feed`, for a template that reads `reads`
    /// (everything when `None`).
    fn listing(items: &Value, reads: Option<&Reads>, feed: &mut Feed) -> Inputs {
        hash_named("paginator", &map(&[("items", items.clone())]), reads, feed);
        feed.digest()
    }

    fn reads_of_template(text: &str) -> Reads {
        let sources = [("t.html".to_string(), text.to_string())].into();
        reads_of(&sources)["t.html"].clone().unwrap()
    }

    fn summary(title: &str, date: &str) -> Value {
        let category = map(&[("name", "Chung".into()), ("count", 3.into())]);
        map(&[
            ("title", title.into()),
            ("date", date.into()),
            ("category", category),
        ])
    }

    #[test]
    fn a_remembered_map_hashes_as_it_would_without_the_memo() {
        let reads = reads_of_template(
            "{% for i in paginator.items %}{{ i.title }}{{ i.category.name }}{% endfor %}",
        );
        let shared = [summary("Tin", "2024-01-02")];
        let pinned = Pinned::new(&shared);
        let items: Value = vec![shared[0].clone(), shared[0].clone()].into();
        let mut feed = Feed::with_memo(&pinned);
        let first = listing(&items, Some(&reads), &mut feed);
        // The summary and its category were remembered, and give the same bytes again.
        assert_eq!(feed.memo.len(), 2);
        assert_eq!(listing(&items, Some(&reads), &mut feed), first);
        assert_eq!(listing(&items, Some(&reads), &mut Feed::new()), first);
    }

    #[test]
    fn a_shared_map_changed_between_two_builds_changes_the_hash() {
        let reads = reads_of_template("{% for i in paginator.items %}{{ i.title }}{% endfor %}");
        let build = |title: &str| {
            let shared = [summary(title, "2024-01-02")];
            let pinned = Pinned::new(&shared);
            let mut feed = Feed::with_memo(&pinned);
            let items: Value = vec![shared[0].clone()].into();
            listing(&items, Some(&reads), &mut feed)
        };
        assert_eq!(build("Tin"), build("Tin"));
        assert_ne!(build("Tin"), build("Tín"));
    }

    #[test]
    fn a_map_read_by_two_templates_has_a_hash_for_each() {
        let titles = reads_of_template("{% for i in paginator.items %}{{ i.title }}{% endfor %}");
        let dates = reads_of_template("{% for i in paginator.items %}{{ i.date }}{% endfor %}");
        let shared = [summary("Tin", "2024-01-02"), summary("Tin", "2024-01-03")];
        let pinned = Pinned::new(&shared);
        let mut feed = Feed::with_memo(&pinned);
        let one: Value = vec![shared[0].clone()].into();
        let other: Value = vec![shared[1].clone()].into();
        // Each template after the others, with one memo: as without it.
        for reads in [Some(&titles), Some(&dates), None, Some(&titles)] {
            assert_eq!(
                listing(&one, reads, &mut feed),
                listing(&one, reads, &mut Feed::new())
            );
        }
        // The two summaries differ only in their dates.
        assert_eq!(
            listing(&one, Some(&titles), &mut feed),
            listing(&other, Some(&titles), &mut feed)
        );
        assert_ne!(
            listing(&one, Some(&dates), &mut feed),
            listing(&other, Some(&dates), &mut feed)
        );
    }

    #[test]
    fn a_map_held_under_two_keys_has_a_hash_for_each() {
        let reads = reads_of_template(
            "{% for o in page.other %}{{ o.title }}{% endfor %}\
             {% for r in page.related %}{{ r.date }}{% endfor %}",
        );
        let shared = [summary("Tin", "2024-01-02")];
        let pinned = Pinned::new(&shared);
        let mut feed = Feed::with_memo(&pinned);
        let list: Value = vec![shared[0].clone()].into();
        let page = |key: &'static str| map(&[(key, list.clone())]);
        assert!(!reads.entries_of("other").contains("date"));
        for key in ["other", "related", "other"] {
            hash_named("page", &page(key), Some(&reads), &mut feed);
            let remembered = feed.digest();
            let mut fresh = Feed::new();
            hash_named("page", &page(key), Some(&reads), &mut fresh);
            assert_eq!(remembered, fresh.digest(), "{key}");
        }
    }

    #[test]
    fn only_pinned_maps_are_remembered() {
        let pinned = Pinned::default();
        let mut feed = Feed::with_memo(&pinned);
        hash_value(&summary("Tin", "2024-01-02"), &mut feed);
        assert!(feed.memo.is_empty());
    }
}
