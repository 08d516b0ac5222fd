//! `leadline open` on a 100,000-row file in a real terminal (tmux): the first rows show while
//! the file is stored in the background, then the table pages the stored job: `G` reaches the
//! last row, a filter narrows it, and `e` writes exactly the filtered rows. The file is written
//! by the test (deterministic, not committed). CI runs the release binary (`LEADLINE_E2E_BIN`).

use std::time::Duration;

use crate::common::leads_file::write_leads_csv;
use crate::common::tmux;

const ROWS: usize = 100_000;

#[test]
fn a_100k_row_file_opens_at_once_jumps_filters_and_exports_in_tmux() {
    if !tmux::have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leads_100k.csv");
    write_leads_csv(&file, ROWS);
    let s = tmux::start_with(dir.path(), "scale", "", &file.display().to_string());
    // The first screen, read straight from the file, while the rest is stored.
    s.wait_for("Lena Row0", Duration::from_secs(30));
    // Stored: the table counts the job's leads (a debug build takes a while on 100,000 rows).
    s.wait_for("5 Leads (100,000)", Duration::from_secs(600));
    s.keys(&["G"]);
    s.wait_for(&format!("Row{}", ROWS - 1), Duration::from_secs(30));

    s.keys(&["/"]);
    s.literal("city:lyon employees>=2500");
    s.keys(&["Enter"]);
    // The generator's rows: Lyon every fifth, employees 10 + (i·37 mod 5000).
    let want: Vec<usize> = (0..ROWS)
        .filter(|i| i % 5 == 2 && 10 + (i * 37) % 5000 >= 2500)
        .collect();
    let shown = leadline::tui::ui::thousands(want.len() as u64);
    s.wait_for(&format!("({shown} of 100,000)"), Duration::from_secs(60));

    s.keys(&["e"]);
    s.wait_for("Export leads", Duration::from_secs(5));
    s.keys(&["Enter"]);
    s.wait_for(&format!("Wrote {shown} rows"), Duration::from_secs(120));
    let exports = dir.path().join("data").join("exports");
    let path = std::fs::read_dir(&exports)
        .expect("the exports dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .expect("an exported CSV");
    let mut reader = csv::Reader::from_path(&path).expect("readable");
    let headers = reader.headers().expect("headers").clone();
    let company = headers
        .iter()
        .position(|h| h == "company")
        .expect("company");
    let city = headers.iter().position(|h| h == "city").expect("city");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), want.len());
    assert!(rows.iter().all(|r| &r[city] == "Lyon"));
    let mut got: Vec<String> = rows.iter().map(|r| r[company].to_string()).collect();
    got.sort();
    let mut expected: Vec<String> = want.iter().map(|i| format!("Company {i:06}")).collect();
    expected.sort();
    assert_eq!(got, expected);
    s.keys(&["q"]);
}
