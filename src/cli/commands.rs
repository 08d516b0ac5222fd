//! The subcommand table: one arm per subcommand, each handing its arguments to one function in
//! the file of its group, all through the `Backend` trait (so remote mode drops in).

use std::sync::Arc;

use super::Failure;
use super::args::{Command, Global, PageArgs};
use super::{integrations, jobs, keys, leads, search, serve};
use crate::backend::Backend;
use crate::config::Config;
use crate::engine::Engine;
use crate::model::PageParams;

pub(super) type Outcome = Result<(), Failure>;

/// What every subcommand may need besides its own arguments.
pub(super) struct Ctx<'a> {
    pub config: &'a Config,
    pub backend: Arc<dyn Backend>,
    pub engine: Option<&'a Engine>,
    pub global: &'a Global,
}

impl Ctx<'_> {
    /// The embedded engine, for the commands that only make sense on it.
    pub fn local(&self) -> Result<&Engine, Failure> {
        self.engine.ok_or_else(|| {
            Failure::Other(anyhow::anyhow!(
                "this command runs the embedded engine; drop --remote (and [backend] kind = \"remote\")"
            ))
        })
    }
}

pub(super) async fn dispatch(ctx: &Ctx<'_>, command: Command) -> Outcome {
    let b = ctx.backend.as_ref();
    match command {
        Command::Search {
            prompt,
            max_rows,
            max_credits,
            attach,
            format,
        } => search::search(b, prompt, max_rows, max_credits, &attach, format).await,
        Command::Plan {
            prompt,
            thread,
            attach,
            format,
        } => search::plan(b, prompt, thread, &attach, format).await,
        Command::Approve {
            job,
            max_credits,
            wait,
            format,
        } => jobs::approve(ctx, &job, max_credits, wait, format).await,
        Command::Stop { job, format } => jobs::stop(b, &job, format).await,
        Command::Replan {
            plan,
            feedback,
            format,
        } => search::replan(b, &plan, &feedback, format).await,
        Command::Threads { q, page, format } => leads::threads(b, q, page, format).await,
        Command::Jobs {
            status,
            thread,
            page,
            format,
        } => jobs::jobs(b, &status, thread.as_deref(), page, format).await,
        Command::Job { job, format } => jobs::job(b, &job, format).await,
        Command::Leads {
            job,
            min_confidence,
            has_field,
            page,
            format,
        } => leads::leads(b, &job, min_confidence, has_field, page, format).await,
        Command::Export {
            job,
            format,
            output,
        } => leads::export(b, &job, format, output.as_deref()).await,
        Command::Push {
            job,
            provider,
            mode,
            list_id,
            dry_run,
            force,
            allow_test_data,
            format,
        } => {
            let how = integrations::PushArgs {
                provider,
                mode,
                list_id,
                dry_run,
                force,
                allow_test_data,
            };
            integrations::push(b, &job, how, format).await
        }
        Command::Enrich {
            job,
            provider,
            verify,
            lookup,
            qualify,
            format,
        } => integrations::enrich(b, &job, &provider, verify, lookup, qualify, format).await,
        Command::Usage { format } => leads::usage(b, format).await,
        Command::Snapshot {
            size,
            view,
            thread,
            job,
        } => serve::snapshot(ctx, size, &view, thread.as_deref(), job.as_deref()).await,
        Command::Serve { addr, .. } => serve::serve(ctx.config, ctx.local()?, addr).await,
        Command::ApiKeys(command) => keys::api_keys(ctx.local()?, command),
        Command::Import {
            file,
            name,
            map,
            format,
        } => super::import_cmd::import(ctx.local()?, &file, name.as_deref(), &map, format).await,
        Command::Open {
            file, map, format, ..
        } => super::import_cmd::open(ctx.local()?, &file, &map, format)
            .await
            .map(drop),
        // `run` opens an existing FILE in the TUI before dispatching; what reaches here is not a
        // file.
        Command::File(words) => Err(not_a_file(&words).into()),
        Command::Worker { job } => jobs::worker(ctx.local()?, &job).await,
    }
}

pub(super) fn page_params(p: PageArgs) -> PageParams {
    PageParams {
        limit: p.limit,
        cursor: p.cursor,
        order: None,
    }
}

/// `leadline WORD` where WORD is neither a command nor an existing file.
pub(super) fn not_a_file(words: &[std::ffi::OsString]) -> anyhow::Error {
    let word = words
        .first()
        .map(|w| w.to_string_lossy().into_owned())
        .unwrap_or_default();
    // An external subcommand swallows clap's own "did you mean": suggest the closest command.
    let closest = <super::Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .map(|name| (strsim::jaro_winkler(&name, &word), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| format!(" (did you mean `{name}`?)"))
        .unwrap_or_default();
    anyhow::anyhow!(
        "'{}' is neither a command nor an existing file{closest}; see leadline --help",
        crate::text::sanitize_inline(&word)
    )
}
