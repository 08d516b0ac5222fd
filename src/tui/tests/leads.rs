//! The leads table: sort, filter, confidence, columns, detail, copy and open.

use super::*;

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
