//! The SFTP deploy against a loopback OpenSSH server (Debian's `sshd`, as in
//! `tests/deploy_sftp.rs`): a first deploy of ~1000 small files with 1, 4, 8 and 16 files in
//! flight, then a deploy with nothing changed (the stat of every listed file).
//!
//!     cargo bench --bench deploy_sftp                  # FILES=1000 RUNS=3
//!     cargo bench --profile dev --bench deploy_sftp    # without a release build
//!
//! Prints the median wall time of each. (A loopback has no latency: over a real network the
//! gain of several files in flight is larger, each round trip costing milliseconds.)

#[path = "../tests/sftp_support/mod.rs"]
mod sftp_support;

use sftp_support::Sshd;
use std::path::Path;
use std::time::{Duration, Instant};
use trangtin::deploy::{deploy_into, DeployOptions, SftpAddress, SftpTarget};

fn main() {
    let files: usize = env_number("FILES", 1000);
    let runs: usize = env_number("RUNS", 3);
    let sshd = Sshd::start();
    let credentials = sshd.credentials("bench.env", &sshd.key, &sshd.known_hosts);
    let output = tempfile::tempdir().unwrap();
    let bytes = write_output(output.path(), files);
    println!(
        "{files} files, {} KB, sshd on 127.0.0.1:{}, {runs} runs each",
        bytes / 1000,
        sshd.port
    );
    let options = DeployOptions::new(output.path(), output.path());
    for in_flight in [1, 4, 8, 16] {
        let mut first = Vec::new();
        let mut again = Vec::new();
        for run in 0..runs {
            let (to, _) = sshd.target(&format!("bench-{in_flight}-{run}"));
            let address = SftpAddress::parse(to.strip_prefix("sftp://").unwrap(), None).unwrap();
            let open = || {
                SftpTarget::open(&address, Some(&credentials), &[])
                    .unwrap()
                    .with_files_in_flight(in_flight)
            };
            let mut target = open();
            let started = Instant::now();
            let report = deploy_into(&options, &mut target).unwrap();
            first.push(started.elapsed());
            assert_eq!(report.uploaded.len(), files);
            drop(target);
            let mut target = open();
            let started = Instant::now();
            let report = deploy_into(&options, &mut target).unwrap();
            again.push(started.elapsed());
            assert_eq!(report.unchanged, files);
        }
        println!(
            "{in_flight:>2} in flight: first deploy {:>7.0} ms ({:>5.0} files/s), unchanged {:>5.0} ms",
            median(&mut first).as_secs_f64() * 1000.0,
            files as f64 / median(&mut first).as_secs_f64(),
            median(&mut again).as_secs_f64() * 1000.0,
        );
    }
}

/// A build output of `files` small pages and assets in folders of 20; its size in bytes.
fn write_output(dir: &Path, files: usize) -> usize {
    std::fs::write(dir.join(".trangtin-output"), "").unwrap();
    let mut total = 0;
    for i in 0..files {
        let folder = dir.join(format!("2026/{:02}/bai-{}", i / 20 % 12 + 1, i / 20));
        std::fs::create_dir_all(&folder).unwrap();
        let (name, size) = if i % 4 == 0 {
            (format!("anh-{i}.webp"), 6000)
        } else {
            (format!("trang-{i}.html"), 2500)
        };
        let text: String = (0..size)
            .map(|j| (b'a' + ((i * 7 + j) % 26) as u8) as char)
            .collect();
        std::fs::write(folder.join(name), &text).unwrap();
        total += text.len();
    }
    total
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
