//! The README shows the hosting configurations that the tests use, exactly; and the
//! `.htaccess` and `web.config` it shows are what a build writes.

mod common;

use common::{article, Site};
use std::fs;
use std::path::Path;

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn readme_shows_each_hosting_configuration_verbatim() {
    let readme = read("README.md");
    for file in [
        "tests/hosting/nginx-subfolder.conf",
        "tests/hosting/nginx-root.conf",
        "tests/hosting/apache.htaccess",
        "tests/hosting/web.config",
    ] {
        let config = read(file);
        assert!(
            readme.contains(&config),
            "README.md does not show {file} as it is; copy the file into the Hosting section"
        );
    }
}

#[test]
fn the_htaccess_and_web_config_shown_are_what_a_site_at_the_root_gets() {
    let site = Site::new(&[
        ("config.yaml", "base_url: https://example.gov.vn/\n"),
        (
            "content/2024/03/a.md",
            &article("A", "2024-03-02", "Chung", "x\n"),
        ),
    ]);
    site.build_ok();
    for (output, shown) in [
        (".htaccess", "tests/hosting/apache.htaccess"),
        ("web.config", "tests/hosting/web.config"),
    ] {
        assert_eq!(
            site.read(output),
            read(shown),
            "the build's {output} differs from {shown}: copy it there and into README.md"
        );
    }
}
