//! The paged leads table (a finished local job): the view and the rows come from the backend;
//! drawing never waits (placeholders until a page arrives) and only the screen's pages are asked.

use super::*;
use crate::model::Timestamp;
use crate::model::table::LeadView;
use crate::tui::state::leads::CACHE_CAP;

fn paged(n: u32) -> (AppState, Vec<Effect>) {
    let mut s = state();
    s.page_leads = true;
    let mut threads = fixtures::threads();
    threads.data[0].last_job_status = Some(JobStatus::Succeeded);
    reply(&mut s, Slot::Threads, Reply::Threads(threads));
    let fx = reply(
        &mut s,
        Slot::Job,
        Reply::Job(fixtures::job(1, JobStatus::Succeeded)),
    );
    assert!(
        !requests(&fx)
            .iter()
            .any(|r| matches!(r, Request::Leads { .. })),
        "a paged job never loads every lead: {fx:?}"
    );
    let [Request::LeadView { spec, .. }] = requests(&fx)
        .into_iter()
        .filter(|r| matches!(r, Request::LeadView { .. }))
        .collect::<Vec<_>>()[..]
    else {
        panic!("{fx:?}")
    };
    assert!(spec.field_keys, "the first view lists the field keys");
    ch(&mut s, '5');
    // The view: ordinals in reverse, as a sort would give.
    let fx = reply(
        &mut s,
        Slot::LeadView,
        Reply::LeadView {
            job: job_id(1),
            view: LeadView {
                ordinals: (0..n).rev().collect(),
                total: u64::from(n),
                field_keys: Some(vec!["industry".into()]),
            },
        },
    );
    (s, fx)
}

fn asked(fx: &[Effect]) -> Vec<u32> {
    requests(fx)
        .into_iter()
        .filter_map(|r| match r {
            Request::LeadsAt { ordinals, .. } => Some(ordinals.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn answer(s: &mut AppState, ordinals: &[u32]) -> Vec<Effect> {
    let job = job_id(1);
    let leads = ordinals
        .iter()
        .map(|&o| (o, fixtures::lead(&job, o as usize)))
        .collect();
    reply(s, Slot::LeadPage, Reply::LeadsAt { job, leads })
}

#[test]
fn only_the_screens_pages_are_asked_and_rows_wait_as_placeholders() {
    let (mut s, fx) = paged(10_000);
    let first = asked(&fx);
    let h = s.table_height();
    assert!(!first.is_empty() && first.len() <= 2 * h, "{}", first.len());
    assert_eq!(first[0], 9_999, "the view's first row is asked first");
    // Nothing fetched yet: the rows are drawn as placeholders, the count is the job's.
    let screen = render_text(&s, 140, 40).unwrap();
    assert!(
        screen.contains("5 Leads (10,000)") && screen.contains('…'),
        "{screen}"
    );
    // Asked once: another message does not ask again while the page is in flight.
    assert!(asked(&key(&mut s, KeyCode::Down)).is_empty());
    answer(&mut s, &first);
    let name = fixtures::lead(&job_id(1), 9_999).company.name;
    let screen = render_text(&s, 140, 40).unwrap();
    assert!(screen.contains(&name), "{screen}");
    assert_eq!(s.leads.field_keys.len(), 1);
    // G: the last rows are asked, then drawn.
    let fx = ch(&mut s, 'G');
    let last = asked(&fx);
    assert!(last.contains(&0) && last.len() <= 2 * h, "{last:?}");
    answer(&mut s, &last);
    let (_, lead) = s.leads.selected_lead().expect("fetched");
    assert_eq!(
        lead.company.name,
        fixtures::lead(&job_id(1), 0).company.name
    );
}

#[test]
fn a_filter_or_sort_asks_the_backend_and_the_newest_view_wins() {
    let (mut s, fx) = paged(1_000);
    answer(&mut s, &asked(&fx));
    ch(&mut s, '/');
    let fx = typ_fx(&mut s, "lyon");
    let views: Vec<_> = requests(&fx)
        .into_iter()
        .filter_map(|r| match r {
            Request::LeadView { spec, .. } => Some(spec.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        views.last().map(|v| v.query.terms.len()),
        Some(1),
        "{views:?}"
    );
    assert!(!views.last().is_some_and(|v| v.field_keys));
    // A reply to an older request is dropped: the view stays until the newest arrives.
    let old = s.requests.issue(Slot::LeadView);
    let _newer = s.requests.issue(Slot::LeadView);
    update(
        &mut s,
        Msg::Reply {
            tag: old,
            result: Ok(Box::new(Reply::LeadView {
                job: job_id(1),
                view: LeadView {
                    ordinals: vec![1, 2],
                    total: 1_000,
                    field_keys: None,
                },
            })),
        },
    );
    assert_eq!(s.leads.view.len(), 1_000);
    // `o` sorts through the backend too.
    key(&mut s, KeyCode::Enter);
    let fx = ch(&mut s, 'o');
    assert!(
        requests(&fx)
            .iter()
            .any(|r| matches!(r, Request::LeadView { spec, .. } if spec.sort.is_some())),
        "{fx:?}"
    );
}

#[test]
fn the_cache_stays_bounded_and_keeps_marked_rows() {
    let (mut s, fx) = paged(50_000);
    answer(&mut s, &asked(&fx));
    ch(&mut s, 'v');
    let marked = *s.leads.marked.iter().next().expect("marked");
    for _ in 0..200 {
        let fx = key(&mut s, KeyCode::PageDown);
        answer(&mut s, &asked(&fx));
    }
    assert!(s.leads.cache.len() <= CACHE_CAP, "{}", s.leads.cache.len());
    assert!(
        s.leads.cache.contains_key(&marked),
        "a marked row is kept for Y"
    );
    // Y copies the marked row though it scrolled far away.
    ch(&mut s, 'Y');
    let Some(Overlay::CopyRow(t)) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(t.rows.len(), 1);
}

fn typ_fx(s: &mut AppState, text: &str) -> Vec<Effect> {
    let mut out = vec![];
    for c in text.chars() {
        out.extend(ch(s, c));
    }
    out
}

/// A page the store cannot give is asked for again only after a delay that doubles with each
/// failure in a row (ticks arrive four times a second; none of them may retry early), the error
/// is said once, and a page that arrives ends the back-off.
#[test]
fn failed_pages_are_retried_with_a_doubling_delay_and_one_toast() {
    let (mut s, fx) = paged(10_000);
    let first = asked(&fx);
    let tick = |s: &mut AppState, ms: i64| {
        let now = Timestamp::from_millis(s.now.millis() + ms);
        update(s, Msg::Tick(now))
    };
    let fail = |s: &mut AppState, asked: Vec<u32>| {
        reply(
            s,
            Slot::LeadPage,
            Reply::LeadsAtFailed {
                job: job_id(1),
                asked,
                error: crate::model::Error::internal("database is locked"),
            },
        )
    };
    let mut pending = first;
    for wait in [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000] {
        fail(&mut s, pending);
        assert!(
            asked(&tick(&mut s, wait - 250)).is_empty(),
            "asked before {wait} ms"
        );
        pending = asked(&tick(&mut s, 250));
        assert!(!pending.is_empty(), "not asked again after {wait} ms");
    }
    let toasts = s
        .toasts
        .items
        .iter()
        .filter(|t| t.text.contains("locked"))
        .count();
    assert_eq!(toasts, 1, "the failure is said once");
    answer(&mut s, &pending);
    assert_eq!(
        s.leads.page_retry, None,
        "a page that arrives ends the back-off"
    );
}

/// A new view under a scrolled table: the selected lead stays selected (a full screen shown,
/// never one row above blank space), and when the filter left it out the table starts again
/// at the top.
#[test]
fn a_smaller_view_keeps_the_screen_full_and_a_lost_selection_goes_to_the_top() {
    let (mut s, _) = paged(10_000);
    let h = s.table_height();
    ch(&mut s, 'G');
    let last = *s.leads.view.last().unwrap();
    let view = |ordinals: Vec<u32>| Reply::LeadView {
        job: job_id(1),
        view: LeadView {
            total: 10_000,
            ordinals,
            field_keys: None,
        },
    };
    // The selected lead is the last of a 50-row view: the screen ends with it, full.
    let mut kept: Vec<u32> = (100..149).collect();
    kept.push(last);
    reply(&mut s, Slot::LeadView, view(kept));
    assert_eq!(s.leads.selected, 49);
    assert_eq!(s.leads.offset, 50 - h, "a full screen of {h} rows");
    // A view without it: back to the top.
    reply(&mut s, Slot::LeadView, view((200..300).collect()));
    assert_eq!((s.leads.selected, s.leads.offset), (0, 0));
}
