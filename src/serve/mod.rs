//! `trangtin serve`: builds the site in memory, serves it over HTTP, watches the site folder
//! and rebuilds what changed, reloading the browser after every rebuild (success or failure).
//!
//! Threads: a tokio runtime answers requests (pages are rendered on request and cached for the
//! current generation); one plain thread receives debounced file-system events, turns them
//! into [`Change`]s, rebuilds and swaps the generation.

pub mod change;
pub mod guard;
pub mod http;
pub mod state;

pub use change::{classify, classify_path, Change};

use crate::error::{Error, Result};
use notify::RecursiveMode;
use state::{Builder, ErrorItem, Generation};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Prints one line of the server's console on stderr. `serve` runs until it is stopped and
/// reports each rebuild as it happens, so it is the one part of the library that prints.
macro_rules! say {
    ($($arg:tt)*) => {{
        #[allow(clippy::print_stderr)]
        {
            eprintln!($($arg)*);
        }
    }};
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (loopback by default).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Also show drafts and future-dated articles.
    pub drafts: bool,
    /// Print rebuilds and errors on stderr.
    pub verbose: bool,
    /// How long the watcher waits for a burst of events to end.
    pub debounce: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// Also serve the web editor at `{base}_soan-tin/` ([`crate::editor`]).
    pub edit: bool,
}

impl ServeOptions {
    /// Serve the site at `root` on 127.0.0.1:1111.
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            drafts: false,
            verbose: true,
            debounce: Duration::from_millis(40),
            max_connections: guard::MAX_CONNECTIONS,
            header_timeout: guard::HEADER_TIMEOUT,
            edit: false,
        }
    }
}

struct Shared {
    current: RwLock<Arc<Generation>>,
    /// The port, when the server listens on loopback only: requests must then name a
    /// loopback host (see [`guard::host_allowed`]).
    loopback_port: Option<u16>,
}

impl Shared {
    fn get(&self) -> Arc<Generation> {
        self.current.read().expect("generation lock").clone()
    }
}

/// Starts servers.
pub struct Server;

/// A server that is running; dropping it stops it.
pub struct RunningServer {
    url: String,
    port: u16,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    events: mpsc::Sender<Message>,
    watcher_thread: Option<std::thread::JoinHandle<()>>,
    first_build: Duration,
    editor_url: Option<String>,
}

enum Message {
    Events(notify_debouncer_full::DebounceEventResult),
    Stop,
}

impl Server {
    /// Builds the site, binds the port, starts the watcher and the HTTP server, and returns.
    /// A site that does not build still gets served (as an error page) until it is fixed.
    pub fn start(options: ServeOptions) -> Result<RunningServer> {
        let root = options
            .root
            .canonicalize()
            .map_err(|e| Error::io(&options.root, e))?;
        // The editor's users, read before anything listens: off loopback it needs them.
        let accounts = if options.edit {
            let accounts = crate::editor::guard::load_accounts(&root)?;
            if accounts.is_empty() && !options.bind.is_loopback() {
                return Err(Error::Input(vec![crate::Problem::error(
                    crate::accounts::Accounts::default_path(&root),
                    format!(
                        "the web editor (--edit) listens on {} only with accounts, and this \
                         file has none; create them with `trangtin user add NAME --role \
                         nguoi-duyet` (or bien-tap-vien), or use --bind 127.0.0.1",
                        options.bind
                    ),
                )]));
            }
            Some(accounts)
        } else {
            None
        };
        let addr = SocketAddr::new(options.bind, options.port);
        let listen_error = |source| Error::Listen {
            address: addr,
            source,
        };
        let listener = std::net::TcpListener::bind(addr).map_err(listen_error)?;
        listener.set_nonblocking(true).map_err(listen_error)?;
        let port = listener.local_addr().map_err(listen_error)?.port();
        let host = match options.bind {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        let origin = format!("http://{host}:{port}");
        if !options.bind.is_loopback() && options.verbose {
            say!(
                "warning: listening on {addr}: anyone who can reach this machine on port {port} \
                 sees the preview{}; use --bind 127.0.0.1 unless that is what you want",
                if options.drafts {
                    ", drafts included"
                } else {
                    ""
                }
            );
        }

        let started = Instant::now();
        let mut builder = Builder::new(&root, options.drafts || options.edit, &origin);
        let first = builder.build_all();
        let first_build = started.elapsed();
        builder.prepare_next(first.as_ref().ok());
        let (good, errors) = match first {
            Ok(good) => (Some(Arc::new(good)), Vec::new()),
            Err(err) => (None, ErrorItem::list(&err)),
        };
        if options.verbose {
            report(&builder, &errors, None, first_build);
        }
        let base_path = good
            .as_ref()
            .map(|g| g.base_path().to_string())
            .or_else(|| crate::config::Config::load(&root).ok().map(|c| c.base_path))
            .unwrap_or_else(|| "/".into());
        let shared = Arc::new(Shared {
            loopback_port: options.bind.is_loopback().then_some(port),
            current: RwLock::new(Arc::new(Generation {
                number: 1,
                good,
                errors,
            })),
        });

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("trangtin-serve")
            .enable_all()
            .build()
            .map_err(|source| Error::Start {
                what: "the HTTP runtime",
                source,
            })?;
        // tower-livereload serves the event stream; our pages carry the script already
        // (before `</body>`, see `http::reload_script`), so it injects nothing itself.
        let livereload = tower_livereload::LiveReloadLayer::new()
            .custom_prefix(http::LIVERELOAD_PREFIX)
            .request_predicate(|_: &axum::extract::Request| false);
        let reloader = livereload.reloader();
        let mut app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let mut editor_url = None;
        if let Some(accounts) = accounts {
            let current = shared.clone();
            let editor = Arc::new(crate::editor::Editor::new(
                root.clone(),
                &base_path,
                Arc::new(move || current.get()),
                crate::editor::guard::Guard::new(accounts),
            ));
            editor_url = Some(format!("{origin}{}/", editor.prefix));
            app = app.layer(axum::middleware::from_fn_with_state(editor, editor_area));
        }
        let app = app
            .layer(livereload)
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                check_host,
            ));
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(listen_error)?
        };
        runtime.spawn(guard::serve(
            listener,
            app,
            options.max_connections,
            options.header_timeout,
        ));

        let (events, receiver) = mpsc::channel();
        let sender = events.clone();
        let mut debouncer =
            notify_debouncer_full::new_debouncer(options.debounce, None, move |result| {
                let _ = sender.send(Message::Events(result));
            })
            .map_err(|source| Error::Watch {
                path: root.clone(),
                source,
            })?;
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|source| Error::Watch {
                path: root.clone(),
                source,
            })?;
        let mut watched = Vec::new();
        watch_folders(&mut debouncer, &root, &mut watched);
        let watcher_shared = shared.clone();
        let verbose = options.verbose;
        let watcher_thread = std::thread::Builder::new()
            .name("trangtin-watch".into())
            .spawn(move || {
                let mut debouncer = debouncer;
                while let Ok(Message::Events(first)) = receiver.recv() {
                    // Take every batch already waiting, so a burst is one rebuild.
                    let mut batches = vec![first];
                    let mut stop = false;
                    while let Ok(message) = receiver.try_recv() {
                        match message {
                            Message::Events(batch) => batches.push(batch),
                            Message::Stop => stop = true,
                        }
                    }
                    if stop {
                        break;
                    }
                    let events: Vec<_> = batches
                        .into_iter()
                        .filter_map(|b| b.ok())
                        .flatten()
                        .collect();
                    let changes = classify(
                        &root,
                        events
                            .iter()
                            .map(|e| (&e.event.kind, e.event.paths.as_slice())),
                    );
                    if changes == [Change::Ignore] {
                        continue;
                    }
                    watch_folders(&mut debouncer, &root, &mut watched);
                    let started = Instant::now();
                    let result = builder.apply(&changes);
                    let elapsed = started.elapsed();
                    let previous = watcher_shared.get();
                    let (good, errors) = match result {
                        Ok(good) => (Some(Arc::new(good)), Vec::new()),
                        Err(err) => (previous.good.clone(), ErrorItem::list(&err)),
                    };
                    *watcher_shared.current.write().expect("generation lock") =
                        Arc::new(Generation {
                            number: previous.number + 1,
                            good,
                            errors: errors.clone(),
                        });
                    reloader.reload();
                    if verbose {
                        report(&builder, &errors, Some(&changes), elapsed);
                    }
                    let built = watcher_shared
                        .get()
                        .good
                        .clone()
                        .filter(|_| errors.is_empty());
                    builder.prepare_next(built.as_deref());
                }
            })
            .map_err(|source| Error::Start {
                what: "the watcher thread",
                source,
            })?;

        Ok(RunningServer {
            url: format!("{origin}{base_path}"),
            port,
            shared,
            runtime: Some(runtime),
            events,
            watcher_thread: Some(watcher_thread),
            first_build,
            editor_url,
        })
    }
}

/// Hands the editing area's requests to the editor; everything else goes on to the preview
/// (with accounts, only for a logged-in clerk: the preview shows drafts).
async fn editor_area(
    axum::extract::State(editor): axum::extract::State<Arc<crate::editor::Editor>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if editor.owns(request.uri().path()) {
        crate::editor::handlers::serve(editor, request).await
    } else if let Some(refused) = crate::editor::handlers::preview_refusal(&editor, &request) {
        refused
    } else {
        next.run(request).await
    }
}

/// Watches `content/`, `templates/` and `themes/` (recursively) once they exist.
fn watch_folders(
    debouncer: &mut notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: &Path,
    watched: &mut Vec<PathBuf>,
) {
    for name in [crate::content::CONTENT_DIR, "templates", "themes"] {
        let dir = root.join(name);
        if dir.is_dir() && !watched.contains(&dir) {
            match debouncer.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => watched.push(dir),
                Err(e) => say!("warning: cannot watch {}: {e}", dir.display()),
            }
        }
    }
    watched.retain(|dir| dir.is_dir());
}

fn report(builder: &Builder, errors: &[ErrorItem], changes: Option<&[Change]>, took: Duration) {
    let ms = took.as_secs_f64() * 1000.0;
    if std::env::var_os("TRANGTIN_SERVE_TIMINGS").is_some() {
        for (stage, time) in &builder.timings {
            say!("  {stage:<12} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    if !errors.is_empty() {
        for line in state::error_lines(errors) {
            say!("{line}");
        }
        say!(
            "{} error(s): the pages show them until the files are fixed ({ms:.0} ms)",
            errors.len()
        );
        return;
    }
    match changes {
        None => {
            for warning in &builder.warnings {
                say!("{warning}");
            }
            say!("Built the site in memory in {ms:.0} ms");
        }
        Some(changes) => {
            let files: Vec<String> = changes
                .iter()
                .flat_map(|c| match c {
                    Change::Content(paths) => paths
                        .iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect(),
                    Change::Config => vec!["config.yaml".into()],
                    Change::Templates => vec!["templates".into()],
                    Change::Ignore => vec![],
                })
                .collect();
            for warning in &builder.warnings {
                let file = warning.file.to_string_lossy();
                if files.iter().any(|f| file.ends_with(f.as_str())) {
                    say!("{warning}");
                }
            }
            say!("Rebuilt ({}) in {ms:.0} ms", files.join(", "));
        }
    }
}

/// Refuses, before anything else answers (pages and the reload stream alike), a request
/// whose `Host` is not a loopback name while the server listens on loopback.
async fn check_host(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    if let Some(port) = shared.loopback_port {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        if !guard::host_allowed(host, port) {
            return axum::response::Response::builder()
                .status(StatusCode::MISDIRECTED_REQUEST)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(axum::body::Body::from(
                    "This preview answers only to 127.0.0.1 and localhost.\n",
                ))
                .expect("valid response");
        }
    }
    next.run(request).await
}

async fn handle(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use axum::http::{header, Method, StatusCode};
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return axum::response::Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(axum::body::Body::empty())
            .expect("valid response");
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let generation = shared.get();
    let reply =
        tokio::task::spawn_blocking(move || http::respond(&generation, &path, query.as_deref()))
            .await
            .unwrap_or_else(|_| http::Reply {
                status: 500,
                content_type: "text/plain; charset=utf-8",
                location: None,
                body: b"internal error\n".to_vec(),
            });
    let mut response = axum::response::Response::builder()
        .status(reply.status)
        .header(header::CONTENT_TYPE, reply.content_type)
        .header(header::CACHE_CONTROL, "no-cache")
        .header("X-Content-Type-Options", "nosniff");
    if let Some(location) = reply.location {
        response = response.header(header::LOCATION, location);
    }
    let body = if method == Method::HEAD {
        axum::body::Body::empty()
    } else {
        axum::body::Body::from(reply.body)
    };
    response.body(body).unwrap_or_else(|_| {
        axum::response::Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .body(axum::body::Body::empty())
            .expect("valid response")
    })
}

impl RunningServer {
    /// The site's URL: `http://127.0.0.1:PORT/` plus the base path.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The editing area's URL, when serving with `edit`.
    pub fn editor_url(&self) -> Option<&str> {
        self.editor_url.as_deref()
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How long the first build took.
    pub fn first_build(&self) -> Duration {
        self.first_build
    }

    /// The number of the current generation (1 after the first build, +1 per rebuild).
    pub fn generation(&self) -> u64 {
        self.shared.get().number
    }

    /// The errors of the last rebuild, as `file:line: field `x`: message` lines.
    pub fn errors(&self) -> Vec<String> {
        state::error_lines(&self.shared.get().errors)
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        if let Some(thread) = self.watcher_thread.take() {
            let _ = thread.join();
        }
    }

    /// Stops the watcher and the HTTP server.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.events.send(Message::Stop);
        if let Some(thread) = self.watcher_thread.take() {
            let _ = thread.join();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_millis(200));
        }
    }
}
