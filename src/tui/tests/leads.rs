//! The leads table: sort, filter, confidence, columns, detail, copy and open.

use super::*;
use crate::tui::state::leads::Column;

// ------------------------------------------------------------------ update: leads

#[test]
fn leads_sort_filter_confidence_columns_detail_copy_and_open() {
    let mut s = loaded(1, JobStatus::Succeeded, 40);
    ch(&mut s, '5');
    assert_eq!(s.leads.view.len(), 40);
    ch(&mut s, 'j');
    key(&mut s, KeyCode::PageDown);
    ch(&mut s, 'G');
    assert_eq!(s.leads.selected, 39);
    ch(&mut s, 'g');
    // l/h pick the column; o sorts by it, again reverses, a third time clears.
    ch(&mut s, 'l');
    assert_eq!(s.leads.column, 1);
    ch(&mut s, 'h');
    ch(&mut s, 'o');
    let first = s.leads.view[0] as usize;
    assert!(s.leads.leads[first].company.name.starts_with("Alan"));
    ch(&mut s, 'o');
    assert!(
        s.leads.leads[s.leads.view[0] as usize]
            .company
            .name
            .starts_with("Swile")
    );
    ch(&mut s, 'o');
    assert!(s.leads.sort.is_none());
    // Minimum confidence.
    ch(&mut s, 'c');
    assert!(
        s.leads
            .view
            .iter()
            .all(|&i| s.leads.leads[i as usize].confidence >= 0.5)
    );
    ch(&mut s, 'c');
    let n07 = s.leads.view.len();
    assert!(
        n07 < 40
            && s.leads
                .view
                .iter()
                .all(|&i| s.leads.leads[i as usize].confidence >= 0.7)
    );
    ch(&mut s, 'c');
    ch(&mut s, 'c');
    assert_eq!(s.leads.view.len(), 40);
    // Text filter.
    ch(&mut s, '/');
    typ(&mut s, "qonto");
    assert_eq!(s.leads.view.len(), 5);
    key(&mut s, KeyCode::Enter);
    // y copies the selected cell via OSC 52.
    let fx = ch(&mut s, 'y');
    assert!(matches!(&fx[..], [Effect::Copy(t)] if t.starts_with("Qonto")));
    // x opens the lead's source URL.
    let fx = ch(&mut s, 'x');
    assert!(matches!(&fx[..], [Effect::OpenUrl(u)] if u.starts_with("https://qonto")));
    // Enter opens the detail; j moves over fields; y copies the field; Esc closes; Esc clears the filter.
    key(&mut s, KeyCode::Enter);
    assert!(s.leads.detail.is_some());
    ch(&mut s, 'j');
    let fx = ch(&mut s, 'y');
    assert!(matches!(&fx[..], [Effect::Copy(t)] if t.starts_with("qonto")));
    let fx = ch(&mut s, 'x');
    assert!(matches!(&fx[..], [Effect::OpenUrl(_)]));
    key(&mut s, KeyCode::Esc);
    assert!(s.leads.detail.is_none());
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.leads.view.len(), 40);
}

#[test]
fn fields_without_a_web_source_are_not_opened() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, '5');
    key(&mut s, KeyCode::Enter);
    for _ in 0..5 {
        ch(&mut s, 'j'); // person.full_name: backed by a source without URL
    }
    assert!(ch(&mut s, 'x').is_empty());
}

// ------------------------------------------------------------------ #11: the data viewer

#[test]
fn search_matches_every_field_and_n_and_shift_n_walk_the_matching_cells() {
    let mut s = loaded(1, JobStatus::Succeeded, 40);
    ch(&mut s, '5');
    // City is not in the first columns, and used to be unsearchable.
    ch(&mut s, '/');
    typ(&mut s, "lyon");
    key(&mut s, KeyCode::Enter);
    let lyon = (0..40).filter(|i| i % 7 == 3).count();
    assert_eq!(s.leads.view.len(), lyon);
    // n moves the cell cursor onto the City column of the next row, N back.
    let city = s
        .leads
        .columns
        .iter()
        .position(|c| c.column == Column::City);
    ch(&mut s, 'n');
    assert_eq!((s.leads.selected, Some(s.leads.column)), (0, city));
    ch(&mut s, 'n');
    ch(&mut s, 'n');
    assert_eq!(s.leads.selected, 2);
    ch(&mut s, 'N');
    assert_eq!(s.leads.selected, 1);
    // Wraps around from the first match to the last.
    ch(&mut s, 'N');
    ch(&mut s, 'N');
    assert_eq!(s.leads.selected, lyon - 1);
    // Typed filters.
    key(&mut s, KeyCode::Esc);
    ch(&mut s, '/');
    typ(&mut s, "confidence>0.8 employees>=200");
    key(&mut s, KeyCode::Enter);
    assert!(!s.leads.view.is_empty());
    for &i in &s.leads.view {
        let l = &s.leads.leads[i as usize];
        assert!(l.confidence > 0.8);
        assert!(l.fields["employees"].as_u64().unwrap() >= 200);
    }
    // Without a search, n is still "new thread".
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'n');
    assert!(s.chat.input_focused);
}

#[test]
fn export_writes_the_view_to_an_editable_path_and_asks_before_replacing() {
    let mut s = loaded(1, JobStatus::Succeeded, 40);
    s.export_dir = std::path::PathBuf::from("/data/exports");
    ch(&mut s, '5');
    ch(&mut s, '/');
    typ(&mut s, "qonto");
    key(&mut s, KeyCode::Enter);
    ch(&mut s, 'e');
    let Some(Overlay::Export(d)) = &s.overlay else {
        panic!("no export dialog")
    };
    assert_eq!(
        d.path.text,
        format!("/data/exports/leadline-{}.csv", job_id(1))
    );
    // Edit the path: Home, then replace the directory part.
    key(&mut s, KeyCode::Home);
    for _ in 0.."/data/exports".len() {
        key(&mut s, KeyCode::Delete);
    }
    typ(&mut s, "/tmp/x");
    let fx = key(&mut s, KeyCode::Enter);
    let reqs = requests(&fx);
    let [
        Request::Export {
            path,
            table: Some(t),
            overwrite: false,
            rows: 5,
            ..
        },
    ] = &reqs[..]
    else {
        panic!("{reqs:?}")
    };
    assert_eq!(
        path,
        &std::path::PathBuf::from(format!("/tmp/x/leadline-{}.csv", job_id(1)))
    );
    assert_eq!(t.rows.len(), 5);
    assert!(t.rows.iter().all(|r| r[0].starts_with("Qonto")));
    assert_eq!(t.headers.len(), s.leads.columns.len());
    // The file exists: the dialog comes back, and Enter again replaces it.
    let tag = match &fx[0] {
        Effect::Request { tag, .. } => *tag,
        _ => unreachable!(),
    };
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Ok(Box::new(Reply::ExportExists {
                path: "/tmp/x".into(),
            })),
        },
    );
    assert!(matches!(&s.overlay, Some(Overlay::Export(d)) if d.overwrite));
    let fx = key(&mut s, KeyCode::Enter);
    assert!(matches!(
        requests(&fx)[..],
        [Request::Export {
            overwrite: true,
            ..
        }]
    ));
    // Tab switches to all leads, all columns: the engine's own export.
    ch(&mut s, 'e');
    key(&mut s, KeyCode::Tab);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(matches!(
        requests(&fx)[..],
        [Request::Export {
            table: None,
            rows: 40,
            ..
        }]
    ));
    // A path without a known extension is refused with what to do.
    ch(&mut s, 'e');
    typ(&mut s, ".txt");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(
        matches!(&s.overlay, Some(Overlay::Export(d)) if d.error.as_deref().unwrap_or("").contains(".csv"))
    );
}

#[test]
fn the_column_picker_hides_moves_widens_and_saves_to_the_config() {
    let mut s = loaded(1, JobStatus::Succeeded, 10);
    s.config_file = Some(std::path::PathBuf::from("/cfg/config.toml"));
    ch(&mut s, '5');
    ch(&mut s, 'C');
    // Hide Person (second), move Title up to second, widen it.
    key(&mut s, KeyCode::Down);
    ch(&mut s, ' ');
    key(&mut s, KeyCode::Down);
    ch(&mut s, 'K');
    ch(&mut s, '+');
    let fx = key(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
    let names: Vec<String> = s
        .leads
        .columns
        .iter()
        .map(|c| c.column.name().into_owned())
        .collect();
    assert_eq!(&names[..3], ["company", "title", "email"]);
    assert_eq!(s.leads.columns[1].width, 26);
    let [Request::SaveColumns { path, entries }] = &requests(&fx)[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(path, &std::path::PathBuf::from("/cfg/config.toml"));
    assert_eq!(&entries[..3], ["company", "title:26", "email"]);
    // The fields of the loaded leads are offered too; the last shown column cannot be hidden.
    ch(&mut s, 'C');
    let Some(Overlay::Columns(p)) = &s.overlay else {
        panic!()
    };
    assert!(
        p.items
            .iter()
            .any(|(c, _)| c.column == Column::field("engineers"))
    );
}

#[test]
fn snapshot_leads_at_100_120_160_columns_cursor_frozen_column_and_markers() {
    let mut s = loaded(1, JobStatus::Succeeded, 60);
    ch(&mut s, '5');
    ch(&mut s, '/');
    typ(&mut s, "lyon");
    key(&mut s, KeyCode::Enter);
    ch(&mut s, 'n'); // the cursor onto the first matching City cell
    for (w, h) in [(100u16, 20u16), (120, 20), (160, 20)] {
        s.size = (w, h);
        update(
            &mut s,
            Msg::Resize {
                width: w,
                height: h,
            },
        );
        let text = render_text(&s, w, h).expect("renders");
        assert_frame(&format!("leads_view_{w}x{h}"), text);
    }
    // Back to the first column, sorted by confidence: no scroll, ▼ on its header.
    s.size = (100, 20);
    key(&mut s, KeyCode::Esc);
    for _ in 0..20 {
        ch(&mut s, 'h');
    }
    for _ in 0..4 {
        ch(&mut s, 'l');
    }
    ch(&mut s, 'o');
    let text = render_text(&s, 100, 20).expect("renders");
    assert!(text.contains("[Confid…▼]"), "{text}");
    assert_frame("leads_sorted_100x20", text);
}

#[test]
fn the_cursor_cell_is_marked_without_colour() {
    use ratatui::style::Modifier;
    let mut s = loaded(1, JobStatus::Succeeded, 5);
    ch(&mut s, '5');
    ch(&mut s, 'l');
    s.size = (120, 20);
    let backend = ratatui::backend::TestBackend::new(120, 20);
    let mut t = ratatui::Terminal::new(backend).unwrap();
    t.draw(|f| crate::tui::ui::draw(f, &s)).unwrap();
    let buf = t.backend().buffer();
    // Find the first data row's Person cell (just after the frozen column): underlined, not
    // reversed, while the rest of the row is reversed.
    let row_y = (0..20)
        .find(|&y| {
            (0..120).any(|x| {
                buf[(x, y)].symbol() == "Q" && buf[(x, y)].modifier.contains(Modifier::REVERSED)
            })
        })
        .expect("the selected row is reversed");
    let under: Vec<u16> = (0..120)
        .filter(|&x| buf[(x, row_y)].modifier.contains(Modifier::UNDERLINED))
        .collect();
    assert!(!under.is_empty(), "no underlined cursor cell");
    assert!(
        under
            .iter()
            .all(|&x| !buf[(x, row_y)].modifier.contains(Modifier::REVERSED))
    );
}

#[test]
fn marked_rows_copy_together_as_markdown_csv_or_json() {
    let mut s = loaded(1, JobStatus::Succeeded, 10);
    ch(&mut s, '5');
    // No marks: Y copies the selected row.
    ch(&mut s, 'Y');
    let fx = ch(&mut s, 'c');
    let [Effect::Copy(csv)] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.starts_with("company,person,title,email"), "{csv}");
    // v marks and moves down: rows 0 and 1 marked, row 2 skipped, row 3 marked.
    ch(&mut s, 'v');
    ch(&mut s, 'v');
    ch(&mut s, 'j');
    ch(&mut s, 'v');
    assert_eq!(s.leads.marked.len(), 3);
    ch(&mut s, 'Y');
    let fx = ch(&mut s, 'm');
    let [Effect::Copy(md)] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(md.lines().count(), 2 + 3, "{md}");
    assert!(md.starts_with("| company | person |"), "{md}");
    ch(&mut s, 'Y');
    let fx = ch(&mut s, 'j');
    let [Effect::Copy(json)] = &fx[..] else {
        panic!("{fx:?}")
    };
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(3));
    // Unmarking: v on a marked row.
    ch(&mut s, 'g');
    ch(&mut s, 'v');
    assert_eq!(s.leads.marked.len(), 2);
}

#[test]
fn search_matches_are_highlighted_in_the_cells_without_colour() {
    use ratatui::style::Modifier;
    let mut s = loaded(1, JobStatus::Succeeded, 30);
    ch(&mut s, '5');
    ch(&mut s, '/');
    typ(&mut s, "yon");
    key(&mut s, KeyCode::Enter);
    s.size = (160, 20);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 20)).unwrap();
    t.draw(|f| crate::tui::ui::draw(f, &s)).unwrap();
    let buf = t.backend().buffer();
    // On a row that is not the selected one, "yon" of "Lyon" is marked and "L" is not.
    let mut checked = 0;
    for y in 0..20u16 {
        for x in 0..157u16 {
            let sym = |dx: u16| buf[(x + dx, y)].symbol().to_string();
            if sym(0) == "L" && sym(1) == "y" && sym(2) == "o" && sym(3) == "n" {
                let reversed = buf[(x, y)].modifier.contains(Modifier::REVERSED);
                if reversed {
                    continue; // the selected row
                }
                assert!(
                    !buf[(x, y)].modifier.contains(Modifier::UNDERLINED),
                    "row {y}"
                );
                for dx in 1..4 {
                    assert!(
                        buf[(x + dx, y)].modifier.contains(Modifier::UNDERLINED),
                        "row {y}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 2, "no highlighted match found");
}
