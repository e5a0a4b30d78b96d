use super::*;

const PASSWORD: &str = "mật khẩu của Lan";

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = Accounts::default_path(dir.path());
    (dir, path)
}

/// A file with one valid user `lan` (approver, password [`PASSWORD`]) and `rest` after it.
fn file_with(rest: &str) -> String {
    let hash = password::hash(PASSWORD).unwrap();
    format!(
        "users:\n  - name: lan\n    display_name: Nguyễn Thị Lan\n    role: nguoi-duyet\n    \
         password: {hash}\n{rest}"
    )
}

fn load_text(text: &str) -> Result<Accounts> {
    let (_dir, path) = site();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    Accounts::load(&path)
}

fn problems(text: &str) -> Vec<Problem> {
    match load_text(text) {
        Ok(accounts) => panic!("loaded {accounts:?}"),
        Err(err) => err.problems().to_vec(),
    }
}

#[test]
fn the_users_file_is_outside_content() {
    assert_eq!(
        Accounts::default_path(Path::new("/site")),
        Path::new("/site/.trangtin/users.yaml")
    );
}

#[test]
fn a_missing_file_means_no_users() {
    let (_dir, path) = site();
    let accounts = Accounts::load(&path).unwrap();
    assert!(accounts.is_empty());
    assert!(accounts.users().is_empty());
    assert_eq!(accounts.verify("lan", PASSWORD), None);
}

#[test]
fn an_empty_file_or_list_means_no_users() {
    for text in ["", "# nothing\n", "users:\n", "users: []\n"] {
        assert!(load_text(text).unwrap().is_empty(), "{text:?}");
    }
}

#[test]
fn verifies_the_right_password_only() {
    let accounts = load_text(&file_with("")).unwrap();
    let lan = accounts.verify("lan", PASSWORD).expect("right password");
    assert_eq!(lan.display_name, "Nguyễn Thị Lan");
    assert_eq!(lan.role, Role::Approver);
    assert_eq!(accounts.verify("lan", "mật khẩu của lan"), None);
    assert_eq!(accounts.verify("lan", ""), None);
    assert_eq!(accounts.verify("minh", PASSWORD), None, "unknown name");
    // The login form's name is taken in lower case, without spaces around it.
    assert_eq!(accounts.verify(" Lan ", PASSWORD), Some(lan));
}

#[test]
fn users_round_trip_through_the_file() {
    let (_dir, path) = site();
    let mut accounts = Accounts::load(&path).unwrap();
    accounts
        .add("lan", Some("  Nguyễn Thị Lan "), Role::Approver, PASSWORD)
        .unwrap();
    accounts
        .add("123", None, Role::Editor, "0123456789")
        .unwrap();
    accounts
        .add(
            "minh",
            Some("Trần \"Minh\": #1"),
            Role::Editor,
            "mật khẩu của Minh",
        )
        .unwrap();
    accounts.save().unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# Tài khoản soạn tin của trangtin."),
        "{text}"
    );
    assert!(text.contains("  - name: lan\n"), "{text}");
    assert!(text.contains("    role: nguoi-duyet\n"), "{text}");
    assert!(
        text.contains("    password: $argon2id$v=19$m=19456,t=2,p=1$"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");

    let loaded = Accounts::load(&path).unwrap();
    assert_eq!(loaded.users(), accounts.users());
    let names: Vec<&str> = loaded.users().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["lan", "123", "minh"]);
    assert_eq!(loaded.users()[0].display_name, "Nguyễn Thị Lan");
    assert_eq!(loaded.users()[1].display_name, "123");
    assert_eq!(loaded.users()[2].display_name, "Trần \"Minh\": #1");
    assert!(loaded.verify("123", "0123456789").is_some());
    assert!(loaded.verify("minh", "mật khẩu của Minh").is_some());
}

#[cfg(unix)]
#[test]
fn the_saved_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = site();
    let mut accounts = Accounts::load(&path).unwrap();
    accounts.add("lan", None, Role::Editor, PASSWORD).unwrap();
    accounts.save().unwrap();
    // Also when the file was there with looser permissions.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    accounts.save().unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        ["users.yaml"],
        "no temporary file is left behind"
    );
}

#[test]
fn add_refuses_bad_names_duplicates_and_short_passwords() {
    let (_dir, path) = site();
    let mut accounts = Accounts::load(&path).unwrap();
    accounts.add("lan", None, Role::Editor, PASSWORD).unwrap();
    let message = |err: Error| err.problems()[0].to_string();

    let err = message(
        accounts
            .add("lan", None, Role::Approver, PASSWORD)
            .unwrap_err(),
    );
    assert!(
        err.contains("field `name`: user `lan` already exists"),
        "{err}"
    );
    for bad in ["", "Lan", "nguyễn", "a b", "a/b", &"a".repeat(33)] {
        let err = message(accounts.add(bad, None, Role::Editor, PASSWORD).unwrap_err());
        assert!(err.contains("is not a login name"), "{bad:?}: {err}");
    }
    assert!(accounts
        .add(&"a".repeat(32), None, Role::Editor, PASSWORD)
        .is_ok());
    let err = message(
        accounts
            .add("minh", None, Role::Editor, "short")
            .unwrap_err(),
    );
    assert!(err.contains("field `password`: Mật khẩu quá ngắn"), "{err}");
    let err = message(
        accounts
            .add("minh", Some("Minh\tTrần"), Role::Editor, PASSWORD)
            .unwrap_err(),
    );
    assert!(err.contains("field `display_name`"), "{err}");
    assert_eq!(accounts.users().len(), 2);
}

#[test]
fn passwd_and_remove_need_an_existing_user() {
    let (_dir, path) = site();
    let mut accounts = Accounts::load(&path).unwrap();
    let err = accounts
        .set_password("lan", PASSWORD)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no user `lan` (there are no users yet)"),
        "{err}"
    );
    accounts.add("lan", None, Role::Editor, PASSWORD).unwrap();
    let err = accounts.remove("minh").unwrap_err().to_string();
    assert!(err.contains("no user `minh` (users: lan)"), "{err}");

    accounts.set_password("lan", "mật khẩu mới tinh").unwrap();
    assert!(accounts.verify("lan", PASSWORD).is_none());
    assert!(accounts.verify("lan", "mật khẩu mới tinh").is_some());
    assert!(accounts.set_password("lan", "ngắn").is_err());
    assert!(accounts.verify("lan", "mật khẩu mới tinh").is_some());

    assert_eq!(accounts.remove("lan").unwrap().name, "lan");
    assert!(accounts.is_empty());
    accounts.save().unwrap();
    assert!(Accounts::load(&path).unwrap().is_empty());
}

#[test]
fn a_bad_role_is_reported_with_its_line_and_field() {
    let text = file_with("  - name: minh\n    role: admin\n    password: x\n");
    let problems = problems(&text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, Some(7));
    assert_eq!(problems[0].field.as_deref(), Some("role"));
    assert!(
        problems[0].message.contains("unknown variant `admin`"),
        "{problems:?}"
    );
    assert!(problems[0].message.contains("nguoi-duyet"), "{problems:?}");
    assert!(problems[0].file.ends_with(".trangtin/users.yaml"));
}

#[test]
fn a_missing_or_unknown_field_is_named() {
    let problems = problems(&file_with("  - name: minh\n    role: bien-tap-vien\n"));
    assert_eq!(
        problems[0].field.as_deref(),
        Some("password"),
        "{problems:?}"
    );
    assert!(problems[0].line.is_some(), "{problems:?}");

    let problems = problems_of_unknown_field();
    assert_eq!(problems[0].field.as_deref(), Some("email"), "{problems:?}");
    assert_eq!(problems[0].line, Some(6), "{problems:?}");
}

fn problems_of_unknown_field() -> Vec<Problem> {
    problems(&file_with("    email: lan@example.vn\n"))
}

#[test]
fn yaml_syntax_errors_carry_the_line() {
    let problems = problems("users:\n  - name: lan\n\trole: nguoi-duyet\n");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(3), "{problems:?}");
    assert_eq!(problems[0].field, None);
    assert!(!problems[0].message.contains(" at line "), "{problems:?}");
}

#[test]
fn every_bad_entry_is_reported_at_its_field() {
    let hash = password::hash("0123456789").unwrap();
    let text = file_with(&format!(
        "  - name: Minh Tran\n    role: bien-tap-vien\n    password: {hash}\n\
         \x20 - name: lan\n    role: bien-tap-vien\n    password: {hash}\n\
         \x20 - name: hoa\n    role: bien-tap-vien\n    password: hunter2\n\
         \x20 - name: tuan\n    display_name: \"  \"\n    role: bien-tap-vien\n    password: {hash}\n"
    ));
    let problems = problems(&text);
    let found: Vec<(Option<usize>, Option<&str>)> = problems
        .iter()
        .map(|p| (p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(6), Some("name")),
            (Some(9), Some("name")),
            (Some(14), Some("password")),
            (Some(16), Some("display_name")),
        ],
        "{problems:#?}"
    );
    assert!(problems[0]
        .message
        .contains("`Minh Tran` is not a login name"));
    assert!(problems[1].message.contains("`lan` is listed twice"));
    assert!(problems[2].message.contains("not a password hash"));
    assert!(problems[3].message.contains("display name is empty"));
    let shown = problems[1].to_string();
    assert!(shown.contains("users.yaml:9: field `name`: "), "{shown}");
}

#[test]
fn an_unreadable_file_names_the_file() {
    let (_dir, path) = site();
    std::fs::create_dir_all(&path).unwrap(); // a folder where the file should be
    let err = Accounts::load(&path).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("users.yaml"), "{err}");
}

#[test]
fn display_names_are_stored_in_nfc() {
    let (_dir, path) = site();
    let mut accounts = Accounts::load(&path).unwrap();
    let decomposed: String =
        unicode_normalization::UnicodeNormalization::nfd("Nguyễn Thị Lan").collect();
    let user = accounts
        .add("lan", Some(&decomposed), Role::Editor, PASSWORD)
        .unwrap();
    assert_eq!(user.display_name, "Nguyễn Thị Lan");
}

#[test]
fn debug_output_leaves_the_hashes_out() {
    let accounts = load_text(&file_with("")).unwrap();
    let shown = format!("{accounts:?}");
    assert!(shown.contains("lan"), "{shown}");
    assert!(!shown.contains("argon2"), "{shown}");
}

#[test]
fn a_removed_user_a_new_role_or_a_new_password_ends_the_users_sessions() {
    let (_dir, path) = site();
    let mut before = Accounts::load(&path).unwrap();
    for name in ["lan", "minh", "hung", "tuan"] {
        before.add(name, None, Role::Editor, PASSWORD).unwrap();
    }
    before.save().unwrap();
    let mut after = Accounts::load(&path).unwrap();
    after.remove("minh").unwrap();
    after.set_password("hung", "một mật khẩu mới").unwrap();
    let tuan = after.index("tuan").unwrap();
    after.users[tuan].role = Role::Approver;
    let lan = after.index("lan").unwrap();
    after.users[lan].display_name = "Lan".into();
    assert_eq!(before.ended_by(&after), ["minh", "hung", "tuan"]);
    // The same file read again ends nothing.
    assert!(before.ended_by(&Accounts::load(&path).unwrap()).is_empty());
}
