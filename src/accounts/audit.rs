//! The log of the editor's saves: one line per save or publication, appended to a text file
//! a person reads (`.trangtin/nhat-ky-soan-tin.log`): when (UTC+7), who, what, which file.

use chrono::{DateTime, FixedOffset, Utc};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The first line of a new log, so that whoever opens it knows what the columns are.
const HEADER: &str = "# Nhật ký soạn tin của trangtin: thời gian (UTC+7), người, việc, tệp \
                      (các cột cách nhau bằng dấu tab)\n";

/// An append-only log file; `Send + Sync`, one line written at a time.
#[derive(Debug)]
pub struct AuditLog {
    file: Mutex<File>,
}

impl AuditLog {
    /// Where a site keeps its log: `ROOT/.trangtin/nhat-ky-soan-tin.log`.
    pub fn default_path(site_root: &Path) -> PathBuf {
        site_root.join(".trangtin").join("nhat-ky-soan-tin.log")
    }

    /// Opens the log for appending, creating it (and its folder) when missing; a new log
    /// starts with a line that names the columns.
    pub fn open(path: &Path) -> std::io::Result<AuditLog> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new().create(true).append(true).open(path)?;
        if file.metadata()?.len() == 0 {
            file.write_all(HEADER.as_bytes())?;
        }
        Ok(AuditLog {
            file: Mutex::new(file),
        })
    }

    /// Appends one line, the time now, who, what and which file separated by tabs, e.g.
    /// `2026-12-01 19:03:22 +07:00 ⇥ lan (Người duyệt) ⇥ đăng bài ⇥ content/2026/12/x.md`
    /// (`who` as [`User::audit_name`](super::User::audit_name) makes it).
    pub fn record(&self, who: &str, action: &str, file: &str) -> std::io::Result<()> {
        self.record_at(Utc::now(), who, action, file)
    }

    /// [`AuditLog::record`] at a given time.
    pub fn record_at(
        &self,
        time: DateTime<Utc>,
        who: &str,
        action: &str,
        file: &str,
    ) -> std::io::Result<()> {
        let line = line(time, who, action, file);
        // One write of the whole line under the lock: lines from several threads never mix,
        // and with O_APPEND neither do lines from two processes.
        let mut log = self.file.lock().unwrap_or_else(|e| e.into_inner());
        log.write_all(line.as_bytes())?;
        log.flush()
    }
}

/// One line of the log. Tabs and line breaks inside a field become spaces, so that a file
/// name cannot forge a line.
fn line(time: DateTime<Utc>, who: &str, action: &str, file: &str) -> String {
    let zone = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let clean = |text: &str| -> String {
        crate::text::nfc(text)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    format!(
        "{}\t{}\t{}\t{}\n",
        time.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S %:z"),
        clean(who),
        clean(action),
        clean(file)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::sync::Arc;

    #[test]
    fn a_line_says_when_in_vietnam_time_who_what_and_which_file() {
        let time = Utc.with_ymd_and_hms(2026, 12, 1, 12, 3, 22).unwrap();
        assert_eq!(
            line(
                time,
                "lan (Người duyệt)",
                "đăng bài",
                "content/2026/12/x.md"
            ),
            "2026-12-01 19:03:22 +07:00\tlan (Người duyệt)\tđăng bài\tcontent/2026/12/x.md\n"
        );
        // Past midnight in Vietnam, still the day before in UTC.
        let late = Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 0).unwrap();
        assert!(line(late, "a", "b", "c").starts_with("2027-01-01 00:30:00 +07:00\t"));
    }

    #[test]
    fn a_file_name_cannot_forge_a_line() {
        let time = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let forged = line(
            time,
            "lan",
            "lưu nháp",
            "x.md\n2026-01-01 07:00:00\tadmin\tđăng bài",
        );
        assert_eq!(forged.lines().count(), 1);
        assert_eq!(forged.matches('\t').count(), 3);
    }

    #[test]
    fn records_are_appended_after_a_header_and_kept_across_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = AuditLog::default_path(dir.path());
        assert!(path.ends_with(".trangtin/nhat-ky-soan-tin.log"));
        let time = Utc.with_ymd_and_hms(2026, 12, 1, 12, 3, 22).unwrap();
        AuditLog::open(&path)
            .unwrap()
            .record_at(time, "lan", "lưu nháp", "content/a.md")
            .unwrap();
        let log = AuditLog::open(&path).unwrap();
        log.record("minh", "đăng bài", "content/b.md").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(lines[0], HEADER.trim_end());
        assert_eq!(
            lines[1],
            "2026-12-01 19:03:22 +07:00\tlan\tlưu nháp\tcontent/a.md"
        );
        assert!(lines[2].ends_with("\tminh\tđăng bài\tcontent/b.md"));
    }

    #[test]
    fn lines_from_many_threads_stay_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.txt");
        let log = Arc::new(AuditLog::open(&path).unwrap());
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let log = Arc::clone(&log);
                std::thread::spawn(move || {
                    for i in 0..50 {
                        log.record(&format!("user{t}"), "lưu nháp", &format!("content/{i}.md"))
                            .unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let records: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(records.len(), 400);
        assert!(records.iter().all(|l| l.split('\t').count() == 4), "{text}");
    }
}
