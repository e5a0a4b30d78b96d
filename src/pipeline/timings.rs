//! Stage timings for `--timings`: wall-clock and processor time of each stage.

use std::time::{Duration, Instant};

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

/// Laps of the stages of one run.
pub struct Stopwatch {
    /// When the run started.
    pub start: Instant,
    last: Instant,
    last_cpu: Option<Duration>,
    /// The stages timed so far.
    pub laps: Vec<StageTime>,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch::new()
    }
}

impl Stopwatch {
    /// A stopwatch started now.
    pub fn new() -> Self {
        let now = Instant::now();
        Stopwatch {
            start: now,
            last: now,
            last_cpu: process_cpu_time(),
            laps: Vec::new(),
        }
    }

    /// Ends the stage named `stage`, which started at the previous lap.
    pub fn lap(&mut self, stage: &'static str) {
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
            print_memory(stage);
        }
    }
}

/// A profiling aid asked for by the environment (`TRANGTIN_MEMORY=1`), never on by default.
#[allow(clippy::print_stderr)]
fn print_memory(stage: &str) {
    eprintln!("  memory after {stage:<22} {:>6} MiB", resident_mib());
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
