//! What a page is made from, as one 128-bit hash: the template values it gets, the values
//! every page shares and the theme. Two builds that give a page the same hash write the same
//! bytes for it, so `build` keeps the last build's file instead of rendering it again (see
//! [`super::Rendering::render_all`]).
//!
//! Tera's maps iterate in no fixed order, so a map's entries are hashed in the order of their
//! keys. [`hash_read`] leaves out what the page's templates cannot read (see
//! [`super::reads`]).

use super::reads::Reads;
use tera::Value;
use xxhash_rust::xxh3::Xxh3;

/// A hash of everything a page's bytes depend on.
pub type Inputs = u128;

/// Feeds `value` into `hasher`: its kind, its contents and, for strings, whether it is
/// marked safe (a safe string is printed unescaped, so it makes other bytes).
pub fn hash_value(value: &Value, hasher: &mut Xxh3) {
    if let Some(map) = value.as_map() {
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        hasher.update(b"m");
        hasher.update(&(entries.len() as u64).to_le_bytes());
        for (key, item) in entries {
            match key.as_str() {
                Some(name) => hash_str(name, hasher),
                None => hash_str(&format!("{key:?}"), hasher),
            }
            hash_value(item, hasher);
        }
    } else if let Some(items) = value.as_array() {
        hasher.update(b"a");
        hasher.update(&(items.len() as u64).to_le_bytes());
        for item in items {
            hash_value(item, hasher);
        }
    } else if let Some(text) = value.as_str() {
        hasher.update(if value.is_safe() { b"S" } else { b"s" });
        hash_str(text, hasher);
    } else if let Some(bytes) = value.as_bytes() {
        hasher.update(b"b");
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    } else {
        // Numbers, booleans, none and undefined: their kind and how Tera prints them.
        hasher.update(value.name().as_bytes());
        hasher.update(b":");
        hasher.update(value.to_string().as_bytes());
        hasher.update(b";");
    }
}

/// A string with its length first, so that `ab`,`c` and `a`,`bc` hash apart.
fn hash_str(text: &str, hasher: &mut Xxh3) {
    hasher.update(&(text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}

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

/// Feeds `value`, held under the key `parent`, into `hasher` as [`hash_value`] does, leaving
/// out the map entries the template cannot read (see [`Reads`]); everything is fed when
/// `reads` is `None`.
pub fn hash_read(value: &Value, parent: &str, reads: Option<&Reads>, hasher: &mut Xxh3) {
    let Some(reads) = reads else {
        return hash_value(value, hasher);
    };
    if let Some(map) = value.as_map() {
        let readable = reads.entries_of(parent);
        let mut entries: Vec<(&str, &Value)> = map
            .iter()
            .filter_map(|(key, item)| Some((key.as_str()?, item)))
            .filter(|(name, _)| readable.contains(name))
            .collect();
        entries.sort_unstable_by_key(|(name, _)| *name);
        hasher.update(b"m");
        // All entries are counted, read or not: an empty map tests false in `if`.
        hasher.update(&(map.len() as u64).to_le_bytes());
        hasher.update(&(entries.len() as u64).to_le_bytes());
        for (name, item) in entries {
            hash_str(name, hasher);
            hash_entry(name, item, reads, hasher);
        }
    } else if let Some(items) = value.as_array() {
        hasher.update(b"a");
        hasher.update(&(items.len() as u64).to_le_bytes());
        for item in items {
            hash_read(item, parent, Some(reads), hasher);
        }
    } else {
        hash_value(value, hasher);
    }
}

/// Feeds the page value `name` into `hasher` when the template can read it.
pub fn hash_named(name: &str, value: &Value, reads: Option<&Reads>, hasher: &mut Xxh3) {
    if reads.is_some_and(|r| !r.top(name)) {
        return;
    }
    hasher.update(&[0xff]);
    hasher.update(name.as_bytes());
    hasher.update(&[0xff]);
    match reads {
        Some(reads) => hash_entry(name, value, reads, hasher),
        None => hash_value(value, hasher),
    }
}

/// A value under `key`: whole when it is a map the template loops over.
fn hash_entry(key: &str, value: &Value, reads: &Reads, hasher: &mut Xxh3) {
    match reads.looped(key) && value.as_map().is_some() {
        true => hash_value(value, hasher),
        false => hash_read(value, key, Some(reads), hasher),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::reads::reads_of;
    use crate::render::values::Obj;

    /// The hash of `value` alone.
    fn of_value(value: &Value) -> Inputs {
        let mut hasher = Xxh3::new();
        hash_value(value, &mut hasher);
        hasher.digest128()
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
        ] {
            assert_ne!(of_value(&base), of_value(&other), "{other:?}");
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
            let mut h = Xxh3::new();
            hash_named("page", v, reads, &mut h);
            h.digest128()
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
        let mut nothing = Xxh3::new();
        hash_named("feed", &page("Tin", 1, "/"), Some(&reads), &mut nothing);
        assert_eq!(nothing.digest128(), Xxh3::new().digest128());
    }
}
