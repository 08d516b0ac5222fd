//! Message rows.

use super::{Conn, Row, params};

use super::paging::{KeysetQuery, Paging};
use crate::model::{
    Error, JobId, Message, MessageId, MessageKind, Order, Page, PageParams, PlanId, Role, ThreadId,
    Timestamp,
};

fn role_str(r: Role) -> &'static str {
    match r {
        Role::User => "user",
        Role::Assistant => "assistant",
    }
}

fn kind_str(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Text => "text",
        MessageKind::Plan => "plan",
        MessageKind::Result => "result",
    }
}

fn row(r: &Row<'_>) -> Result<(i64, Message), Error> {
    let role: String = r.get(3)?;
    let kind: String = r.get(4)?;
    Ok((
        r.get(0)?,
        Message {
            id: MessageId::from_db(r.get(1)?),
            object: "message".into(),
            thread_id: ThreadId::from_db(r.get(2)?),
            role: if role == "user" {
                Role::User
            } else {
                Role::Assistant
            },
            kind: match kind.as_str() {
                "plan" => MessageKind::Plan,
                "result" => MessageKind::Result,
                _ => MessageKind::Text,
            },
            content: r.get(5)?,
            plan_id: r.get::<Option<String>>(6)?.map(PlanId::from_db),
            job_id: r.get::<Option<String>>(7)?.map(JobId::from_db),
            created_at: Timestamp::from_millis(r.get(8)?),
        },
    ))
}

pub fn insert(c: &Conn<'_>, m: &Message) -> Result<(), Error> {
    c.execute(
        "INSERT INTO messages (id, thread_id, role, kind, content, plan_id, job_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            m.id,
            m.thread_id,
            role_str(m.role),
            kind_str(m.kind),
            m.content,
            m.plan_id,
            m.job_id,
            m.created_at.millis()
        ],
    )?;
    Ok(())
}

/// Chronological by default (the reference lists messages oldest first).
pub fn list(c: &Conn<'_>, thread: &ThreadId, p: &PageParams) -> Result<Page<Message>, Error> {
    KeysetQuery::new(
        "SELECT seq, id, thread_id, role, kind, content, plan_id, job_id, created_at FROM messages
         WHERE thread_id = ?",
        vec![Box::new(thread.as_str().to_string())],
        "seq",
        p,
        Paging {
            default_limit: 100,
            max_limit: 1000,
            order: Order::Asc,
        },
    )?
    .fetch(c, row, |(_, m)| Ok(m))
}

/// The user prompts of a thread, oldest first (the planner's context).
pub fn user_prompts(c: &Conn<'_>, thread: &ThreadId) -> Result<Vec<String>, Error> {
    c.query_map(
        "SELECT content FROM messages WHERE thread_id = ?1 AND role = 'user' ORDER BY seq",
        [thread],
        |r| r.get(0),
    )
}
