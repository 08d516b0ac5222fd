//! `M`: the opened file's column mapping dialog — asked of the backend, edited here, applied by
//! opening the file again with the corrections.

use super::*;
use crate::engine::opened::is_import;
use crate::tui::state::mapping::MappingDialog;

/// Asks how the current job's file maps (with the corrections it was opened with).
pub(super) fn open(s: &mut AppState) -> Effects {
    if let Some(file) = &s.importing {
        let text =
            format!("{file} is still being opened: its mapping can be changed once it is stored");
        toast(s, Level::Warn, text);
        return vec![];
    }
    let Some(job) = s.log.job.as_ref().filter(|j| is_import(j)) else {
        toast(
            s,
            Level::Warn,
            "The mapping belongs to a file opened with `leadline open FILE`: this job is not one",
        );
        return vec![];
    };
    let Some(path) = job.metadata.get("file").and_then(|v| v.as_str()) else {
        toast(
            s,
            Level::Warn,
            "This job does not say which file it was opened from",
        );
        return vec![];
    };
    let map: Vec<String> = job
        .metadata
        .get("map")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let request = Request::FileMapping {
        path: path.into(),
        map,
    };
    vec![super::request(s, Slot::Action, request)]
}

/// ↑/↓ pick a header, ←/→ change its target, Enter opens the file again, Esc cancels.
pub(super) fn key(s: &mut AppState, mut d: MappingDialog, key: &KeyEvent) -> Effects {
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => return vec![],
        KeyCode::Up | KeyCode::Char('k') => d.move_by(-1),
        KeyCode::Down | KeyCode::Char('j') => d.move_by(1),
        KeyCode::PageUp => d.move_by(-10),
        KeyCode::PageDown => d.move_by(10),
        KeyCode::Left | KeyCode::Char('h') => d.cycle(-1),
        KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => d.cycle(1),
        KeyCode::Enter => return apply(s, d),
        _ => {}
    }
    s.overlay = Some(Overlay::Mapping(d));
    vec![]
}

fn apply(s: &mut AppState, d: MappingDialog) -> Effects {
    if d.changed() == 0 {
        toast(s, Level::Info, "Mapping unchanged");
        return vec![];
    }
    let overrides = match d.overrides() {
        Ok(o) => o,
        Err(e) => {
            toast_error(s, &e);
            s.overlay = Some(Overlay::Mapping(d));
            return vec![];
        }
    };
    let changed = d.changed();
    toast(
        s,
        Level::Info,
        format!(
            "Opening {} again with {changed} corrected columns…",
            d.file_name
        ),
    );
    s.importing = Some(d.file_name);
    let request = Request::OpenFile {
        path: d.file,
        overrides,
    };
    vec![super::request(s, Slot::Import, request)]
}
