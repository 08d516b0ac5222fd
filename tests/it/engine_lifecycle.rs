//! The engine's lifecycle on a real data dir: thread → plan → job → leads and artifact, with every
//! transition the state machine allows and refuses.

use crate::common;

use common::*;
use leadline::engine::credits::CostModel;
use leadline::model::requests::{
    Approve, CreateThread, JobQuery, LeadQuery, PostMessage, ThreadPatch, ThreadQuery,
};
use leadline::model::{ErrorCode, EventKind, JobStatus, MessageKind, PageParams, Role, SourceKind};

#[tokio::test]
async fn a_prompt_becomes_a_plan_then_a_job_that_captures_grounded_leads() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 0).await;
    let (posted, job, events) = run_to_end(
        &engine,
        "Give me 50 cybersecurity startups in Israel, seed or Series A, with their founders",
    )
    .await;

    assert_eq!(posted.job.status, JobStatus::Pending);
    assert_eq!(posted.plan.job_id, posted.job.id);
    assert_eq!(posted.plan.icp.max_rows, Some(50));
    assert!(posted.plan.credits_estimate > 0);

    assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
    assert_eq!(job.rows_captured, 50);
    assert_eq!(job.progress.percent, 100);
    assert!(job.started_at.is_some() && job.finished_at.is_some());
    assert_eq!(
        job.credits_used,
        CostModel::new(&posted.plan.icp, &posted.plan.steps).credits(50)
    );
    let artifact = job.artifact.clone().expect("an artifact");
    assert_eq!(artifact.rows, 50);

    // Events: numbered 1.. without gaps, every step started and completed, `done` last.
    let ids: Vec<u64> = events.iter().map(|e| e.id.0).collect();
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
    for step in &posted.plan.steps {
        for status in ["started", "completed"] {
            assert!(
                events.iter().any(|e| e.kind == EventKind::Step
                    && e.data["step_id"] == step.id.as_str()
                    && e.data["status"] == status),
                "no {status} event for {}",
                step.id
            );
        }
    }
    assert_eq!(events.last().unwrap().kind, EventKind::Done);
    assert_eq!(events.last().unwrap().data["status"], "succeeded");
    let streamed: usize = events
        .iter()
        .filter(|e| e.kind == EventKind::Result)
        .map(|e| e.data["leads"].as_array().unwrap().len())
        .sum();
    assert_eq!(streamed, 50);

    // Leads: grounded, bounded confidence, synthetic.
    let leads = engine.all_leads(&job.id).await.unwrap();
    assert_eq!(leads.len(), 50);
    for lead in &leads {
        assert!(!lead.sources.is_empty());
        assert!((0.0..=1.0).contains(&lead.confidence));
        assert!(!lead.livemode);
        assert!(lead.sources.iter().all(|s| s.kind == SourceKind::Synthetic));
    }

    // The artifact on disk matches.
    let fetched = engine.get_artifact(&artifact.id).await.unwrap();
    assert!(!fetched.partial);
    let csv = std::fs::read_to_string(engine.artifact_path(&artifact.id).await.unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 51);
    assert_eq!(csv.len() as u64, fetched.bytes);

    // The thread tells the story: prompt, plan card, result.
    let messages = engine
        .list_messages(&posted.message.thread_id, PageParams::default())
        .await
        .unwrap()
        .data;
    let shape: Vec<(Role, MessageKind)> = messages.iter().map(|m| (m.role, m.kind)).collect();
    assert_eq!(
        shape,
        [
            (Role::User, MessageKind::Text),
            (Role::Assistant, MessageKind::Plan),
            (Role::Assistant, MessageKind::Result)
        ]
    );
    let thread = engine.get_thread(&posted.message.thread_id).await.unwrap();
    assert_eq!(thread.message_count, 3);
    assert_eq!(thread.last_job_id.as_ref(), Some(&job.id));
    assert_eq!(thread.last_job_status, Some(JobStatus::Succeeded));
    assert!(
        !thread.title.is_empty(),
        "the first prompt titles the thread"
    );
}

#[tokio::test]
async fn stopping_a_paced_job_keeps_a_partial_artifact() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 15).await;
    let posted = post(&engine, FRENCH_FINTECH).await;
    engine
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    wait_for_rows(&engine, &posted.job.id, 5).await;

    let stopped = engine.stop(&posted.job.id).await.unwrap();
    assert_eq!(stopped.status, JobStatus::Stopped);
    assert!(
        stopped.rows_captured >= 5 && stopped.rows_captured < 200,
        "{}",
        stopped.rows_captured
    );
    let artifact = stopped.artifact.expect("a partial artifact");
    assert_eq!(artifact.rows, stopped.rows_captured);
    assert!(engine.get_artifact(&artifact.id).await.unwrap().partial);
    assert_eq!(
        engine.all_leads(&stopped.id).await.unwrap().len() as u64,
        stopped.rows_captured
    );
    assert!(stopped.summary.unwrap().contains("Stopped on request"));

    let events = engine.job_events(&stopped.id, None).await.unwrap();
    assert_eq!(events.last().unwrap().kind, EventKind::Done);
    assert_eq!(events.last().unwrap().data["status"], "stopped");

    let again = engine.stop(&stopped.id).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
}

#[tokio::test]
async fn the_credit_ceiling_halts_a_job_as_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 0).await;
    let posted = post(&engine, FRENCH_FINTECH).await;
    engine
        .approve(
            &posted.job.id,
            Approve {
                max_credits: Some(10),
                webhook_url: None,
            },
        )
        .await
        .unwrap();
    events_until_end(&engine, &posted.job.id).await;
    let job = engine.get_job(&posted.job.id).await.unwrap();
    assert_eq!(job.status, JobStatus::Stopped);
    assert!(job.credits_used <= 10, "{}", job.credits_used);
    assert!(job.rows_captured > 0);
    let cost = CostModel::new(&posted.plan.icp, &posted.plan.steps);
    assert!(
        cost.credits(job.rows_captured + 1) > 10,
        "it stopped only when the next lead would exceed the ceiling"
    );
    assert!(job.summary.unwrap().contains("credit ceiling of 10"));
}

#[tokio::test]
async fn replanning_supersedes_the_pending_job() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 0).await;
    let first = post(&engine, FRENCH_FINTECH).await;
    let second = engine
        .replan(&first.plan.id, "make it 50 rows")
        .await
        .unwrap();
    assert_eq!(second.plan.icp.max_rows, Some(50));
    assert_eq!(second.plan.replaces.as_ref(), Some(&first.plan.id));
    assert_eq!(
        second.plan.icp.roles, first.plan.icp.roles,
        "a replan edits the ICP, it does not start over"
    );
    assert_eq!(second.job.status, JobStatus::Pending);

    let old = engine.get_job(&first.job.id).await.unwrap();
    assert_eq!(old.status, JobStatus::Stopped);
    assert_eq!(old.superseded_by.as_ref(), Some(&second.job.id));
    let refused = engine
        .approve(&first.job.id, Approve::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(
        refused.message.contains("can no longer be approved"),
        "{}",
        refused.message
    );

    let thread = engine.get_thread(&first.message.thread_id).await.unwrap();
    assert_eq!(thread.last_job_id.as_ref(), Some(&second.job.id));
    assert_eq!(thread.message_count, 4);
}

#[tokio::test]
async fn illegal_transitions_and_unknown_ids_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 20).await;
    let posted = post(&engine, FRENCH_FINTECH).await;
    let job = &posted.job.id;
    engine.approve(job, Approve::default()).await.unwrap();

    let twice = engine.approve(job, Approve::default()).await.unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);
    let replan_running = engine
        .replan(&posted.plan.id, "only VP Eng")
        .await
        .unwrap_err();
    assert_eq!(replan_running.code, ErrorCode::Conflict);
    let delete = engine
        .delete_thread(&posted.message.thread_id, false)
        .await
        .unwrap_err();
    assert_eq!(delete.code, ErrorCode::Conflict);
    assert!(delete.message.contains(job.as_str()));

    // Forced delete stops the job first and removes everything.
    engine
        .delete_thread(&posted.message.thread_id, true)
        .await
        .unwrap();
    assert_eq!(
        engine.get_job(job).await.unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        engine
            .get_thread(&posted.message.thread_id)
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert!(!dir.path().join("artifacts").join(job.as_str()).exists());

    let unknown = leadline::model::JobId::parse("job_01HXA4Z2M8V5WC9T7R1K").unwrap();
    assert_eq!(
        engine
            .approve(&unknown, Approve::default())
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        engine.stop(&unknown).await.unwrap_err().code,
        ErrorCode::NotFound
    );

    // A cancelled pending job cannot be approved or stopped again.
    let pending = post(&engine, FRENCH_FINTECH).await;
    let cancelled = engine.stop(&pending.job.id).await.unwrap();
    assert_eq!(cancelled.status, JobStatus::Stopped);
    assert_eq!(
        engine
            .approve(&pending.job.id, Approve::default())
            .await
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    assert_eq!(
        engine.stop(&pending.job.id).await.unwrap_err().code,
        ErrorCode::Conflict
    );
    assert_eq!(
        engine
            .approve(
                &pending.job.id,
                Approve {
                    max_credits: Some(0),
                    webhook_url: None
                }
            )
            .await
            .unwrap_err()
            .code,
        ErrorCode::InvalidRequest
    );
}

#[tokio::test]
async fn bad_prompts_are_explained_and_nothing_typed_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 0).await;
    let thread = engine.create_thread(CreateThread::default()).await.unwrap();
    for prompt in ["", "   ", "find leads", "hello"] {
        let e = engine
            .post_message(
                &thread.id,
                PostMessage {
                    content: prompt.into(),
                    ..PostMessage::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::PlanRejected, "{prompt:?}");
        assert!(!e.message.is_empty());
    }
    let messages = engine
        .list_messages(&thread.id, PageParams::default())
        .await
        .unwrap()
        .data;
    assert_eq!(
        messages.len(),
        8,
        "each prompt and its explanation are kept"
    );
    assert_eq!(messages[3].role, Role::Assistant);
    assert_eq!(messages[4].content, "find leads");

    let long = engine
        .post_message(
            &thread.id,
            PostMessage {
                content: "x".repeat(8_001),
                ..PostMessage::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(long.code, ErrorCode::InvalidRequest);
    assert_eq!(
        engine
            .list_messages(&thread.id, PageParams::default())
            .await
            .unwrap()
            .data
            .len(),
        8
    );

    let title = engine
        .update_thread(
            &thread.id,
            ThreadPatch {
                title: Some("t".repeat(201)),
                metadata: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(title.code, ErrorCode::InvalidRequest);
}

#[tokio::test]
async fn the_same_prompt_and_seed_give_the_same_leads() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (ea, eb) = (engine(a.path(), 0).await, engine(b.path(), 0).await);
    let (_, ja, _) = run_to_end(&ea, FRENCH_FINTECH).await;
    let (_, jb, _) = run_to_end(&eb, FRENCH_FINTECH).await;
    let (la, lb) = (
        common::comparable(ea.all_leads(&ja.id).await.unwrap()),
        common::comparable(eb.all_leads(&jb.id).await.unwrap()),
    );
    assert_eq!(la.len(), 200);
    assert_eq!(la, lb);

    let c = tempfile::tempdir().unwrap();
    let mut options = leadline::engine::EngineOptions::new(c.path());
    options.seed = 8;
    let ec = leadline::engine::Engine::open(options).await.unwrap();
    let (_, jc, _) = run_to_end(&ec, FRENCH_FINTECH).await;
    assert_ne!(
        common::comparable(ec.all_leads(&jc.id).await.unwrap()),
        la,
        "another seed gives other leads"
    );
}

#[tokio::test]
async fn subscribers_replay_resume_and_agree() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 2).await;
    let posted = post(
        &engine,
        "Series B AI-infra companies in US hiring ML engineers. Top 40",
    )
    .await;
    engine
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        events_until_end(&engine, &posted.job.id),
        events_until_end(&engine, &posted.job.id)
    );
    assert_eq!(a, b, "two live subscribers see the same events");

    // After the end: a replay of everything, then the stream closes.
    let replay = events_until_end(&engine, &posted.job.id).await;
    assert_eq!(replay, a);
    // Resuming after event n yields exactly the rest.
    let n = a.len() / 2;
    let stream = engine
        .subscribe(&posted.job.id, Some(a[n - 1].id))
        .await
        .unwrap();
    use futures::StreamExt;
    let rest: Vec<_> = stream.map(|e| e.unwrap()).collect().await;
    assert_eq!(rest, a[n..].to_vec());
    assert_eq!(kinds(&rest).last(), Some(&EventKind::Done));
}

#[tokio::test]
async fn lists_paginate_with_cursors_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 0).await;
    for i in 0..5 {
        engine
            .create_thread(CreateThread {
                title: Some(format!("Thread {i}")),
                metadata: None,
            })
            .await
            .unwrap();
    }
    let page1 = engine
        .list_threads(ThreadQuery {
            page: PageParams {
                limit: Some(2),
                ..PageParams::default()
            },
            ..ThreadQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page1
            .data
            .iter()
            .map(|t| t.title.as_str())
            .collect::<Vec<_>>(),
        ["Thread 4", "Thread 3"]
    );
    assert!(page1.has_more);
    let page2 = engine
        .list_threads(ThreadQuery {
            page: PageParams {
                limit: Some(2),
                cursor: page1.next_cursor.clone(),
                order: None,
            },
            ..ThreadQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page2
            .data
            .iter()
            .map(|t| t.title.as_str())
            .collect::<Vec<_>>(),
        ["Thread 2", "Thread 1"]
    );
    let found = engine
        .list_threads(ThreadQuery {
            q: Some("read 3".into()),
            ..ThreadQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found.data.len(), 1);
    let bad = engine
        .list_threads(ThreadQuery {
            page: PageParams {
                limit: Some(101),
                ..PageParams::default()
            },
            ..ThreadQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidRequest);
    let bad = engine
        .list_threads(ThreadQuery {
            page: PageParams {
                cursor: Some("nope".into()),
                ..PageParams::default()
            },
            ..ThreadQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.param.as_deref(), Some("cursor"));

    let (_, job, _) = run_to_end(&engine, FRENCH_FINTECH).await;
    let all = engine.all_leads(&job.id).await.unwrap();
    let threshold = 0.8;
    let mut seen = Vec::new();
    let mut q = LeadQuery {
        page: PageParams {
            limit: Some(37),
            ..PageParams::default()
        },
        min_confidence: Some(threshold),
        has_field: vec!["person.email".into()],
    };
    loop {
        let page = engine.list_leads(&job.id, q.clone()).await.unwrap();
        seen.extend(page.data);
        if !page.has_more {
            break;
        }
        q.page.cursor = page.next_cursor;
    }
    let expected: Vec<_> = all
        .iter()
        .filter(|l| {
            l.confidence >= threshold && l.person.as_ref().is_some_and(|p| p.email.is_some())
        })
        .cloned()
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < all.len(),
        "the filter must select some but not all"
    );
    assert_eq!(seen, expected);
    let bad = engine
        .list_leads(
            &job.id,
            LeadQuery {
                has_field: vec!["person.email') OR 1=1 --".into()],
                ..LeadQuery::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.param.as_deref(), Some("has_field"));

    let jobs = engine
        .list_jobs(JobQuery {
            status: vec![JobStatus::Succeeded],
            ..JobQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(jobs.data.len(), 1);
}

#[tokio::test]
async fn another_organisation_sees_nothing_and_can_touch_nothing() {
    use leadline::model::OrgId;
    let dir = tempfile::tempdir().unwrap();
    let mine = engine(dir.path(), 0).await;
    let (posted, job, _) = run_to_end(&mine, FRENCH_FINTECH).await;
    let theirs = mine.for_org(OrgId::parse("org_acme").unwrap());

    fn nf<T>(r: Result<T, leadline::model::Error>) -> ErrorCode {
        r.map(|_| ()).unwrap_err().code
    }
    assert_eq!(
        nf(theirs.get_thread(&posted.message.thread_id).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        nf(theirs.get_plan(&posted.plan.id).await),
        ErrorCode::NotFound
    );
    assert_eq!(nf(theirs.get_job(&job.id).await), ErrorCode::NotFound);
    assert_eq!(nf(theirs.all_leads(&job.id).await), ErrorCode::NotFound);
    assert_eq!(
        nf(theirs.job_events(&job.id, None).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        nf(theirs.subscribe(&job.id, None).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        nf(theirs.get_artifact(&job.artifact.clone().unwrap().id).await),
        ErrorCode::NotFound
    );
    assert_eq!(nf(theirs.stop(&job.id).await), ErrorCode::NotFound);
    assert_eq!(
        nf(theirs.replan(&posted.plan.id, "make it 50 rows").await),
        ErrorCode::NotFound
    );
    assert_eq!(
        nf(theirs.delete_thread(&posted.message.thread_id, true).await),
        ErrorCode::NotFound
    );
    assert!(
        theirs
            .list_threads(ThreadQuery::default())
            .await
            .unwrap()
            .data
            .is_empty()
    );
    assert!(
        theirs
            .list_jobs(JobQuery::default())
            .await
            .unwrap()
            .data
            .is_empty()
    );
    assert_eq!(theirs.usage().await.unwrap().test_credits, 0);
    assert!(mine.usage().await.unwrap().test_credits > 0);

    // Their own work is theirs alone.
    let (their_post, _, _) = run_to_end(&theirs, FRENCH_FINTECH).await;
    assert_eq!(
        mine.list_threads(ThreadQuery::default())
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert_eq!(
        nf(mine.get_job(&their_post.job.id).await),
        ErrorCode::NotFound
    );
}
