//! The README shows the hosting configurations that the tests use, exactly.

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
    ] {
        let config = read(file);
        assert!(
            readme.contains(&config),
            "README.md does not show {file} as it is; copy the file into the Hosting section"
        );
    }
}
