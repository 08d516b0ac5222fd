//! Threads, messages and plans: everything before a job runs.

use serde_json::{Map, json};

use super::planner::{MAX_PROMPT_CHARS, PlanDraft, PlanRequest};
use super::store::scope::Scope;
use super::webhooks::publish;
use super::{Engine, store};
use crate::model::job::Transition;
use crate::model::requests::{
    Approve, CreateThread, PostMessage, PostedMessage, ThreadPatch, ThreadQuery,
};
use crate::model::thread::{MAX_TITLE_CHARS, validate_metadata};
use crate::model::{
    Error, ErrorCode, Job, JobId, JobStatus, Message, MessageId, MessageKind, Page, PageParams,
    Plan, PlanId, Progress, Role, Thread, ThreadId, Timestamp,
};

fn validate_title(title: &str) -> Result<String, Error> {
    let title = crate::text::sanitize_inline(title.trim());
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(format!(
            "title is {} characters; at most {MAX_TITLE_CHARS} are allowed.",
            title.chars().count()
        ))
        .with_param("title"));
    }
    Ok(title)
}

/// A title from the first prompt: its first line, cut at a word boundary near 60 characters.
fn title_from_prompt(prompt: &str) -> String {
    let line =
        crate::text::sanitize_inline(prompt.lines().find(|l| !l.trim().is_empty()).unwrap_or(""));
    let line = line.trim();
    if line.chars().count() <= 60 {
        return line.to_string();
    }
    let cut: String = line.chars().take(60).collect();
    let cut = cut.rsplit_once(' ').map(|(head, _)| head).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn validate_prompt(content: &str) -> Result<(), Error> {
    let n = content.chars().count();
    if n > MAX_PROMPT_CHARS {
        return Err(Error::invalid(format!(
            "The prompt is {n} characters; at most {MAX_PROMPT_CHARS} are allowed. Shorten it or split it into several messages."
        ))
        .with_param("content"));
    }
    Ok(())
}

/// A row hint is a list size: 0 is not one (it used to be planned as 1), and past the plan's
/// ceiling the caller should hear so rather than get fewer rows than asked for without a word.
fn validate_row_hint(hints: Option<&crate::model::requests::Hints>) -> Result<(), Error> {
    let max = crate::model::Icp::MAX_ROWS;
    match hints.and_then(|h| h.max_rows) {
        Some(n) if !(1..=max).contains(&n) => Err(Error::invalid(format!(
            "hints.max_rows must be between 1 and {max}; got {n}."
        ))
        .with_param("hints.max_rows")),
        _ => Ok(()),
    }
}

fn message(
    thread: &ThreadId,
    role: Role,
    kind: MessageKind,
    content: String,
    plan: Option<&PlanId>,
    job: Option<&JobId>,
    now: Timestamp,
) -> Message {
    Message {
        id: MessageId::generate(),
        object: "message".into(),
        thread_id: thread.clone(),
        role,
        kind,
        content,
        plan_id: plan.cloned(),
        job_id: job.cloned(),
        created_at: now,
    }
}

/// Turns a planner draft into a stored plan, its pending job and the assistant's plan card.
fn materialise(
    engine: &Engine,
    thread: &ThreadId,
    draft: PlanDraft,
    replaces: Option<PlanId>,
    now: Timestamp,
) -> (Plan, Job, Message) {
    let plan_id = PlanId::generate();
    let job_id = JobId::generate();
    let card = draft.card();
    let plan = Plan {
        id: plan_id.clone(),
        object: "plan".into(),
        job_id: job_id.clone(),
        title: draft.title,
        steps: draft.steps,
        credits_estimate: draft.credits_estimate,
        created_at: now,
        thread_id: thread.clone(),
        icp: draft.icp,
        notes: draft.notes,
        not_understood: draft.not_understood,
        replaces,
    };
    let job = Job {
        id: job_id.clone(),
        object: "job".into(),
        thread_id: thread.clone(),
        plan_id: plan_id.clone(),
        status: JobStatus::Pending,
        progress: Progress {
            step: 0,
            total: plan.steps.len() as u32,
            percent: 0,
        },
        started_at: None,
        finished_at: None,
        credits_used: 0,
        artifact: None,
        summary: None,
        error: None,
        metadata: Map::new(),
        livemode: engine.livemode(),
        created_at: now,
        rows_captured: 0,
        max_credits: None,
        superseded_by: None,
    };
    let card = message(
        thread,
        Role::Assistant,
        MessageKind::Plan,
        card,
        Some(&plan_id),
        Some(&job_id),
        now,
    );
    (plan, job, card)
}

impl Engine {
    pub async fn create_thread(&self, req: CreateThread) -> Result<Thread, Error> {
        let title = validate_title(req.title.as_deref().unwrap_or(""))?;
        let metadata = req.metadata.unwrap_or_default();
        validate_metadata(&metadata)?;
        let now = Timestamp::now();
        let thread = Thread {
            id: ThreadId::generate(),
            object: "thread".into(),
            title,
            created_at: now,
            updated_at: now,
            message_count: 0,
            last_job_id: None,
            metadata,
            last_job_status: None,
        };
        let (t, org, live) = (thread.clone(), self.scope_org(), self.livemode());
        self.db(move |s| {
            s.write(|tx| {
                store::threads::insert(tx, &org, &t)?;
                publish::publish(tx, &org, live, "thread.created", &json!(t), None)
            })
        })
        .await?;
        self.wake_deliveries();
        Ok(thread)
    }

    pub async fn list_threads(&self, query: ThreadQuery) -> Result<Page<Thread>, Error> {
        let org = self.scope_org();
        self.db(move |s| s.read(|c| store::threads::list(c, &org, &query)))
            .await
    }

    pub async fn get_thread(&self, id: &ThreadId) -> Result<Thread, Error> {
        let (id, org) = (id.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org)
                    .thread(c, &id)
                    .and_then(|_| store::threads::get(c, &id))
            })
        })
        .await
    }

    pub async fn update_thread(&self, id: &ThreadId, patch: ThreadPatch) -> Result<Thread, Error> {
        let title = patch.title.as_deref().map(validate_title).transpose()?;
        if let Some(m) = &patch.metadata {
            validate_metadata(m)?;
        }
        let (id, org) = (id.clone(), self.scope_org());
        self.db(move |s| {
            s.write(|tx| {
                Scope(&org).thread(tx, &id)?;
                store::threads::update(
                    tx,
                    &id,
                    title.as_deref(),
                    patch.metadata.as_ref(),
                    Timestamp::now(),
                )?;
                store::threads::get(tx, &id)
            })
        })
        .await
    }

    /// Deletes a thread and everything in it. A running job makes this a `conflict` unless
    /// `force`, which stops the job (partial artifact and all) before deleting.
    pub async fn delete_thread(&self, id: &ThreadId, force: bool) -> Result<(), Error> {
        let (tid, org) = (id.clone(), self.scope_org());
        let running = self
            .db(move |s| {
                s.read(|c| {
                    Scope(&org).thread(c, &tid)?;
                    store::jobs::ids_with_status(c, Some(&tid), JobStatus::Running)
                })
            })
            .await?;
        if let Some(first) = running.first() {
            if !force {
                return Err(Error::conflict(format!(
                    "Thread {id} has a running job ({first}). Stop it first, or delete with force to stop it as part of the delete."
                ))
                .with_param("thread_id"));
            }
            for job in &running {
                match self.stop(job).await {
                    Ok(_) => {}
                    // It finished on its own in the meantime: nothing left to stop.
                    Err(e) if e.code == ErrorCode::Conflict => {}
                    Err(e) => return Err(e),
                }
            }
        }
        let (tid, org, live) = (id.clone(), self.scope_org(), self.livemode());
        let paths = self
            .db(move |s| {
                s.write(|tx| {
                    let paths = store::jobs::artifact_paths_in_thread(tx, &tid)?;
                    store::threads::delete(tx, &tid)?;
                    let gone = json!({"id": tid, "object": "thread", "deleted": true});
                    publish::publish(tx, &org, live, "thread.deleted", &gone, None)?;
                    Ok(paths)
                })
            })
            .await?;
        self.wake_deliveries();
        // Files after the rows: a crash in between leaves orphan files, never rows without files.
        for path in paths {
            if let Some(dir) = std::path::Path::new(&path).parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        Ok(())
    }

    /// Appends a user message and runs the planner: a plan and a pending job, or `plan_rejected`
    /// (the thread then holds the assistant's explanation, so nothing the user typed is lost).
    pub async fn post_message(
        &self,
        thread: &ThreadId,
        req: PostMessage,
    ) -> Result<PostedMessage, Error> {
        validate_prompt(&req.content)?;
        validate_row_hint(req.hints.as_ref())?;
        if req.attachments.len() > 5 {
            return Err(
                Error::invalid("At most 5 attachments are allowed per message.")
                    .with_param("attachments"),
            );
        }
        // Fetched and parsed before anything is stored: a bad attachment changes nothing.
        let attached =
            super::attachments::load(&req.attachments, self.inner.options.attachments).await?;
        let (tid, org) = (thread.clone(), self.scope_org());
        let (existing, history) = self
            .db(move |s| {
                s.read(|c| {
                    Ok((
                        {
                            Scope(&org).thread(c, &tid)?;
                            store::threads::get(c, &tid)?
                        },
                        store::messages::user_prompts(c, &tid)?,
                    ))
                })
            })
            .await?;
        let request = PlanRequest {
            prompt: req.content.clone(),
            history,
            max_rows_hint: req.hints.as_ref().and_then(|h| h.max_rows),
            has_attachments: !req.attachments.is_empty(),
        };
        let planned = self.inner.options.planner.plan(&request).await;
        let now = Timestamp::now();
        let user = message(
            thread,
            Role::User,
            MessageKind::Text,
            req.content.clone(),
            None,
            None,
            now,
        );
        let retitle = existing
            .title
            .is_empty()
            .then(|| title_from_prompt(&req.content));
        let posted = self
            .record_plan(
                thread,
                user,
                planned,
                Recorded {
                    replaces: None,
                    retitle,
                    attached,
                },
                now,
            )
            .await?;
        if req.auto_approve {
            let job = self.approve(&posted.job.id, Approve::default()).await?;
            return Ok(PostedMessage { job, ..posted });
        }
        Ok(posted)
    }

    /// Stores the user's message with the planner's answer, in one transaction.
    async fn record_plan(
        &self,
        thread: &ThreadId,
        user: Message,
        planned: Result<PlanDraft, Error>,
        with: Recorded,
        now: Timestamp,
    ) -> Result<PostedMessage, Error> {
        let Recorded {
            replaces,
            retitle,
            attached,
        } = with;
        let tid = thread.clone();
        match planned {
            Ok(draft) => {
                let (plan, job, card) = materialise(
                    self,
                    thread,
                    draft,
                    replaces.as_ref().map(|r| r.0.clone()),
                    now,
                );
                let seed = self.inner.options.seed;
                let (p, j, u, c) = (plan.clone(), job.clone(), user.clone(), card);
                let (org, live) = (self.scope_org(), self.livemode());
                let job = self
                    .db(move |s| {
                        s.write(|tx| {
                            if let Some((_, old_job)) = &replaces {
                                let old = store::jobs::get(tx, old_job)?;
                                if old.status == JobStatus::Pending {
                                    old.status.apply(Transition::Supersede, old_job)?;
                                    store::jobs::supersede(tx, old_job, &j.id, now)?;
                                }
                            }
                            store::messages::insert(tx, &u)?;
                            store::plans::insert(tx, &p)?;
                            store::jobs::insert(tx, &j, seed)?;
                            store::attachments::insert(tx, &j.id, &attached)?;
                            if let Some((_, old_job)) = &replaces {
                                store::attachments::copy(tx, old_job, &j.id)?;
                            }
                            store::messages::insert(tx, &c)?;
                            if let Some(title) = &retitle {
                                store::threads::update(tx, &tid, Some(title), None, now)?;
                            }
                            store::threads::touch(tx, &tid, 2, Some(&j.id), now)?;
                            publish::publish(tx, &org, live, "message.created", &json!(u), None)?;
                            publish::publish(tx, &org, live, "plan.created", &json!(p), None)?;
                            publish::publish(tx, &org, live, "message.created", &json!(c), None)?;
                            store::jobs::get(tx, &j.id)
                        })
                    })
                    .await?;
                self.wake_deliveries();
                Ok(PostedMessage {
                    message: user,
                    plan,
                    job,
                })
            }
            Err(e) if e.code == ErrorCode::PlanRejected => {
                let reply = message(
                    thread,
                    Role::Assistant,
                    MessageKind::Text,
                    e.message.clone(),
                    None,
                    None,
                    now,
                );
                let (org, live) = (self.scope_org(), self.livemode());
                let rejected = json!({
                    "object": "plan_rejection",
                    "thread_id": tid,
                    "message_id": reply.id,
                    "reason": e.message,
                });
                self.db(move |s| {
                    s.write(|tx| {
                        store::messages::insert(tx, &user)?;
                        store::messages::insert(tx, &reply)?;
                        if let Some(title) = &retitle {
                            store::threads::update(tx, &tid, Some(title), None, now)?;
                        }
                        store::threads::touch(tx, &tid, 2, None, now)?;
                        for (event, object) in [
                            ("message.created", json!(user)),
                            ("plan.rejected", rejected),
                            ("message.created", json!(reply)),
                        ] {
                            publish::publish(tx, &org, live, event, &object, None)?;
                        }
                        Ok(())
                    })
                })
                .await?;
                self.wake_deliveries();
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    pub async fn list_messages(
        &self,
        thread: &ThreadId,
        page: PageParams,
    ) -> Result<Page<Message>, Error> {
        let (tid, org) = (thread.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).thread(c, &tid)?;
                store::messages::list(c, &tid, &page)
            })
        })
        .await
    }

    pub async fn get_plan(&self, id: &PlanId) -> Result<Plan, Error> {
        let (id, org) = (id.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org)
                    .plan(c, &id)
                    .and_then(|_| store::plans::get(c, &id))
            })
        })
        .await
    }

    /// A new plan from the previous one and the user's feedback, on a new pending job. A pending
    /// job of the old plan is superseded; a running one makes this a `conflict`.
    pub async fn replan(&self, plan: &PlanId, feedback: &str) -> Result<PostedMessage, Error> {
        if feedback.trim().is_empty() {
            return Err(Error::invalid("feedback is required: say what to change, e.g. \"only VP Engineering\" or \"make it 50 rows\".").with_param("feedback"));
        }
        validate_prompt(feedback)?;
        let (pid, org) = (plan.clone(), self.scope_org());
        let (old, old_job) = self
            .db(move |s| {
                s.read(|c| {
                    Scope(&org).plan(c, &pid)?;
                    let p = store::plans::get(c, &pid)?;
                    let j = store::jobs::get(c, &p.job_id)?;
                    Ok((p, j))
                })
            })
            .await?;
        if old_job.status == JobStatus::Running {
            return Err(Error::conflict(format!(
                "Plan {plan} is running as job {}; stop it before replanning.",
                old_job.id
            ))
            .with_param("plan_id"));
        }
        let planned = self.inner.options.planner.replan(&old.icp, feedback).await;
        let now = Timestamp::now();
        let user = message(
            &old.thread_id,
            Role::User,
            MessageKind::Text,
            feedback.to_string(),
            None,
            None,
            now,
        );
        self.record_plan(
            &old.thread_id,
            user,
            planned,
            Recorded {
                replaces: Some((old.id.clone(), old_job.id)),
                retitle: None,
                attached: Vec::new(),
            },
            now,
        )
        .await
    }
}

/// What else is stored with a plan.
struct Recorded {
    /// The plan (and its job) this one replaces.
    replaces: Option<(PlanId, JobId)>,
    /// A new thread title.
    retitle: Option<String>,
    /// The message's attachments, parsed.
    attached: Vec<super::attachments::Loaded>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_first_line_cut_at_a_word() {
        assert_eq!(
            title_from_prompt("Series A fintechs\nmore"),
            "Series A fintechs"
        );
        let long =
            "Find Series A fintechs in France with twenty or more engineers and pull their VP Eng";
        let t = title_from_prompt(long);
        assert!(t.ends_with('…') && t.chars().count() <= 61, "{t}");
        assert!(long.starts_with(t.trim_end_matches('…')));
    }

    #[test]
    fn prompts_over_8000_characters_are_invalid_requests() {
        assert!(validate_prompt(&"a".repeat(8_000)).is_ok());
        let e = validate_prompt(&"é".repeat(8_001)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert_eq!(e.param.as_deref(), Some("content"));
    }
}
