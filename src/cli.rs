//! Command-line arguments (clap derive): one struct per subcommand.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// trangtin: static site generator for Vietnamese public news portals.
#[derive(Debug, Parser)]
#[command(name = "trangtin", version, about)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
    /// Build the site in memory and serve it, rebuilding and reloading on every change.
    Serve(ServeArgs),
    /// Check the site (front matter, categories, links, images) without writing anything.
    Check(CheckArgs),
    /// Create a new article under content/YYYY/MM/.
    New(NewArgs),
    /// Create a new site folder.
    Init(InitArgs),
    /// Import a Word .docx file as a draft article under content/YYYY/MM/, with its images;
    /// or an old portal's saved pages (--from-html DIR --rules rules.yaml), or a WordPress
    /// export (--from-wordpress FILE).
    Import(ImportArgs),
    /// Manage the accounts of the web editor (ROOT/.trangtin/users.yaml).
    User(UserArgs),
    /// Copy the built site into a folder, only the files that changed.
    Deploy(DeployArgs),
}

/// `trangtin build`
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Where to write the site (default: ROOT/public).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Also render drafts and future-dated articles.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Print how long each stage took and how many pages of each kind were made.
    #[arg(long)]
    pub(crate) timings: bool,
    /// Let the build remove more than half of the published pages (by default such a
    /// build fails, as a mistyped --root or an emptied content/ folder would).
    #[arg(long)]
    pub(crate) allow_mass_delete: bool,
}

/// `trangtin serve`
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// Also show drafts and future-dated articles.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Also serve the web editor for clerks at BASE/_soan-tin/ (implies --drafts).
    #[arg(long)]
    pub(crate) edit: bool,
}

/// `trangtin check`
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Also check drafts and future-dated articles as if they were published.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// The output folder a build would replace (default: ROOT/public).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Do not report a build that would remove most of the published pages.
    #[arg(long)]
    pub(crate) allow_mass_delete: bool,
}

/// `trangtin new`
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The article's title.
    pub(crate) title: String,
    /// The category (one of config.yaml's categories).
    #[arg(long)]
    pub(crate) category: String,
    /// The author (default: config's default_author).
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// Tags, separated by commas.
    #[arg(long, value_delimiter = ',')]
    pub(crate) tags: Vec<String>,
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

/// `trangtin import`
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The Word document (.docx).
    #[arg(required_unless_present_any = ["from_html", "from_wordpress"])]
    pub(crate) file: Option<PathBuf>,
    /// A folder of an old portal's pages saved by wget (`wget --mirror`): each article
    /// page becomes a published article with its images and its old address as an alias.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["file", "category", "title", "author", "date", "from_wordpress"], requires = "rules")]
    pub(crate) from_html: Option<PathBuf>,
    /// With --from-html: the YAML file of CSS selectors (title, date, breadcrumb or
    /// category, body, image, author), the old address and the category map.
    #[arg(long, value_name = "FILE")]
    pub(crate) rules: Option<PathBuf>,
    /// A WordPress export (WXR, from Tools → Export): each post becomes an article (drafts
    /// stay drafts) with its old permalink as an alias. --category is then the category
    /// of posts whose own is not in config.yaml.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["file", "title", "author", "date"])]
    pub(crate) from_wordpress: Option<PathBuf>,
    /// With --from-wordpress: the blog's wp-content/uploads folder, to copy its images.
    #[arg(long, value_name = "DIR", requires = "from_wordpress")]
    pub(crate) uploads: Option<PathBuf>,
    /// With --from-wordpress: the blog's time zone, in which wp:post_date is written.
    #[arg(long, default_value = "+07:00", requires = "from_wordpress")]
    pub(crate) timezone: String,
    /// The category (one of config.yaml's categories; default: the first of them).
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// The title (default: the document's Title or first Heading 1, else its first line).
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// The author (default: config's default_author).
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// The date, e.g. "2024-03-02 08:00" (default: now, in the site's time zone).
    #[arg(long)]
    pub(crate) date: Option<String>,
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

/// `trangtin deploy`
#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// Where to put the site: a folder (a web server's root, a mounted share),
    /// s3://BUCKET/PREFIX (an S3-compatible store: settings and credentials from the
    /// environment, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL,
    /// AWS_ALLOW_HTTP, or from --credentials) or sftp://USER@HOST[:PORT]/PATH (a folder on an
    /// SSH server, /~/PATH for one in the user's home; the server must be in
    /// ~/.ssh/known_hosts; key and trust from TRANGTIN_SFTP_KEY,
    /// TRANGTIN_SFTP_KEY_PASSPHRASE, TRANGTIN_SFTP_PASSWORD, TRANGTIN_SFTP_KNOWN_HOSTS or
    /// --credentials).
    #[arg(long)]
    pub(crate) to: String,
    /// A file of the store's or server's settings and credentials (KEY=VALUE lines with the
    /// names above), outside the site's folder; it wins over the environment.
    #[arg(long, value_name = "FILE")]
    pub(crate) credentials: Option<PathBuf>,
    /// Only say what would be copied and deleted.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// The site folder (holds config.yaml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The build output to deploy (default: ROOT/public).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
}

/// `trangtin init`
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The folder to create the site in (must be empty or not exist).
    pub(crate) dir: PathBuf,
    /// Also copy the default theme into DIR/themes/tin-hoat-dong/ to customize it.
    #[arg(long)]
    pub(crate) with_theme: bool,
}

/// `trangtin user`
#[derive(Debug, Args)]
pub(crate) struct UserArgs {
    /// What to do with the accounts.
    #[command(subcommand)]
    pub(crate) action: UserAction,
    /// The site folder (its accounts are in ROOT/.trangtin/users.yaml).
    #[arg(long, default_value = ".", global = true)]
    pub(crate) root: PathBuf,
}

/// The subcommands of `trangtin user`. Passwords are read from the terminal without echo,
/// twice, or from one line of standard input when it is not a terminal.
#[derive(Debug, Subcommand)]
pub(crate) enum UserAction {
    /// Add a user (asks for the password).
    Add {
        /// The login name: 1 to 32 of a-z, 0-9, `.`, `_`, `-`.
        name: String,
        /// bien-tap-vien (editor: saves drafts) or nguoi-duyet (approver: also publishes).
        #[arg(long, value_parser = parse_role)]
        role: trangtin::accounts::Role,
        /// The name shown in the editor, e.g. "Nguyễn Thị Lan" (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Set a new password for a user (asks for it).
    Passwd {
        /// The login name.
        name: String,
    },
    /// Remove a user.
    Remove {
        /// The login name.
        name: String,
    },
    /// List the users and their roles.
    List,
}

fn parse_role(text: &str) -> Result<trangtin::accounts::Role, String> {
    trangtin::accounts::Role::from_key(text).ok_or_else(|| {
        let keys: Vec<&str> = trangtin::accounts::Role::ALL
            .iter()
            .map(|r| r.key())
            .collect();
        format!("expected one of: {}", keys.join(", "))
    })
}
