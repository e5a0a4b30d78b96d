//! The `trangtin` command: parse arguments, call the library, print, set the exit code.

mod cli;

/// mimalloc: a build allocates and frees millions of small strings and template values from
/// several threads; it is faster than the system allocator at that and returns memory better.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use cli::{
    BuildArgs, CheckArgs, Cli, Command, DeployArgs, ImportArgs, InitArgs, NewArgs, ServeArgs,
    UserAction, UserArgs,
};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check(args) => return check(args),
        Command::New(args) => new(args),
        Command::Init(args) => init(args),
        Command::Import(args) => import(args),
        Command::User(args) => user(args),
        Command::Deploy(args) => deploy(args),
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

fn deploy(args: DeployArgs) -> trangtin::Result<()> {
    // Refuses a config.yaml that holds credentials (they belong in the environment or a
    // file outside the site).
    trangtin::config::Config::load(&args.root)?;
    let source = args.output.unwrap_or_else(|| args.root.join("public"));
    let target = trangtin::deploy::Destination::parse(&args.to)?;
    let mut options = trangtin::deploy::DeployOptions::new(source, target);
    options.dry_run = args.dry_run;
    options.credentials = args.credentials;
    options.site_root = Some(args.root);
    let report = trangtin::deploy::deploy(&options)?;
    if report.dry_run {
        for path in &report.uploaded {
            println!("+ {path}");
        }
        for path in &report.deleted {
            println!("- {path}");
        }
    }
    println!("{}", report.summary());
    Ok(())
}

fn user(args: UserArgs) -> trangtin::Result<()> {
    use trangtin::accounts::Accounts;
    let path = Accounts::default_path(&args.root);
    let mut accounts = Accounts::load(&path)?;
    match args.action {
        UserAction::Add {
            name,
            role,
            display_name,
        } => {
            accounts.check_new_name(&name)?;
            let password = read_new_password(&path, &name)?;
            let user = accounts.add(&name, display_name.as_deref(), role, &password)?;
            accounts.save()?;
            println!(
                "Added {} ({}, {}) to {}",
                user.name,
                user.display_name,
                user.role.label(),
                path.display()
            );
        }
        UserAction::Passwd { name } => {
            accounts.require(&name)?;
            let password = read_new_password(&path, &name)?;
            accounts.set_password(&name, &password)?;
            accounts.save()?;
            println!("Changed the password of {name} in {}", path.display());
        }
        UserAction::Remove { name } => {
            let user = accounts.remove(&name)?;
            accounts.save()?;
            println!(
                "Removed {} ({}) from {}",
                user.name,
                user.display_name,
                path.display()
            );
        }
        UserAction::List => {
            if accounts.is_empty() {
                eprintln!(
                    "No users in {}: add one with trangtin user add NAME --role \
                     bien-tap-vien|nguoi-duyet",
                    path.display()
                );
            }
            let width = accounts
                .users()
                .iter()
                .map(|u| u.name.len())
                .max()
                .unwrap_or(0);
            for user in accounts.users() {
                println!(
                    "{:<width$}  {:<13}  {}",
                    user.name,
                    user.role.key(),
                    user.display_name
                );
            }
        }
    }
    Ok(())
}

/// A new password for `name`: typed twice without echo on a terminal, else one line of
/// standard input (scripts, tests). Checked here so that a short one is refused at once.
fn read_new_password(path: &std::path::Path, name: &str) -> trangtin::Result<String> {
    use std::io::{BufRead, IsTerminal};
    let refuse = |message: String| {
        trangtin::Error::Input(vec![
            trangtin::Problem::error(path, message).in_field("password")
        ])
    };
    let io = |e| trangtin::Error::io("standard input", e);
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Mật khẩu cho {name}: ")).map_err(io)?;
        trangtin::accounts::check_password(&first).map_err(refuse)?;
        let second = rpassword::prompt_password("Nhập lại mật khẩu: ").map_err(io)?;
        if first != second {
            return Err(refuse("Hai lần nhập mật khẩu không khớp nhau.".into()));
        }
        first
    } else {
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).map_err(io)? == 0 {
            return Err(refuse(
                "no password: type it on a terminal, or give it on one line of standard input"
                    .into(),
            ));
        }
        line.truncate(line.trim_end_matches(['\n', '\r']).len());
        line
    };
    trangtin::accounts::check_password(&password).map_err(refuse)?;
    Ok(password)
}

fn build(args: BuildArgs) -> trangtin::Result<()> {
    let options = trangtin::BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        now: None,
        allow_mass_delete: args.allow_mass_delete,
    };
    let report = trangtin::build(&options)?;
    for warning in &report.warnings {
        eprintln!("{warning}");
    }
    if args.timings {
        for time in &report.timings {
            let cpu = time
                .cpu
                .map(|cpu| format!("  (CPU {:.2} s)", cpu.as_secs_f64()))
                .unwrap_or_default();
            eprintln!(
                "  {:<22} {:>8.3} s{cpu}",
                time.stage,
                time.wall.as_secs_f64()
            );
        }
        for (kind, count) in &report.page_counts {
            eprintln!("  {kind:<22} {count:>8} pages");
        }
        eprintln!(
            "  build cache: {} article(s) parsed, {} bod(ies) rendered and the terms of {} \
             counted, the others taken from .trangtin-cache/build ({} file(s) not even read: \
             unchanged since they were)",
            report.articles_parsed,
            report.bodies_rendered,
            report.terms_counted,
            report.files_unread
        );
    }
    if report.held_back > 0 {
        eprintln!(
            "{} draft or future article(s) held back (use --drafts to include them)",
            report.held_back
        );
    }
    if report.server_redirects > 0 {
        eprintln!(
            "{} old address(es) with a query string or outside the site's path are redirected by \
             the web server, not by pages: install .htaccess, web.config or server/nginx-*.conf \
             (README: Hosting, old addresses)",
            report.server_redirects
        );
    }
    if report.host_root_redirects > 0 {
        eprintln!(
            "{} of them are outside the site's path: server/host-root.htaccess or \
             server/host-root.web.config go to the root of the host",
            report.host_root_redirects
        );
    }
    eprintln!(
        "output: {} files changed, {} unchanged, {} removed; {} pages rendered, the others \
         kept (made from the same content, settings and theme as in the last build)",
        report.commit.changed,
        report.commit.unchanged,
        report.commit.removed,
        report.pages_rendered
    );
    println!(
        "Built {} articles: {} pages written, {} files copied in {:.2} s",
        report.articles,
        report.pages_written,
        report.files_copied,
        report.elapsed.as_secs_f64()
    );
    Ok(())
}

fn serve(args: ServeArgs) -> trangtin::Result<()> {
    let mut options = trangtin::serve::ServeOptions::new(args.root);
    options.bind = args.bind;
    options.port = args.port;
    options.drafts = args.drafts || args.edit;
    options.edit = args.edit;
    let server = trangtin::serve::Server::start(options)?;
    println!("Serving at {}  (Ctrl+C to stop)", server.url());
    if let Some(editor) = server.editor_url() {
        println!("Soạn tin (the web editor) at {editor}");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    server.wait();
    Ok(())
}

fn check(args: CheckArgs) -> ExitCode {
    let mut options = trangtin::BuildOptions::new(args.root);
    options.drafts = args.drafts;
    options.output = args.output;
    options.allow_mass_delete = args.allow_mass_delete;
    let report = trangtin::check::check(&options);
    for problem in &report.problems {
        println!("{problem}");
    }
    println!("{}", report.summary());
    if report.errors() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn new(args: NewArgs) -> trangtin::Result<()> {
    let path = trangtin::scaffold::new_article(&trangtin::scaffold::NewArticle {
        root: args.root,
        title: args.title,
        category: args.category,
        author: args.author,
        tags: args.tags,
        now: None,
    })?;
    println!("{}", path.display());
    Ok(())
}

fn import(args: ImportArgs) -> trangtin::Result<()> {
    if let (Some(mirror), Some(rules)) = (args.from_html.clone(), args.rules.clone()) {
        let report = trangtin::import::portal::import_html_mirror(
            &trangtin::import::portal::MirrorRequest {
                root: args.root,
                mirror,
                rules,
            },
        )?;
        return import_report(
            &trangtin::import::portal::describe(&report),
            report.imported.len(),
            report.skipped.len(),
        );
    }
    if let Some(file) = args.from_wordpress.clone() {
        let Some(timezone) = trangtin::text::date::parse_offset(&args.timezone) else {
            return Err(trangtin::Error::Input(vec![trangtin::Problem::error(
                "--timezone",
                format!("`{}` is not an offset such as +07:00", args.timezone),
            )]));
        };
        let report = trangtin::import::wordpress::import_wordpress(
            &trangtin::import::wordpress::WordpressRequest {
                root: args.root,
                file,
                uploads: args.uploads,
                timezone: Some(timezone),
                category: args.category,
            },
        )?;
        return import_report(
            &trangtin::import::portal::describe(&report),
            report.imported.len(),
            report.skipped.len(),
        );
    }
    let Some(file) = args.file else {
        return Err(trangtin::Error::Input(vec![trangtin::Problem::error(
            "import",
            "give a .docx file, or --from-html DIR --rules FILE",
        )]));
    };
    let imported = trangtin::import::import_docx(&trangtin::import::ImportRequest {
        root: args.root,
        file,
        category: args.category,
        title: args.title,
        author: args.author,
        date: args.date,
        now: None,
    })?;
    println!("{}", imported.article.display());
    for image in &imported.images {
        println!("{}", image.display());
    }
    eprintln!(
        "Imported as a draft: \"{}\" in category \"{}\" ({} image(s)). Preview it with \
         trangtin serve --drafts; remove `draft: true` to publish it.",
        imported.title,
        imported.category,
        imported.images.len()
    );
    if !imported.report.is_empty() {
        eprintln!("Not converted:\n{}", imported.report.to_string().trim_end());
    }
    Ok(())
}

/// Prints a bulk import's report; fails when nothing could be imported.
fn import_report(text: &str, imported: usize, skipped: usize) -> trangtin::Result<()> {
    eprint!("{text}");
    eprintln!("{imported} article(s) imported, {skipped} page(s) left out.");
    if imported == 0 {
        return Err(trangtin::Error::Input(vec![trangtin::Problem::error(
            "import",
            "nothing could be imported (see the report above)",
        )]));
    }
    Ok(())
}

fn init(args: InitArgs) -> trangtin::Result<()> {
    let created = trangtin::scaffold::init_site(&args.dir, args.with_theme)?;
    println!(
        "Created a new site in {} ({} files). Next: cd {} && trangtin serve",
        args.dir.display(),
        created.len(),
        args.dir.display()
    );
    Ok(())
}
