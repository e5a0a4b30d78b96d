//! Command-line arguments (clap derive): one struct per subcommand.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// trangtin: static site generator for Vietnamese public news portals.
#[derive(Debug, Parser)]
#[command(name = "trangtin", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
}

/// `trangtin build`
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: ROOT/public).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Also render drafts and future-dated articles.
    #[arg(long)]
    pub drafts: bool,
    /// Print how long each stage took and how many pages of each kind were made.
    #[arg(long)]
    pub timings: bool,
}
