//! The template contract: which values each template of the sample site gets (pinned by a
//! snapshot), and the theme's README table of templates checked against it, so the
//! documentation cannot drift from what templates really receive.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use trangtin::pipeline::{self, BuildOptions};
use trangtin::render::TemplateContract;
use trangtin::site::BodyCache;

/// Values given to every page (documented under "Values every template sees").
const PER_PAGE: &[&str] = &["page", "feed"];

fn sample_contract() -> TemplateContract {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = pipeline::read(root).expect("the sample site reads");
    let mut options = BuildOptions::new(root);
    options.now = Some(chrono::DateTime::parse_from_rfc3339("2026-11-29T12:00:00+07:00").unwrap());
    let assemble = options.assemble_options(&inputs.config);
    let (site, theme) = pipeline::assemble(inputs, assemble, &BodyCache::default()).unwrap();
    pipeline::plan(site, theme).unwrap().template_contract()
}

#[test]
fn each_template_gets_the_values_the_snapshot_lists() {
    let mut text = String::new();
    for (template, values) in sample_contract() {
        text.push_str(&format!("{template}\n"));
        for (name, keys) in values {
            text.push_str(&format!("  {name}: {}\n", keys.join(", ")));
        }
    }
    insta::assert_snapshot!("template_contract", text);
}

/// The value names of the README's row for each template: backticked names outside
/// parentheses and braces. A row may name several templates (`tag.html`, `author.html`).
fn readme_table() -> BTreeMap<String, BTreeSet<String>> {
    let readme = include_str!("../themes/README.md");
    let mut table = BTreeMap::new();
    let section = readme
        .split("## Templates and their extra values")
        .nth(1)
        .expect("the README has the templates table");
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let [templates, _url, values] = cells[..] else {
            panic!("a row of three cells: {row}");
        };
        let names = top_level_names(values);
        for template in templates.split(',').map(|t| t.trim().trim_matches('`')) {
            table.insert(template.to_string(), names.clone());
        }
    }
    table
}

fn top_level_names(cell: &str) -> BTreeSet<String> {
    let mut depth = 0;
    let mut outside = String::new();
    for c in cell.chars() {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    outside
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_theme_readme_lists_exactly_the_values_each_template_gets() {
    let contract = sample_contract();
    let table = readme_table();
    let mut problems = Vec::new();
    for (template, values) in contract.iter().filter(|(t, _)| *t != "*") {
        let got: BTreeSet<String> = values
            .keys()
            .filter(|k| !PER_PAGE.contains(&k.as_str()))
            .cloned()
            .collect();
        match table.get(template) {
            None => problems.push(format!("{template}: not in the README's table")),
            // A row shared by two templates (tag / author) lists the values of both.
            Some(documented) if !got.is_subset(documented) => problems.push(format!(
                "{template}: gets {got:?}, the README lists {documented:?}"
            )),
            Some(_) => {}
        }
    }
    for (template, documented) in &table {
        let Some(values) = contract.get(template) else {
            continue; // not used by the sample site (search.html when search is off)
        };
        let shared: BTreeSet<String> = table
            .iter()
            .filter(|(_, d)| *d == documented)
            .filter_map(|(t, _)| contract.get(t))
            .flat_map(|v| v.keys().cloned())
            .collect();
        for name in documented {
            if !shared.contains(name) {
                problems.push(format!(
                    "{template}: the README lists `{name}`, never given"
                ));
            }
        }
        let _ = values;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_readme_parser_reads_names_outside_parentheses_only() {
    let names = top_level_names("`tag` / `author` (`name`, `slug`), `paginator`");
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["author", "paginator", "tag"]
    );
    assert!(top_level_names("—").is_empty());
}
