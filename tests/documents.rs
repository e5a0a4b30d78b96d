//! Official documents ("Văn bản", `content/van-ban/`): the fixture site
//! `tests/sites/documents/` builds, and its mistakes are errors naming file, line and field,
//! in `check` as in `build`.

mod common;

use common::Site;
use std::path::Path;

/// A copy of `tests/sites/documents/` in a temporary folder.
fn fixture() -> Site {
    let site = Site::new(&[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/documents");
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&root).unwrap();
            let relative = relative.to_string_lossy().replace('\\', "/");
            site.write_bytes(&relative, &std::fs::read(entry.path()).unwrap());
        }
    }
    site
}

/// The errors `trangtin check` reports, as text lines.
fn check_errors(site: &Site) -> Vec<String> {
    trangtin::check::check(&site.options())
        .problems
        .into_iter()
        .filter(trangtin::Problem::is_error)
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn the_fixture_site_builds_and_publishes_the_attachments() {
    let site = fixture();
    site.build_ok();
    assert!(site.exists("van-ban/2024/qd-456.pdf"));
    assert!(site.exists("van-ban/2023/kh-7.pdf"));
}

#[test]
fn a_missing_number_is_an_error_naming_file_line_and_field() {
    let site = fixture();
    let path = "content/van-ban/2024/tb-12.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace("number: 12/TB-SKHCN\n", ""));
    let expected =
        "content/van-ban/2024/tb-12.md:1: field `number`: is required but missing or empty";
    let errors = common::problems(&site.build_err())
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    assert_eq!(errors, [expected]);
    assert_eq!(check_errors(&site), [expected]);
}

#[test]
fn a_missing_attached_file_is_an_error_naming_file_line_and_field() {
    let site = fixture();
    std::fs::remove_file(site.root().join("content/van-ban/2024/qd-456.pdf")).unwrap();
    let expected = "content/van-ban/2024/qd-456.md:8: field `files`: `qd-456.pdf` does not exist \
                    (looked for content/van-ban/2024/qd-456.pdf)";
    let errors: Vec<String> = common::problems(&site.build_err())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors, [expected]);
    assert_eq!(check_errors(&site), [expected]);
}

#[test]
fn an_unknown_field_and_a_type_outside_the_config_get_what_was_meant() {
    let site = fixture();
    let path = "content/van-ban/2023/kh-7.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        path,
        &text
            .replace("signer:", "người ký:")
            .replace("type: Kế hoạch", "type: Ke hoach x"),
    );
    let errors = check_errors(&site);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|e| e.starts_with(
            "content/van-ban/2023/kh-7.md:6: field `người ký`: unknown field of a document; \
             did you mean `signer`?"
        )),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(
            |e| e.starts_with("content/van-ban/2023/kh-7.md:3: field `type`")
                && e.contains("did you mean `Kế hoạch`?")
        ),
        "{errors:?}"
    );
}

#[test]
fn two_documents_with_one_number_are_an_error() {
    let site = fixture();
    let path = "content/van-ban/2023/kh-7.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace("7/KH-UBND", "456/qđ-skhcn"));
    let errors = check_errors(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("field `number`") && errors[0].contains("already the number of"),
        "{errors:?}"
    );
}

#[test]
fn each_document_has_a_page_with_its_metadata_and_download_links() {
    let site = fixture();
    site.build_ok();
    let html = site.read("van-ban/456-qd-skhcn-ve-viec-ban-hanh-quy-che-quan-ly-nhiem-vu-khoa-hoc-va-cong-nghe/index.html");
    let main = common::main_of(&html);
    assert!(
        main.contains("<th scope=\"row\">Số ký hiệu</th><td>456/QĐ-SKHCN</td>"),
        "{main}"
    );
    assert!(main.contains("Nguyễn Văn An"), "{main}");
    assert!(
        main.contains("href=\"/van-ban/2024/qd-456.pdf\" download"),
        "{main}"
    );
    assert!(main.contains("Sở Khoa học và Công nghệ"), "{main}");
    assert!(
        main.contains("<p>Quy chế kèm theo Quyết định này.</p>"),
        "the body is shown: {main}"
    );
}

#[test]
fn the_listing_is_a_table_newest_first_with_static_filters() {
    let site = fixture();
    site.build_ok();
    let main = common::main_of(&site.read("van-ban/index.html")).to_string();
    assert!(main.contains("<th scope=\"col\">Số ký hiệu</th>"), "{main}");
    let newest = main.find("12/TB-SKHCN").expect("12/TB listed");
    let middle = main.find("456/QĐ-SKHCN").expect("456/QĐ listed");
    let oldest = main.find("7/KH-UBND").expect("7/KH listed");
    assert!(newest < middle && middle < oldest, "{main}");
    for link in [
        "/van-ban/loai/quyet-dinh/",
        "/van-ban/nam/2023/",
        "/van-ban/co-quan/uy-ban-nhan-dan-tinh/",
    ] {
        assert!(
            main.contains(&format!("href=\"{link}\"")),
            "{link} in {main}"
        );
    }
    let type_page = site.read("van-ban/loai/quyet-dinh/index.html");
    let type_main = common::main_of(&type_page);
    assert!(type_main.contains("456/QĐ-SKHCN") && !type_main.contains("12/TB-SKHCN"));
    let year = site.read("van-ban/nam/2023/index.html");
    let year_main = common::main_of(&year);
    assert!(year_main.contains("7/KH-UBND") && !year_main.contains("456/QĐ-SKHCN"));
    let issuer = site.read("van-ban/co-quan/so-khoa-hoc-va-cong-nghe/index.html");
    assert!(!common::main_of(&issuer).contains("7/KH-UBND"));
}

#[test]
fn the_listing_is_paginated_from_the_oldest() {
    let site = fixture();
    site.write(
        "config.yaml",
        &(std::fs::read_to_string(site.root().join("config.yaml")).unwrap() + "per_page: 2\n"),
    );
    site.build_ok();
    let first = site.read("van-ban/index.html");
    assert!(!common::main_of(&first).contains("7/KH-UBND"));
    // The older page holds the two oldest.
    let older = site.read("van-ban/trang/1/index.html");
    let older = common::main_of(&older);
    assert!(
        older.contains("7/KH-UBND") && older.contains("456/QĐ-SKHCN"),
        "{older}"
    );
}

#[test]
fn an_article_links_to_the_documents_it_names() {
    let site = fixture();
    site.build_ok();
    let html = site.read("tin-hoat-dong/quy-che/index.html");
    let block = common::between(&html, "Văn bản liên quan", "</section>");
    assert!(
        block.contains(
            "href=\"/van-ban/456-qd-skhcn-ve-viec-ban-hanh-quy-che-quan-ly-nhiem-vu-khoa-hoc-va-cong-nghe/\">456/QĐ-SKHCN</a>"
        ),
        "{block}"
    );
}

#[test]
fn an_article_naming_an_unknown_number_is_an_error_with_the_number_meant() {
    let site = fixture();
    let path = "content/2024/03/quy-che.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace("456/QĐ-SKHCN", "465/QĐ-SKHCN"));
    let errors = check_errors(&site);
    assert_eq!(
        errors,
        [
            "content/2024/03/quy-che.md:5: field `documents`: no document has the number \
          `465/QĐ-SKHCN`; did you mean `456/QĐ-SKHCN`?"
        ]
    );
}

/// The ids of the documents of the search index that `term` (folded) is posted for.
fn posted(site: &Site, term: &str) -> Vec<u32> {
    let meta: serde_json::Value = serde_json::from_str(&site.read("search/meta.json")).unwrap();
    let shards = meta["shards"].as_u64().unwrap() as u32;
    let shard = site.read(&format!(
        "search/t/{:x}.json",
        trangtin::search::shard_of(term, shards)
    ));
    let shard: serde_json::Value = serde_json::from_str(&shard).unwrap();
    let Some(postings) = shard[term].as_array() else {
        return Vec::new();
    };
    let mut id = 0;
    postings
        .chunks(2)
        .map(|pair| {
            id += pair[0].as_u64().unwrap() as u32;
            id
        })
        .collect()
}

#[test]
fn documents_are_in_the_search_index_by_number_and_text() {
    let site = fixture();
    site.build_ok();
    // One article, then the documents newest first.
    let id = 2;
    let fragment = site.read(&format!("search/f/{id}.json"));
    assert!(
        fragment.contains("\"url\":\"/van-ban/456-qd-skhcn-ve-viec-ban-hanh-quy-che")
            && fragment.contains("\"text\":\"456/QĐ-SKHCN"),
        "{fragment}"
    );
    for query in ["456/QĐ", "456/qd-skhcn", "quy chế quản lý"] {
        for term in trangtin::search::terms(query) {
            assert!(
                posted(&site, &term).contains(&id),
                "`{term}` of `{query}` finds the document"
            );
        }
    }
    assert!(!posted(&site, "456").contains(&3), "7/KH-UBND has no 456");
}
