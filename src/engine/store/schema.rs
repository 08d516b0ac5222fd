//! Versioned migrations. Each entry runs once, in order, inside a transaction; `user_version`
//! records how far a database has come so an old data dir upgrades in place.

pub const MIGRATIONS: &[&str] = &[
    // 1: the object model.
    r#"
    CREATE TABLE threads (
        seq           INTEGER PRIMARY KEY,
        id            TEXT NOT NULL UNIQUE,
        title         TEXT NOT NULL,
        metadata      TEXT NOT NULL DEFAULT '{}',
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        last_job_id   TEXT
    );
    CREATE TABLE messages (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        thread_id  TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        role       TEXT NOT NULL,
        kind       TEXT NOT NULL,
        content    TEXT NOT NULL,
        plan_id    TEXT,
        job_id     TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX messages_by_thread ON messages(thread_id, seq);
    CREATE TABLE plans (
        seq              INTEGER PRIMARY KEY,
        id               TEXT NOT NULL UNIQUE,
        thread_id        TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        job_id           TEXT NOT NULL,
        title            TEXT NOT NULL,
        steps            TEXT NOT NULL,
        credits_estimate INTEGER NOT NULL,
        icp              TEXT NOT NULL,
        notes            TEXT NOT NULL DEFAULT '[]',
        replaces         TEXT,
        created_at       INTEGER NOT NULL
    );
    CREATE TABLE jobs (
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        thread_id      TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        plan_id        TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        status         TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','failed','stopped')),
        step           INTEGER NOT NULL DEFAULT 0,
        total          INTEGER NOT NULL DEFAULT 0,
        percent        INTEGER NOT NULL DEFAULT 0,
        started_at     INTEGER,
        finished_at    INTEGER,
        credits_used   INTEGER NOT NULL DEFAULT 0,
        summary        TEXT,
        error_code     TEXT,
        error_message  TEXT,
        metadata       TEXT NOT NULL DEFAULT '{}',
        livemode       INTEGER NOT NULL,
        created_at     INTEGER NOT NULL,
        rows_captured  INTEGER NOT NULL DEFAULT 0,
        max_credits    INTEGER,
        superseded_by  TEXT,
        stop_requested INTEGER NOT NULL DEFAULT 0,
        seed           INTEGER NOT NULL
    );
    CREATE INDEX jobs_by_thread ON jobs(thread_id, seq);
    CREATE INDEX jobs_by_status ON jobs(status, seq);
    CREATE TABLE artifacts (
        id         TEXT PRIMARY KEY,
        job_id     TEXT NOT NULL UNIQUE REFERENCES jobs(id) ON DELETE CASCADE,
        rows       INTEGER NOT NULL,
        bytes      INTEGER NOT NULL,
        columns    TEXT NOT NULL,
        path       TEXT NOT NULL,
        partial    INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE leads (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        ordinal    INTEGER NOT NULL,
        event_seq  INTEGER NOT NULL,
        confidence REAL NOT NULL,
        data       TEXT NOT NULL
    );
    CREATE UNIQUE INDEX leads_by_job ON leads(job_id, ordinal);
    CREATE INDEX leads_by_event ON leads(job_id, event_seq);
    CREATE TABLE events (
        job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        data       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (job_id, seq)
    ) WITHOUT ROWID;
    "#,
    // 2: organisations. Every thread belongs to one; everything else belongs to its thread's.
    r#"
    ALTER TABLE threads ADD COLUMN org_id TEXT NOT NULL DEFAULT 'org_local';
    CREATE INDEX threads_by_org ON threads(org_id, seq);
    "#,
    // 3: the API server: keys (hashed), idempotent replays, server settings.
    r#"
    CREATE TABLE api_keys (
        id         TEXT PRIMARY KEY,
        org_id     TEXT NOT NULL,
        name       TEXT NOT NULL,
        hash       BLOB NOT NULL UNIQUE,
        prefix     TEXT NOT NULL,
        last4      TEXT NOT NULL,
        scopes     TEXT NOT NULL,
        livemode   INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER
    );
    CREATE TABLE idempotency (
        org_id       TEXT NOT NULL,
        key          TEXT NOT NULL,
        fingerprint  BLOB NOT NULL,
        status       INTEGER,
        content_type TEXT,
        body         BLOB,
        created_at   INTEGER NOT NULL,
        PRIMARY KEY (org_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 4: imported datasets and their full-text index (the SQL sits beside its queries).
    super::datasets::MIGRATION,
    // 5: pushes and enrichments, with every item's outcome (what makes a push idempotent and
    // resumable).
    r#"
    CREATE TABLE pushes (
        id         TEXT PRIMARY KEY,
        job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        provider   TEXT NOT NULL,
        mode       TEXT NOT NULL,
        list_id    TEXT,
        list_url   TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        result     TEXT,
        UNIQUE (job_id, provider, mode)
    );
    CREATE TABLE push_items (
        push_id     TEXT NOT NULL REFERENCES pushes(id) ON DELETE CASCADE,
        item        TEXT NOT NULL,
        outcome     TEXT NOT NULL,
        external_id TEXT,
        code        TEXT,
        message     TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (push_id, item)
    ) WITHOUT ROWID;
    CREATE TABLE enrichments (
        id         TEXT PRIMARY KEY,
        job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        provider   TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        result     TEXT NOT NULL
    );
    "#,
    // 6: a message's attachments (parsed seed lists), kept with the job they seed.
    r#"
    CREATE TABLE job_attachments (
        job_id  TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        data    TEXT NOT NULL,
        PRIMARY KEY (job_id, ordinal)
    ) WITHOUT ROWID;
    "#,
    // 7: the scope an idempotent request needed, so a replay can re-check the caller's.
    "ALTER TABLE idempotency ADD COLUMN scope TEXT;",
    // 8: a dataset's content fingerprint, so the
    // same export imported as CSV and as JSON is kept once (one file is one source).
    super::datasets::FINGERPRINT_MIGRATION,
    // 9: an organisation's webhook endpoints, with the signing
    // secret (it signs every delivery, so it is kept, and shown once), and the delivery log.
    r#"
    CREATE TABLE webhooks (
        seq         INTEGER PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        org_id      TEXT NOT NULL,
        url         TEXT NOT NULL,
        events      TEXT NOT NULL,
        description TEXT,
        enabled     INTEGER NOT NULL,
        secret      TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE INDEX webhooks_by_org ON webhooks(org_id, seq);
    CREATE TABLE webhook_deliveries (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        org_id          TEXT NOT NULL,
        webhook_id      TEXT,
        event_id        TEXT NOT NULL,
        event_type      TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        response_status INTEGER,
        error           TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
    );
    CREATE INDEX webhook_deliveries_by_org ON webhook_deliveries(org_id, seq);
    "#,
    // 10: the spans of a prompt the planner could not use (#13).
    "ALTER TABLE plans ADD COLUMN not_understood TEXT NOT NULL DEFAULT '[]';",
    // 11: webhooks as an outbox (#16): a delivery keeps its signed body and when it is next due,
    // so any process on the data dir delivers it, and a lease so only one tries it at a time;
    // an endpoint keeps its previous secret through a rotation's grace period; a job remembers
    // the endpoint its approval named (`webhook_url`).
    r#"
    ALTER TABLE webhooks ADD COLUMN previous_secret TEXT;
    ALTER TABLE webhooks ADD COLUMN previous_secret_until INTEGER;
    ALTER TABLE webhook_deliveries ADD COLUMN body TEXT;
    ALTER TABLE webhook_deliveries ADD COLUMN next_attempt_at INTEGER;
    ALTER TABLE webhook_deliveries ADD COLUMN lease_until INTEGER;
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
    ALTER TABLE jobs ADD COLUMN webhook_id TEXT;
    "#,
    // 12: the leads table's flattened index (#11 item 7), filled as leads are written; leads
    // stored before it are indexed on first use.
    super::lead_index::MIGRATION,
];
