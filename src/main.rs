//! The `trangtin` command: parse arguments, call the library, print, set the exit code.

mod cli;

use clap::Parser;
use cli::{BuildArgs, Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                if !matches!(err, trangtin::Error::Template { .. }) {
                    eprintln!("  caused by: {cause}");
                }
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

fn build(args: BuildArgs) -> trangtin::Result<()> {
    let options = trangtin::BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        now: None,
    };
    let report = trangtin::build(&options)?;
    for warning in &report.warnings {
        eprintln!("{warning}");
    }
    if args.timings {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<22} {:>8.3} s", time.as_secs_f64());
        }
        for (kind, count) in &report.page_counts {
            eprintln!("  {kind:<22} {count:>8} pages");
        }
    }
    if report.held_back > 0 {
        eprintln!(
            "{} draft or future article(s) held back (use --drafts to include them)",
            report.held_back
        );
    }
    println!(
        "Built {} articles: {} pages written, {} files copied in {:.2} s",
        report.articles,
        report.pages_written,
        report.files_copied,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}
