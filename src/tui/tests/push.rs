//! The push dialog and enrichment.

use super::*;

#[test]
fn push_flow_previews_then_pushes_and_shows_per_lead_errors() {
    use crate::model::push::{IntegrationProgress, PushMode, PushProvider};
    use crate::tui::state::overlay::PushStage;
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    let fx = ch(&mut s, 'p');
    assert_eq!(requests(&fx), [&Request::Integrations]);
    let status =
        |provider: &str, connected: bool, detail: &str| crate::model::push::IntegrationStatus {
            object: "integration".into(),
            provider: provider.into(),
            connected,
            detail: detail.into(),
        };
    reply(
        &mut s,
        Slot::Integrations,
        Reply::Integrations(vec![
            status(
                "magnetite",
                false,
                "magnetite is not configured: set campaign_id under [integrations.magnetite]",
            ),
            status("autoreach", true, "create AutoReach leads"),
            status("file", true, "CSV, JSON or XLSX on this machine"),
        ]),
    );
    snap("push_picker_status", &mut s);
    let text = render_text(&s, 140, 40).unwrap();
    assert!(text.contains("✓ autoreach"), "{text}");
    assert!(text.contains("· magnetite"), "{text}");
    assert!(
        text.contains("set campaign_id under [integrations.magnetite]"),
        "{text}"
    );
    // Pick autoreach, companies mode, allow test data; Enter asks for a dry run only.
    ch(&mut s, 'j');
    ch(&mut s, 'm');
    ch(&mut s, 't');
    let fx = key(&mut s, KeyCode::Enter);
    let [Request::Push { job, request }] = requests(&fx)[..] else {
        panic!("expected one push request, got {fx:?}");
    };
    assert_eq!(job, &job_id(1));
    assert_eq!(request.provider, PushProvider::Autoreach);
    assert_eq!(request.mode, PushMode::Companies);
    assert!(request.dry_run && request.allow_test_data && !request.force);
    snap("push_previewing", &mut s);

    reply(&mut s, Slot::Push, Reply::Pushed(push_result(true)));
    assert!(
        matches!(&s.overlay, Some(Overlay::Push(f)) if matches!(f.stage, PushStage::Preview(_)))
    );
    snap("push_preview", &mut s);

    // Enter confirms: the same request, for real.
    let fx = key(&mut s, KeyCode::Enter);
    let [Request::Push { request, .. }] = requests(&fx)[..] else {
        panic!("expected the real push, got {fx:?}");
    };
    assert!(!request.dry_run);
    update(
        &mut s,
        Msg::IntegrationProgress(IntegrationProgress { done: 1, total: 3 }),
    );
    assert!(
        matches!(&s.overlay, Some(Overlay::Push(f)) if f.stage == PushStage::Pushing(IntegrationProgress { done: 1, total: 3 }))
    );
    snap("push_progress", &mut s);

    reply(&mut s, Slot::Push, Reply::Pushed(push_result(false)));
    snap("push_done", &mut s);
    let text = render_text(&s, 140, 40).unwrap();
    assert!(text.contains("2 created"), "{text}");
    assert!(text.contains("email is invalid"), "{text}");
    key(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
}

#[test]
fn a_failed_dry_run_stays_in_the_push_dialog_with_the_reason() {
    use crate::tui::state::overlay::PushStage;
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'p');
    key(&mut s, KeyCode::Enter);
    let tag = s.requests.issue(Slot::Push);
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Err(Error::invalid(
                "magnetite is not configured: set api_key_env, campaign_id under [integrations.magnetite]",
            )),
        },
    );
    assert!(
        matches!(&s.overlay, Some(Overlay::Push(f)) if matches!(&f.stage, PushStage::Failed(m) if m.contains("campaign_id")))
    );
    assert!(
        render_text(&s, 140, 40)
            .unwrap()
            .contains("[integrations.magnetite]")
    );
    ch(&mut s, 'b');
    assert!(matches!(&s.overlay, Some(Overlay::Push(f)) if matches!(f.stage, PushStage::Pick)));
}

#[test]
fn push_is_refused_while_the_job_runs_and_enrich_asks_first() {
    let mut s = loaded(1, JobStatus::Running, 3);
    ch(&mut s, 'p');
    assert!(s.overlay.is_none());
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'E');
    assert!(
        matches!(&s.overlay, Some(Overlay::Confirm(c)) if c.on_yes == Confirmed::Enrich(job_id(1)))
    );
    let fx = ch(&mut s, 'y');
    assert!(matches!(requests(&fx)[..], [Request::Enrich { .. }]));
}

#[test]
fn the_enrich_not_configured_toast_names_the_variable_in_full() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    let e = crate::model::Error::new(
        crate::model::ErrorCode::InvalidRequest,
        "Modern Leads is not configured: set api_key_env, base_url under [providers.modernleads] \
         (api_key_env names the environment variable holding the key, default \
         MODERNLEADS_API_KEY; base_url defaults to https://app.modernleads.io), and set \
         MODERNLEADS_API_KEY to an ml_live_… or ml_test_… key",
    );
    let fx = ch(&mut s, 'E');
    assert!(fx.is_empty());
    let fx = ch(&mut s, 'y');
    let tag = match &fx[..] {
        [Effect::Request { tag, .. }] => *tag,
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Err(e),
        },
    );
    for (w, h) in [(100u16, 30u16), (140, 40)] {
        let text = render_text(&s, w, h).unwrap();
        let flat: String = text
            .lines()
            .map(|l| l.trim_matches(['│', ' ']))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains("ml_test_… key"), "cut at {w}:\n{text}");
    }
}
