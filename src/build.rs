//! The build: load → assemble → plan → render → write, with timings.

use crate::config::Config;
use crate::content;
use crate::error::{Problem, Result};
use crate::output::write::{CommitReport, Staging};
use crate::render::{self, templates::Theme, Rendering};
use crate::site::{AssembleOptions, Site};
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds `config.yaml`, `content/`, ...).
    pub root: PathBuf,
    /// The output folder (default `root/public`).
    pub output: Option<PathBuf>,
    /// Also render drafts and future-dated articles.
    pub drafts: bool,
    /// The moment that decides what is "in the future" (default: now).
    pub now: Option<DateTime<FixedOffset>>,
}

impl BuildOptions {
    /// Options for the site at `root` with every default.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            now: None,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Published articles.
    pub articles: usize,
    /// HTML pages and other generated files written.
    pub pages_written: usize,
    /// Files copied (theme static files and content assets).
    pub files_copied: usize,
    /// Drafts and future articles left out.
    pub held_back: usize,
    /// Warnings, with file and line.
    pub warnings: Vec<Problem>,
    /// Time per stage.
    pub timings: Vec<StageTime>,
    /// Pages per kind of page.
    pub page_counts: Vec<(String, usize)>,
    /// Whole build.
    pub elapsed: Duration,
    /// Files changed, left unchanged and removed in the output folder.
    pub commit: CommitReport,
}

/// How long one stage of the build took.
#[derive(Debug, Clone, Copy)]
pub struct StageTime {
    /// The stage's name, as `--timings` prints it.
    pub stage: &'static str,
    /// Wall-clock time.
    pub wall: Duration,
    /// Processor time of every thread of the process (user + system), where the system
    /// reports it: more than `wall` means the stage ran on several cores.
    pub cpu: Option<Duration>,
}

struct Stopwatch {
    start: Instant,
    last: Instant,
    last_cpu: Option<Duration>,
    laps: Vec<StageTime>,
}

impl Stopwatch {
    fn new() -> Self {
        let now = Instant::now();
        Stopwatch {
            start: now,
            last: now,
            last_cpu: process_cpu_time(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let cpu = process_cpu_time();
        self.laps.push(StageTime {
            stage,
            wall: now - self.last,
            cpu: cpu
                .zip(self.last_cpu)
                .map(|(now, before)| now.saturating_sub(before)),
        });
        self.last = now;
        self.last_cpu = cpu;
        if std::env::var_os("TRANGTIN_MEMORY").is_some() {
            eprintln!("  memory after {stage:<22} {:>6} MiB", resident_mib());
        }
    }
}

/// Resident memory of this process in MiB (Linux; 0 elsewhere), for profiling with
/// `TRANGTIN_MEMORY=1 trangtin build --timings`.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// User + system time of the whole process so far (Linux, from `/proc/self/stat`, in
/// clock ticks of 10 ms; `None` elsewhere).
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces:
    // state is field 3, utime field 14, stime field 15.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    const TICKS_PER_SECOND: u64 = 100;
    Some(Duration::from_millis(
        (utime + stime) * 1000 / TICKS_PER_SECOND,
    ))
}

/// Loads and assembles the site in memory, without writing anything.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let config = Config::load(&options.root)?;
    let loaded = content::load(&options.root, &config)?;
    assemble(config, loaded, options)
}

fn assemble(config: Config, loaded: content::Loaded, options: &BuildOptions) -> Result<Site> {
    let now = options
        .now
        .unwrap_or_else(|| Utc::now().with_timezone(&config.timezone));
    Site::assemble(
        config,
        loaded,
        AssembleOptions {
            drafts: options.drafts,
            now,
        },
    )
}

/// Builds the site into its output folder. On any error the previous output is untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let mut clock = Stopwatch::new();
    let config = Config::load(&options.root)?;
    let loaded = content::load(&options.root, &config)?;
    clock.lap("load");
    let site = assemble(config, loaded, options)?;
    clock.lap("markdown and indexes");
    let theme = Theme::load(&options.root, &site.config)?;
    let mut rendering = Rendering::new(site, theme)?;
    clock.lap("plan");
    let staging = Staging::new(&options.output_dir())?;
    let mut outputs: HashSet<String> =
        crate::search::write_index(&rendering.site, &|path: &str, bytes: &[u8]| {
            staging.write(path, bytes)
        })?
        .into_iter()
        .collect();
    // Only the search index reads the whole text of the articles: free it before rendering.
    rendering.site.release_plain_text();
    clock.lap("search index");
    let written = AtomicUsize::new(0);
    let write = |path: &str, bytes: &[u8]| {
        written.fetch_add(1, Ordering::Relaxed);
        staging.write(path, bytes)
    };
    rendering.render_all(&write)?;
    clock.lap("render and write");
    let (site, plan) = (&rendering.site, &rendering.plan);
    outputs.extend(plan.jobs.iter().map(|(path, _)| path.clone()));
    for (path, bytes) in crate::output::site_files(site, plan) {
        write(&path, &bytes)?;
        outputs.insert(path);
    }
    clock.lap("feeds and sitemap");
    let mut copied = 0;
    for (path, source) in &rendering.static_files {
        match source {
            render::templates::StaticSource::Embedded(bytes) => staging.write(path, bytes)?,
            render::templates::StaticSource::Disk(from) => staging.copy(path, from)?,
        }
        outputs.insert(path.clone());
        copied += 1;
    }
    for asset in &site.assets {
        staging.copy(&asset.source, &asset.path)?;
        outputs.insert(asset.source.clone());
        copied += 1;
    }
    clock.lap("copy files");
    let commit = staging.commit(&outputs)?;
    clock.lap("commit");
    let mut page_counts: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, job) in &plan.jobs {
        let kind = match job {
            render::Job::Article(_) => "article".to_string(),
            render::Job::Page(_) => "page".to_string(),
            render::Job::Listing { listing, .. } => plan.listings[*listing].kind.as_str().to_string(),
            render::Job::Alias { .. } => "alias".to_string(),
            render::Job::Prepared { template, .. } => {
                template.trim_end_matches(".html").to_string()
            }
        };
        *page_counts.entry(kind).or_default() += 1;
    }
    let report = BuildReport {
        articles: site.published.len(),
        pages_written: written.into_inner(),
        files_copied: copied,
        held_back: site.held_back,
        warnings: site.warnings.clone(),
        timings: clock.laps,
        page_counts: page_counts.into_iter().collect(),
        commit,
        elapsed: clock.start.elapsed(),
    };
    // Freeing a large site (every article, every template value) takes a noticeable part of
    // a build; let it happen beside the caller instead of in front of it.
    std::thread::spawn(move || drop(rendering));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn processor_time_grows_with_work_and_stays_plausible() {
        let start = Instant::now();
        let before = process_cpu_time().expect("Linux reports processor time");
        let mut spin = 0u64;
        let mut now = before;
        while now < before + Duration::from_millis(50) && start.elapsed() < Duration::from_secs(20)
        {
            for _ in 0..100_000 {
                spin = std::hint::black_box(spin.wrapping_mul(31).wrapping_add(7));
            }
            now = process_cpu_time().expect("Linux reports processor time");
        }
        let elapsed = start.elapsed();
        assert!(
            now >= before + Duration::from_millis(50),
            "{before:?} → {now:?} in {elapsed:?}"
        );
        // All threads of the test process together, on a machine with a few cores.
        assert!(
            now - before <= elapsed * 16 + Duration::from_millis(100),
            "{before:?} → {now:?} in {elapsed:?}"
        );
    }
}
