//! Which template values a template can read, found in its text: the names in its tags, with
//! the map each attribute belongs to where the text tells (`page.title`; `c.count` inside
//! `for c in site.categories`). A map entry no template of a page reads cannot change the
//! page's bytes, so it is no part of the page's inputs ([`super::inputs`]): "Chung" counting
//! one article more changes the site map, not the 9,000 article pages that never show it.
//!
//! The reading is conservative: whatever it cannot follow makes it assume more is read. A key
//! whose map is unknown (a macro's argument, a `set` from a call, a quoted attribute path in
//! `sort(attribute="author.name")`) is taken as read in every map. A template that can read
//! entries it never names (a loop over a map's keys and values, a key from a variable, a
//! whole value printed as JSON, an include by variable) reads everything.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};

/// What a template and every template it extends, includes or imports can read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Values named at the top (`page`, `site`, `latest`).
    top: Names,
    /// Entries by the key of the map that holds them: `page` → `title`, with the entries read
    /// `anywhere` (one set to look a name up in).
    entries: FxHashMap<Box<str>, Names>,
    /// Entries read in whatever map holds them.
    anywhere: Names,
    /// Keys whose value a template loops over: a map there is read whole.
    looped: Names,
}

type Names = FxHashSet<Box<str>>;

impl Reads {
    /// Whether the page value `name` can be read.
    pub fn top(&self, name: &str) -> bool {
        self.top.contains(name) || self.anywhere.contains(name)
    }

    /// Which entries of a map held under `parent` can be read.
    pub fn entries_of(&self, parent: &str) -> EntriesRead<'_> {
        EntriesRead(self.entries.get(parent).unwrap_or(&self.anywhere))
    }

    /// Whether a map held under `key` is looped over (all its entries are read).
    pub fn looped(&self, key: &str) -> bool {
        self.looped.contains(key)
    }
}

/// The entries of one map that a template can read (see [`Reads::entries_of`]).
pub struct EntriesRead<'a>(&'a Names);

impl EntriesRead<'_> {
    /// Whether the entry `key` can be read.
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains(key)
    }

    /// What names this set of entries within its [`Reads`] (its address): the same for the
    /// maps of two keys only when the same entries of them can be read.
    pub fn id(&self) -> usize {
        std::ptr::from_ref(self.0) as usize
    }
}

/// What each template of `sources` (name → text) can read; `None` for one that can read
/// anything.
pub fn reads_of(sources: &BTreeMap<String, String>) -> BTreeMap<String, Option<Reads>> {
    let facts: BTreeMap<&str, Option<Facts>> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), Facts::of(text)))
        .collect();
    sources
        .keys()
        .map(|template| {
            let mut all = Facts::default();
            let mut seen = BTreeSet::new();
            let mut todo = vec![template.as_str()];
            while let Some(next) = todo.pop() {
                if !seen.insert(next) {
                    continue;
                }
                match facts.get(next) {
                    Some(Some(facts)) => {
                        all.merge(facts);
                        todo.extend(facts.uses.iter().map(String::as_str));
                    }
                    // Reads anything, or uses a template that does not exist (an error the
                    // render reports).
                    _ => return (template.clone(), None),
                }
            }
            (template.clone(), Some(all.resolve()))
        })
        .collect()
}

/// What one template's text says, before the templates it uses are added.
#[derive(Debug, Default)]
struct Facts {
    /// Dotted names (`site.organization.name`), subscripts left out.
    paths: Vec<Vec<String>>,
    /// Loop and `set` variables → the last name of what they stand for (`None`: unknown,
    /// like a macro's argument).
    aliases: Vec<(String, Option<String>)>,
    /// The contents of quoted strings, split at dots.
    strings: BTreeSet<String>,
    /// The last names of what `for` tags loop over.
    looped: BTreeSet<String>,
    /// Templates extended, included or imported.
    uses: Vec<String>,
}

impl Facts {
    /// The facts of `text`, or `None` when the template can read entries it does not name.
    fn of(text: &str) -> Option<Facts> {
        let mut facts = Facts::default();
        for tag in tags(text) {
            let scan = scan(tag)?;
            let keyword = scan.paths.first().map(|p| p[0].as_str()).unwrap_or("");
            match keyword {
                "include" | "extends" | "import" => facts.uses.push(scan.strings.first()?.clone()),
                "for" => {
                    // `for x in path`: x stands for an element of path; `for k, v in` is
                    // refused by the scan.
                    let var = scan.paths.get(1)?.first()?.clone();
                    let target = scan.paths.get(3).and_then(|p| p.last().cloned());
                    if let Some(target) = &target {
                        facts.looped.insert(target.clone());
                    }
                    facts.aliases.push((var, target));
                }
                "set" | "set_global" => {
                    let var = scan.paths.get(1)?.first()?.clone();
                    let target = match scan.paths.get(2) {
                        Some(p) if !scan.calls => p.last().cloned(),
                        _ => None,
                    };
                    facts.aliases.push((var, target));
                }
                "macro" => {
                    for path in scan.paths.iter().skip(2) {
                        facts.aliases.push((path[0].clone(), None));
                    }
                }
                _ => {}
            }
            for s in &scan.strings {
                facts.strings.insert(s.clone());
                facts.strings.extend(s.split('.').map(str::to_string));
            }
            facts.paths.extend(scan.paths);
        }
        Some(facts)
    }

    fn merge(&mut self, other: &Facts) {
        self.paths.extend(other.paths.iter().cloned());
        self.aliases.extend(other.aliases.iter().cloned());
        self.strings.extend(other.strings.iter().cloned());
        self.looped.extend(other.looped.iter().cloned());
    }

    fn resolve(self) -> Reads {
        let mut stands_for: BTreeMap<&str, Vec<Option<&str>>> = BTreeMap::new();
        for (var, target) in &self.aliases {
            stands_for
                .entry(var.as_str())
                .or_default()
                .push(target.as_deref());
        }
        let mut reads = Reads {
            anywhere: self.strings.iter().map(|s| s.as_str().into()).collect(),
            looped: self.looped.iter().map(|s| s.as_str().into()).collect(),
            ..Reads::default()
        };
        let mut add = |parent: &str, key: &str| {
            reads
                .entries
                .entry(parent.into())
                .or_default()
                .insert(key.into());
        };
        let mut anywhere = Vec::new();
        for path in &self.paths {
            let first = path[0].as_str();
            let parents: Vec<Option<&str>> = match stands_for.get(first) {
                // A variable that is also a page value (or shadows one) counts as both.
                Some(targets) => targets.iter().copied().chain([Some(first)]).collect(),
                None => vec![Some(first)],
            };
            if let Some(second) = path.get(1) {
                for parent in &parents {
                    match parent {
                        Some(parent) => add(parent, second),
                        None => anywhere.push(second.as_str()),
                    }
                }
            }
            for pair in path.windows(2).skip(1) {
                add(&pair[0], &pair[1]);
            }
        }
        reads.anywhere.extend(anywhere.into_iter().map(Into::into));
        for names in reads.entries.values_mut() {
            names.extend(reads.anywhere.iter().cloned());
        }
        reads.top = self.paths.iter().map(|p| p[0].as_str().into()).collect();
        reads
    }
}

/// The names and strings of one tag.
#[derive(Debug, Default)]
struct Scan {
    paths: Vec<Vec<String>>,
    strings: Vec<String>,
    /// Whether the tag calls a function or macro (`name(…)`).
    calls: bool,
}

/// Reads a tag's names (dotted paths) and strings; `None` when the tag can read entries it
/// does not name (see [`reads_of`]).
fn scan(tag: &str) -> Option<Scan> {
    let mut out = Scan::default();
    let chars: Vec<(usize, char)> = tag.char_indices().collect();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    let mut current: Vec<String> = Vec::new();
    let mut path_can_go_on = false;
    while i < chars.len() {
        let (at, c) = chars[i];
        if matches!(c, '"' | '\'' | '`') {
            let end = chars[i + 1..].iter().position(|&(_, d)| d == c)? + i + 1;
            out.strings.push(tag[at + 1..chars[end].0].to_string());
            flush(&mut current, &mut out.paths);
            path_can_go_on = false;
            i = end + 1;
            continue;
        }
        if is_ident(c) {
            let start = at;
            while i < chars.len() && is_ident(chars[i].1) {
                i += 1;
            }
            let end = chars.get(i).map_or(tag.len(), |&(at, _)| at);
            if !path_can_go_on {
                flush(&mut current, &mut out.paths);
            }
            current.push(tag[start..end].to_string());
            path_can_go_on = false;
            continue;
        }
        match c {
            '.' if !current.is_empty() => path_can_go_on = true,
            '[' if i > 0 && (is_ident(chars[i - 1].1) || matches!(chars[i - 1].1, ')' | ']')) => {
                // A subscript: `items[0]`, `items[1:5]` and `x["key"]` name what they
                // read; `x[name]` does not. (Any other `[` opens a list.)
                let end = chars[i..].iter().position(|&(_, d)| d == ']')? + i;
                let inside = tag[chars[i].0 + 1..chars[end].0].trim();
                let literal = inside.starts_with(['"', '\'', '`'])
                    || inside
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | ' '));
                if !literal {
                    return None;
                }
                if inside.starts_with(['"', '\'', '`']) {
                    out.strings.push(inside[1..inside.len() - 1].to_string());
                }
                i = end + 1;
                // `items[0].title`: `title` belongs to what `items` holds.
                path_can_go_on = chars.get(i).is_some_and(|&(_, d)| d == '.');
                if path_can_go_on {
                    i += 1;
                }
                continue;
            }
            '(' => {
                out.calls = true;
                flush(&mut current, &mut out.paths);
            }
            ',' if out.paths.first().is_some_and(|p| p[0] == "for")
                && !tag[..at].contains(" in ") =>
            {
                return None; // for key, value in a map
            }
            _ => {
                // Spaces around a dot (`page . title`) keep the path going.
                let dot_follows = || {
                    chars[i..]
                        .iter()
                        .find(|(_, d)| !d.is_whitespace())
                        .is_some_and(|&(_, d)| d == '.')
                };
                let keeps_going = c.is_whitespace() && (path_can_go_on || dot_follows());
                if !keeps_going {
                    flush(&mut current, &mut out.paths);
                    path_can_go_on = false;
                }
            }
        }
        i += 1;
    }
    flush(&mut current, &mut out.paths);
    let reads_anything = out.paths.iter().flatten().any(|name| {
        matches!(
            name.as_str(),
            "get" | "keys" | "values" | "pairs" | "json_encode" | "tojson" | "__tera_context"
        )
    });
    if reads_anything {
        return None;
    }
    Some(out)
}

fn flush(current: &mut Vec<String>, paths: &mut Vec<Vec<String>>) {
    if !current.is_empty() {
        paths.push(std::mem::take(current));
    }
}

/// The insides of the Tera tags of `text` (`{{ … }}` and `{% … %}`, without the `-` that
/// trims spaces), comments left out.
fn tags(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let body = &after[1..];
        let end = body.find(close).unwrap_or(body.len());
        if close != "#}" {
            found.push(body[..end].trim_matches(|c: char| c == '-' || c.is_whitespace()));
        }
        rest = &body[(end + close.len()).min(body.len())..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(templates: &[(&str, &str)]) -> BTreeMap<String, Option<Reads>> {
        let sources = templates
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        reads_of(&sources)
    }

    #[test]
    fn attributes_belong_to_the_map_their_path_or_loop_names() {
        let all = reads(&[
            ("base.html", "<title>{{ page.title }}</title>{% block content %}{% endblock %}{%- include \"side.html\" %}"),
            ("side.html", "{%- for c in site.categories %}<a href=\"{{ c.url }}\">{{ c.name }}</a>{% endfor %}"),
            ("tag.html", "{% extends \"base.html\" %}{# gets: summary #}{{ tag.count }} {{ items[0].date }}"),
        ]);
        let tag = all["tag.html"].as_ref().unwrap();
        assert!(tag.top("page") && tag.top("site") && tag.top("tag"));
        assert!(!tag.top("latest") && !tag.top("summary"));
        assert!(
            tag.entries_of("page").contains("title") && tag.entries_of("tag").contains("count")
        );
        assert!(tag.entries_of("site").contains("categories"));
        assert!(
            tag.entries_of("categories").contains("url")
                && tag.entries_of("categories").contains("name")
        );
        assert!(!tag.entries_of("categories").contains("count"), "{tag:?}");
        assert!(
            tag.entries_of("items").contains("date") && !tag.entries_of("items").contains("title")
        );
        assert!(tag.looped("categories"));
        let spaced = reads(&[("t.html", "{{ page . title }}{{ page\n  .url }}")]);
        let spaced = spaced["t.html"].as_ref().unwrap();
        assert!(spaced.entries_of("page").contains("title"));
        assert!(spaced.entries_of("page").contains("url"));
        let side = all["side.html"].as_ref().unwrap();
        assert!(!side.entries_of("page").contains("title"));
    }

    #[test]
    fn a_key_whose_map_is_unknown_is_read_in_every_map() {
        let all = reads(&[
            ("t.html", "{% macro card(a) %}{{ a.count }}{% endmacro %}{% set x = f() %}{{ x.summary }}{% for b in latest | sort(attribute=\"author.name\") %}{% endfor %}"),
        ]);
        let t = all["t.html"].as_ref().unwrap();
        for key in ["count", "summary", "author", "name"] {
            assert!(t.entries_of("anything").contains(key), "{key}");
        }
        assert!(!t.entries_of("anything").contains("title"));
    }

    #[test]
    fn a_template_that_can_read_unnamed_entries_reads_everything() {
        for tag in [
            "{% for key, value in site.organization %}{{ value }}{% endfor %}",
            "{{ site.menu[name] }}",
            "{{ site | get(key=k) }}",
            "{{ page | json_encode }}",
            "{% include page.template %}",
            "{% include \"missing.html\" %}",
        ] {
            let all = reads(&[("t.html", tag), ("base.html", "{% include \"t.html\" %}")]);
            assert_eq!(all["t.html"], None, "{tag}");
            assert_eq!(all["base.html"], None, "{tag}");
        }
        let all = reads(&[(
            "t.html",
            "{{ items[0].title }}{{ items[-1] }}{{ x[\"k\"] }}{% for i in items[1:5] %}{% endfor %}\
             {% set box = [240, 160] %}{% set crumbs = [{\"name\": page.title}] %}",
        )]);
        let t = all["t.html"].as_ref().unwrap();
        assert!(t.entries_of("page").contains("title") && t.entries_of("items").contains("title"));
    }
}
