//! Command-line arguments (clap). Machine-readable output goes to stdout, everything a person
//! reads (progress, errors) to stderr.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "leadline",
    version,
    about = "AI lead research from the terminal: describe an audience, review the plan, stream the leads."
)]
#[command(allow_external_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Config file (default: $LEADLINE_CONFIG, then the XDG config dir).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the database and artifacts live (default: the XDG data dir).
    #[arg(long, global = true, value_name = "DIR", env = "LEADLINE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Talk to a Leadex v1 server at URL instead of the embedded engine.
    #[arg(long, global = true, value_name = "URL")]
    pub remote: Option<String>,
    /// Live mode: real sources and real credits (default: test mode).
    #[arg(long, global = true)]
    pub live: bool,
    /// Write logs to FILE (level from RUST_LOG). Default: leadline.log in the data dir while the
    /// TUI runs, stderr for other commands.
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Text,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan, approve and run in one go; prints the finished job with its leads.
    Search {
        prompt: String,
        /// How many leads (overrides a size in the prompt).
        #[arg(long, value_name = "N")]
        max_rows: Option<u32>,
        /// Halt the job (as stopped) before it would spend more.
        #[arg(long, value_name = "N")]
        max_credits: Option<u32>,
        /// A list of companies to enrich instead of discovering (CSV with a domain or company
        /// column, or one URL per line as .txt); a path or an http(s) URL. Repeatable.
        #[arg(long, value_name = "FILE|URL")]
        attach: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Draft a plan only: creates a thread, the plan and its pending job.
    Plan {
        prompt: String,
        /// Post into an existing thread instead of a new one.
        #[arg(long, value_name = "THREAD")]
        thread: Option<String>,
        /// A list of companies to enrich (see `search --attach`). Repeatable.
        #[arg(long, value_name = "FILE|URL")]
        attach: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Approve a pending job; it runs in the background unless --wait.
    Approve {
        job: String,
        #[arg(long, value_name = "N")]
        max_credits: Option<u32>,
        /// Run in the foreground, showing progress on stderr, and print the finished job.
        #[arg(long)]
        wait: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Stop a running job (partial results are kept) or cancel a pending one.
    Stop {
        job: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Redraft a plan with feedback ("only VP Eng", "make it 50 rows").
    Replan {
        plan: String,
        #[arg(long)]
        feedback: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List threads, most recent first.
    Threads {
        /// Title search.
        #[arg(long)]
        q: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List jobs, most recent first.
    Jobs {
        /// Only these statuses (comma-separated: pending,running,succeeded,failed,stopped).
        #[arg(long, value_delimiter = ',')]
        status: Vec<String>,
        #[arg(long, value_name = "THREAD")]
        thread: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one job.
    Job {
        job: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List a job's leads (csv: all matching leads; json/text: one page).
    Leads {
        job: String,
        #[arg(long, value_name = "X")]
        min_confidence: Option<f64>,
        /// Require a field (repeatable): person.email, fields.funding_amount, …
        #[arg(long, value_name = "PATH")]
        has_field: Vec<String>,
        #[command(flatten)]
        page: PageArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write a job's leads to a file (or stdout).
    Export {
        job: String,
        #[arg(long, value_enum)]
        format: FileFormat,
        /// Output file (default: stdout; xlsx needs a file).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Push a finished job's leads to a CRM, outreach tool, webhook or file.
    #[command(
        after_help = "Providers: magnetite, autoreach, hubspot, webhook (configured under [integrations.<name>]) and file (--list-id PATH.csv|json|xlsx).\nA push is recorded: pushing the same job, provider and mode again sends only what was not sent (use --force to resend)."
    )]
    Push {
        job: String,
        #[arg(long, value_name = "NAME")]
        provider: String,
        /// contacts, companies or both.
        #[arg(long, default_value = "contacts")]
        mode: String,
        /// The provider's list, campaign or workflow (default: the configured one); for
        /// `file`, the path to write.
        #[arg(long, value_name = "ID")]
        list_id: Option<String>,
        /// Show what would be sent, send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Send again what an earlier push already sent.
        #[arg(long)]
        force: bool,
        /// Let test-mode (synthetic) leads reach a real service.
        #[arg(long)]
        allow_test_data: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Enrich a finished job's leads with a provider (Modern Leads): verify emails, find missing
    /// ones, score companies. With no flag, --verify.
    Enrich {
        job: String,
        #[arg(long, value_name = "NAME", default_value = "modernleads")]
        provider: String,
        #[arg(long)]
        verify: bool,
        #[arg(long)]
        lookup: bool,
        #[arg(long)]
        qualify: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Credit usage this month.
    Usage {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Render one TUI frame as plain text (for docs and checks).
    Snapshot {
        /// WIDTHxHEIGHT.
        #[arg(long, default_value = "120x40", value_parser = parse_size)]
        size: (u16, u16),
        /// threads, chat, plan, log or leads.
        #[arg(long, default_value = "chat")]
        view: String,
        #[arg(long)]
        thread: Option<String>,
        #[arg(long)]
        job: Option<String>,
    },
    /// Serve the engine over the Leadex v1 API.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8787")]
        addr: std::net::SocketAddr,
        /// A PostgreSQL database instead of the data dir's SQLite file
        /// (postgres://user@host:port/db; the password from [server] database_password_env).
        /// Several servers may share one. Default: [server] database_url.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Manage the server's API keys.
    #[command(subcommand)]
    ApiKeys(ApiKeysCommand),
    /// Import companies and/or people (CSV, TSV, JSON, JSONL or XLSX; exports of HubSpot,
    /// Salesforce, Apollo, Sales Navigator, Crunchbase, PDL, Clay, Hunter, ZoomInfo are
    /// recognised) as a dataset live jobs search.
    Import {
        file: PathBuf,
        /// Dataset name (default: the file name without extension); re-importing a name replaces it.
        #[arg(long)]
        name: Option<String>,
        /// Correct a column's mapping: "HEADER=TARGET", e.g. "Associated Company=company.name"
        /// (TARGET: company.*, person.*, fields.<name> or ignore). Repeatable.
        #[arg(long = "map", value_name = "HEADER=TARGET")]
        map: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Open a leads file (CSV, TSV, JSON, JSONL, XLSX; ours or another tool's export) in the
    /// leads table: its rows become a job of kind `import`, so filter, export and push work.
    Open {
        file: PathBuf,
        /// Correct a column's mapping: "HEADER=TARGET" (see `import --map`). Repeatable.
        #[arg(long = "map", value_name = "HEADER=TARGET")]
        map: Vec<String>,
        /// Create the job and print it instead of starting the TUI (for scripts).
        #[arg(long)]
        no_tui: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// `leadline FILE` (any word that is not a command): `leadline open FILE` when FILE exists.
    #[command(external_subcommand)]
    File(Vec<OsString>),
    /// (internal) Run an approved job handed over by `approve`.
    #[command(hide = true)]
    Worker { job: String },
}

fn parse_size(raw: &str) -> Result<(u16, u16), String> {
    let (w, h) = raw
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{raw}` is not a size: use WIDTHxHEIGHT, e.g. 120x40"))?;
    let dim = |s: &str| {
        s.trim()
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
    };
    match (dim(w), dim(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("`{raw}`: width and height must be 1–1000")),
    }
}

#[derive(Debug, Subcommand)]
pub enum ApiKeysCommand {
    /// Mint a key; its secret is printed once, on stdout.
    Create {
        #[arg(long)]
        name: String,
        /// Comma-separated: read, run, integrations, admin.
        #[arg(long, value_delimiter = ',', default_value = "read,run")]
        scopes: Vec<String>,
        /// An `sk_live_` key (real sources, real credits) instead of `sk_test_`.
        #[arg(long)]
        live: bool,
        /// The organisation (default: org_local, the embedded engine's).
        #[arg(long)]
        org: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List keys (never their secrets).
    List {
        #[arg(long)]
        org: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Revoke a key at once.
    Revoke {
        id: String,
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct PageArgs {
    /// Page size (1–100).
    #[arg(long)]
    pub limit: Option<u32>,
    /// The next_cursor of a previous page.
    #[arg(long)]
    pub cursor: Option<String>,
}
