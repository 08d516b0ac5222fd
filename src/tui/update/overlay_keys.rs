//! Keys while an overlay is open: help, palette, confirm, prompt, push and export dialogs.

use super::*;
use crate::tui::export_view::ViewTable;

pub(super) fn on_overlay_key(s: &mut AppState, key: KeyEvent) -> Effects {
    let Some(overlay) = s.overlay.take() else {
        return vec![];
    };
    let action = s.keymap.action_for(&key);
    match overlay {
        Overlay::Help { scroll, search } => help_key(s, scroll, search, &key, action),
        Overlay::Palette(mut p) => {
            let matches = palette_matches(&p.input.text);
            match p.input.handle(&key) {
                InputOutcome::Cancel => vec![],
                InputOutcome::Submit => match matches.get(p.selected) {
                    Some(&a) => {
                        let (_, arg) = keys::palette_split(&p.input.text);
                        if arg.is_empty() {
                            dispatch(s, a)
                        } else {
                            actions::dispatch_with(s, a, &arg)
                        }
                    }
                    None => vec![],
                },
                InputOutcome::Changed => {
                    p.selected = 0;
                    s.overlay = Some(Overlay::Palette(p));
                    vec![]
                }
                InputOutcome::Ignored => {
                    match key.code {
                        KeyCode::Up => p.selected = p.selected.saturating_sub(1),
                        KeyCode::Down => {
                            p.selected = (p.selected + 1).min(matches.len().saturating_sub(1))
                        }
                        _ => {}
                    }
                    s.overlay = Some(Overlay::Palette(p));
                    vec![]
                }
            }
        }
        Overlay::Confirm(c) => match key.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => confirmed(s, c.on_yes),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => vec![],
            _ => {
                s.overlay = Some(Overlay::Confirm(c));
                vec![]
            }
        },
        Overlay::Prompt(mut p) => match p.input.handle(&key) {
            InputOutcome::Cancel => vec![],
            InputOutcome::Submit => submit_prompt(s, p),
            InputOutcome::Changed | InputOutcome::Ignored => {
                p.error = None;
                s.overlay = Some(Overlay::Prompt(p));
                vec![]
            }
        },
        Overlay::Push(flow) => push_key(s, flow, key),
        Overlay::Export(dialog) => export_key(s, dialog, key),
        Overlay::CopyRow(table) => copy_row_key(s, table, &key),
        Overlay::Columns(picker) => columns_key(s, picker, key),
        Overlay::Mapping(dialog) => super::mapping::key(s, dialog, &key),
    }
}

/// Help: `/` searches, Esc clears the search then closes, the movement keys scroll.
fn help_key(
    s: &mut AppState,
    scroll: u16,
    mut search: LineInput,
    key: &KeyEvent,
    action: Option<Action>,
) -> Effects {
    if search.active {
        match search.handle(key) {
            InputOutcome::Cancel => search = LineInput::default(),
            InputOutcome::Submit => search.active = false,
            InputOutcome::Changed | InputOutcome::Ignored => {}
        }
        s.overlay = Some(Overlay::Help { scroll: 0, search });
        return vec![];
    }
    if key.code == KeyCode::Char('/') {
        search.active = true;
        s.overlay = Some(Overlay::Help { scroll: 0, search });
        return vec![];
    }
    if key.code == KeyCode::Esc && !search.text.is_empty() {
        s.overlay = Some(Overlay::Help {
            scroll: 0,
            search: LineInput::default(),
        });
        return vec![];
    }
    let scroll = match action {
        Some(Action::Down) => scroll.saturating_add(1),
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::PageDown) => scroll.saturating_add(10),
        Some(Action::PageUp) => scroll.saturating_sub(10),
        Some(Action::Top) => 0,
        Some(Action::Help | Action::Back | Action::Quit) => return vec![],
        _ => scroll,
    };
    s.overlay = Some(Overlay::Help { scroll, search });
    vec![]
}

/// The copy-row dialog: a format key copies the rows, anything else keeps it open.
fn copy_row_key(s: &mut AppState, table: ViewTable, key: &KeyEvent) -> Effects {
    let format = match key.code {
        KeyCode::Char('c' | 'C') | KeyCode::Enter => CopyFormat::Csv,
        KeyCode::Char('m' | 'M') => CopyFormat::Markdown,
        KeyCode::Char('j' | 'J') => CopyFormat::Json,
        KeyCode::Esc | KeyCode::Char('q') => return vec![],
        _ => {
            s.overlay = Some(Overlay::CopyRow(table));
            return vec![];
        }
    };
    match table.copy_text(format) {
        Ok(text) => {
            let n = table.rows.len();
            toast(s, Level::Info, format!("Copied {n} row(s) as {format:?}"));
            vec![Effect::Copy(text)]
        }
        Err(e) => {
            toast_error(s, &e);
            vec![]
        }
    }
}

/// The export dialog: the path is a one-line input; Tab toggles view/all; Enter writes.
fn export_key(s: &mut AppState, mut d: ExportDialog, key: KeyEvent) -> Effects {
    if key.code == KeyCode::Tab {
        d.all = !d.all;
        d.overwrite = false;
        d.error = None;
        s.overlay = Some(Overlay::Export(d));
        return vec![];
    }
    match d.path.handle(&key) {
        InputOutcome::Cancel => vec![],
        InputOutcome::Submit => {
            let raw = d.path.text.trim().to_string();
            let Some(format) = format_of(&raw) else {
                d.error = Some("End the path with .csv, .json or .xlsx to pick the format.".into());
                s.overlay = Some(Overlay::Export(d));
                return vec![];
            };
            if s.leads.paged && !d.all {
                let rows = s.leads.view.len();
                let request = Request::ExportView {
                    job: d.job.clone(),
                    path: expand_home(&raw),
                    format,
                    ordinals: s.leads.view.clone(),
                    columns: s.leads.columns.clone(),
                    overwrite: d.overwrite,
                };
                toast(
                    s,
                    Level::Info,
                    format!("Exporting {} rows…", crate::tui::ui::thousands(rows as u64)),
                );
                s.leads.export_pending = Some(d);
                return vec![super::request(s, Slot::Action, request)];
            }
            let (table, rows) = if d.all {
                let rows = s.leads.total.unwrap_or(s.leads.count()) as usize;
                (None, rows)
            } else {
                let t = view_table(&s.leads);
                let rows = t.rows.len();
                (Some(t), rows)
            };
            let request = Request::Export {
                job: d.job.clone(),
                path: expand_home(&raw),
                format,
                table,
                overwrite: d.overwrite,
                rows,
            };
            toast(
                s,
                Level::Info,
                format!("Exporting {} rows…", crate::tui::ui::thousands(rows as u64)),
            );
            // Kept open (hidden) only in state: the reply says whether it was written.
            s.leads.export_pending = Some(d);
            vec![super::request(s, Slot::Action, request)]
        }
        InputOutcome::Changed | InputOutcome::Ignored => {
            d.overwrite = false;
            d.error = None;
            s.overlay = Some(Overlay::Export(d));
            vec![]
        }
    }
}

/// `~/x.csv` → the home directory's `x.csv`, as a shell would.
fn expand_home(raw: &str) -> std::path::PathBuf {
    match (raw.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => std::path::PathBuf::from(raw),
    }
}

/// The column picker: Space shows/hides, J/K (Shift) move, +/- widen/narrow, Enter applies and
/// saves, Esc cancels.
fn columns_key(s: &mut AppState, mut p: ColumnPicker, key: KeyEvent) -> Effects {
    let n = p.items.len();
    let i = p.selected.min(n.saturating_sub(1));
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => return vec![],
        KeyCode::Up | KeyCode::Char('k') => p.selected = i.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => p.selected = (i + 1).min(n.saturating_sub(1)),
        KeyCode::Char(' ') | KeyCode::Char('x') => {
            let on = p.items[i].1;
            if on && p.items.iter().filter(|(_, v)| *v).count() == 1 {
                toast(s, Level::Warn, "Keep at least one column");
            } else {
                p.items[i].1 = !on;
            }
        }
        KeyCode::Char('K') if i > 0 => {
            p.items.swap(i, i - 1);
            p.selected = i - 1;
        }
        KeyCode::Char('J') if i + 1 < n => {
            p.items.swap(i, i + 1);
            p.selected = i + 1;
        }
        KeyCode::Char('+' | '>' | 'l') | KeyCode::Right => {
            let w = &mut p.items[i].0.width;
            *w = (*w + 2).min(MAX_WIDTH);
        }
        KeyCode::Char('-' | '<' | 'h') | KeyCode::Left => {
            let w = &mut p.items[i].0.width;
            *w = w.saturating_sub(2).max(MIN_WIDTH);
        }
        KeyCode::Enter => return apply_columns(s, p.shown()),
        _ => {}
    }
    s.overlay = Some(Overlay::Columns(p));
    vec![]
}

fn apply_columns(
    s: &mut AppState,
    columns: Vec<crate::tui::state::columns::ColumnSpec>,
) -> Effects {
    let current = s.leads.current_column().cloned();
    s.leads.columns = columns;
    // The cursor stays on its column if still shown.
    s.leads.column = current
        .and_then(|c| s.leads.columns.iter().position(|x| x.column == c))
        .unwrap_or(0);
    s.leads.col_offset = s.table_layout().first;
    let entries: Vec<String> = s.leads.columns.iter().map(|c| c.config_entry()).collect();
    match s.config_file.clone() {
        Some(path) => vec![super::request(
            s,
            Slot::Action,
            Request::SaveColumns { path, entries },
        )],
        None => {
            toast(
                s,
                Level::Info,
                "Columns changed for this session (no config file to save to)",
            );
            vec![]
        }
    }
}

fn confirmed(s: &mut AppState, what: Confirmed) -> Effects {
    match what {
        Confirmed::Quit => {
            s.quit = true;
            vec![]
        }
        Confirmed::Stop(job) => {
            toast(s, Level::Info, "Stopping…");
            vec![request(s, Slot::Action, Request::Stop(job))]
        }
        Confirmed::Delete { thread, force } => {
            vec![request(s, Slot::Action, Request::Delete { thread, force })]
        }
        Confirmed::Enrich(job) => {
            toast(s, Level::Info, "Enriching with Modern Leads…");
            let request = EnrichRequest::new(EnrichProvider::Modernleads).normalised();
            vec![super::request(
                s,
                Slot::Action,
                Request::Enrich { job, request },
            )]
        }
    }
}

/// The push dialog: pick → (Enter) dry run → preview → (Enter) push → progress → result.
fn push_key(s: &mut AppState, mut flow: PushFlow, key: KeyEvent) -> Effects {
    let n = PushProvider::ALL.len();
    let mut fx = vec![];
    match (&flow.stage, key.code) {
        // Esc always closes; a push already sent keeps going and reports in a toast.
        (_, KeyCode::Esc | KeyCode::Char('q')) => return vec![],
        (PushStage::Pick, KeyCode::Up | KeyCode::Char('k')) => {
            flow.selected = (flow.selected + n - 1) % n
        }
        (PushStage::Pick, KeyCode::Down | KeyCode::Char('j')) => {
            flow.selected = (flow.selected + 1) % n
        }
        (PushStage::Pick, KeyCode::Char('m')) => {
            flow.mode = match flow.mode {
                PushMode::Contacts => PushMode::Companies,
                PushMode::Companies => PushMode::Both,
                PushMode::Both => PushMode::Contacts,
            }
        }
        (PushStage::Pick, KeyCode::Char('t')) => flow.allow_test_data = !flow.allow_test_data,
        (PushStage::Pick, KeyCode::Enter) => {
            flow.stage = PushStage::Previewing;
            let (job, request) = (flow.job.clone(), flow.request(true));
            fx.push(super::request(
                s,
                Slot::Push,
                Request::Push { job, request },
            ));
        }
        (PushStage::Preview(_), KeyCode::Enter | KeyCode::Char('y')) => {
            flow.stage = PushStage::Pushing(Default::default());
            let (job, request) = (flow.job.clone(), flow.request(false));
            fx.push(super::request(
                s,
                Slot::Push,
                Request::Push { job, request },
            ));
        }
        (
            PushStage::Preview(_) | PushStage::Failed(_),
            KeyCode::Backspace | KeyCode::Char('n' | 'b'),
        ) => flow.stage = PushStage::Pick,
        (PushStage::Done(_) | PushStage::Failed(_), KeyCode::Enter) => return vec![],
        _ => {}
    }
    s.overlay = Some(Overlay::Push(flow));
    fx
}

fn submit_prompt(s: &mut AppState, mut p: Prompt) -> Effects {
    let text = p.input.text.trim().to_string();
    match p.purpose.clone() {
        PromptPurpose::Rename(thread) => {
            if text.is_empty() {
                p.error = Some("A title cannot be empty.".into());
                s.overlay = Some(Overlay::Prompt(p));
                return vec![];
            }
            vec![request(
                s,
                Slot::Action,
                Request::Rename {
                    thread,
                    title: text,
                },
            )]
        }
        PromptPurpose::Replan(plan) => {
            if text.is_empty() {
                p.error = Some("Say what to change, e.g. \"only Series A, add CTOs\".".into());
                s.overlay = Some(Overlay::Prompt(p));
                return vec![];
            }
            toast(s, Level::Info, "Replanning…");
            vec![request(
                s,
                Slot::Action,
                Request::Replan {
                    plan,
                    feedback: text,
                },
            )]
        }
        PromptPurpose::Approve(job) => {
            let max_credits = if text.is_empty() {
                None
            } else {
                match text.replace(['_', ','], "").parse::<u32>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        p.error = Some(
                            "Enter a whole number of credits, or leave empty for no ceiling."
                                .into(),
                        );
                        s.overlay = Some(Overlay::Prompt(p));
                        return vec![];
                    }
                }
            };
            vec![request(
                s,
                Slot::Action,
                Request::Approve { job, max_credits },
            )]
        }
    }
}
