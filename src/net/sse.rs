//! Server-Sent Events over reqwest: an incremental parser of the `text/event-stream` format and a
//! reconnecting reader that resumes with `Last-Event-ID`.
//!
//! Written here rather than taken from eventsource-client because that crate (0.18) always pulls
//! launchdarkly-sdk-transport, a second HTTP stack (hyper client, its own TLS) beside reqwest,
//! and a second `rand`; what we need of it is the parsing rules of the HTML standard's
//! "event stream interpretation" and a reconnect loop, both small and tested below.

use std::collections::VecDeque;
use std::time::Duration;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The last `id:` seen on this stream, as the standard says (it carries over to later events).
    pub id: Option<String>,
    /// The `event:` field, `message` when absent.
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// What the parser reads out of the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Event(Event),
    /// A `:` line (servers send them as keep-alives).
    Comment(String),
}

/// An incremental `text/event-stream` parser: feed it chunks split anywhere (inside a line,
/// between the CR and LF of a CRLF, inside a UTF-8 character) and it yields complete frames.
#[derive(Debug, Default)]
pub struct Parser {
    line: Vec<u8>,
    /// The previous chunk ended in CR: an LF opening the next one belongs to it.
    after_cr: bool,
    started: bool,
    last_id: Option<String>,
    event: String,
    data: String,
    has_data: bool,
    retry: Option<Duration>,
}

impl Parser {
    pub fn new() -> Self {
        Self::default()
    }

    /// The reconnection time the server asked for with `retry:`, if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The `id` the next reconnect should send as `Last-Event-ID`.
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Parses `chunk`, returning the frames it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        for &b in chunk {
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            match b {
                b'\n' if after_cr => {}
                b'\n' => self.end_line(&mut out),
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(&mut out);
                }
                _ => self.line.push(b),
            }
        }
        out
    }

    fn end_line(&mut self, out: &mut Vec<Frame>) {
        let raw = std::mem::take(&mut self.line);
        let mut line = String::from_utf8_lossy(&raw).into_owned();
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_string();
            }
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if let Some(comment) = line.strip_prefix(':') {
            out.push(Frame::Comment(comment.trim_start_matches(' ').to_string()));
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_str(), ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            // An id with NUL is ignored, as the standard says.
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<Frame>) {
        let event = std::mem::take(&mut self.event);
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        out.push(Frame::Event(Event {
            id: self.last_id.clone(),
            event: if event.is_empty() {
                "message".into()
            } else {
                event
            },
            data: std::mem::take(&mut self.data),
        }));
    }
}

/// How the reader reconnects.
#[derive(Debug, Clone, Copy)]
pub struct Reconnect {
    /// The first wait after a failure (a server's `retry:` replaces it); doubles after each.
    pub delay: Duration,
    pub max_delay: Duration,
    /// A connection silent for this long is dropped and reopened.
    pub read_timeout: Duration,
}

/// Why a connection ended or could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this non-200 status.
    Status(u16),
    /// No answer, a dropped connection, a silent one, or the stream's end.
    Transport(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(s) => write!(f, "the server answered HTTP {s}"),
            Self::Transport(why) => f.write_str(why),
        }
    }
}

/// What the reader yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A connection was opened (the first or a later one).
    Connected,
    Event(Event),
    /// The connection failed or ended; the next call reconnects after a wait.
    Failed(Failure),
}

/// A reconnecting event-stream reader. Every connection sends `Authorization` (if given) and the
/// last id seen as `Last-Event-ID`, so the server resumes where the previous one stopped.
pub struct EventSource {
    client: reqwest::Client,
    url: String,
    bearer: Option<String>,
    options: Reconnect,
    delay: Duration,
    wait_first: bool,
    last_id: Option<String>,
    response: Option<reqwest::Response>,
    parser: Parser,
    pending: VecDeque<Event>,
}

impl EventSource {
    pub fn new(client: reqwest::Client, url: impl Into<String>, options: Reconnect) -> Self {
        Self {
            client,
            url: url.into(),
            bearer: None,
            options,
            delay: options.delay,
            wait_first: false,
            last_id: None,
            response: None,
            parser: Parser::new(),
            pending: VecDeque::new(),
        }
    }

    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Resume after this id (sent as `Last-Event-ID` on the first connection too).
    pub fn last_event_id(mut self, id: Option<String>) -> Self {
        self.last_id = id;
        self
    }

    /// The next item; it never ends by itself (the caller stops reading).
    pub async fn next(&mut self) -> Item {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Item::Event(event);
            }
            let Some(response) = self.response.as_mut() else {
                return self.connect().await;
            };
            let read = tokio::time::timeout(self.options.read_timeout, response.chunk()).await;
            let chunk = match read {
                Ok(Ok(Some(chunk))) => chunk,
                Ok(Ok(None)) => return self.fail(Failure::Transport("the stream ended".into())),
                Ok(Err(e)) => return self.fail(Failure::Transport(e.to_string())),
                Err(_) => {
                    let secs = self.options.read_timeout.as_secs();
                    return self.fail(Failure::Transport(format!("no data for {secs} s")));
                }
            };
            self.read(&chunk);
        }
    }

    fn read(&mut self, chunk: &[u8]) {
        for frame in self.parser.feed(chunk) {
            if let Frame::Event(event) = frame {
                // Data flows again: the next failure starts from the first delay.
                self.delay = self.parser.retry().unwrap_or(self.options.delay);
                self.pending.push_back(event);
            }
        }
        if let Some(id) = self.parser.last_id() {
            self.last_id = Some(id.to_string());
        }
    }

    fn fail(&mut self, failure: Failure) -> Item {
        self.response = None;
        self.wait_first = true;
        Item::Failed(failure)
    }

    async fn connect(&mut self) -> Item {
        if std::mem::replace(&mut self.wait_first, false) {
            tokio::time::sleep(self.delay).await;
            self.delay = (self.delay * 2).min(self.options.max_delay);
        }
        let mut request = self
            .client
            .get(&self.url)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .header(reqwest::header::CACHE_CONTROL, "no-cache");
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(id) = self.last_id.as_deref().filter(|id| !id.is_empty()) {
            request = request.header("Last-Event-ID", id);
        }
        match request.send().await {
            Err(e) => self.fail(Failure::Transport(e.to_string())),
            Ok(resp) if resp.status() != reqwest::StatusCode::OK => {
                self.fail(Failure::Status(resp.status().as_u16()))
            }
            Ok(resp) => {
                self.response = Some(resp);
                // A new connection starts a new parse; the last id carries over.
                self.parser = Parser::new();
                Item::Connected
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: Option<&str>, kind: &str, data: &str) -> Frame {
        Frame::Event(Event {
            id: id.map(str::to_string),
            event: kind.into(),
            data: data.into(),
        })
    }

    /// Every split of `input` into two chunks parses the same as the whole.
    fn parse_split_anywhere(input: &[u8]) -> Vec<Frame> {
        let whole = Parser::new().feed(input);
        for cut in 0..=input.len() {
            let mut p = Parser::new();
            let mut frames = p.feed(&input[..cut]);
            frames.extend(p.feed(&input[cut..]));
            assert_eq!(frames, whole, "split at {cut}");
        }
        // And one byte at a time.
        let mut p = Parser::new();
        let bytes: Vec<Frame> = input.iter().flat_map(|b| p.feed(&[*b])).collect();
        assert_eq!(bytes, whole, "byte by byte");
        whole
    }

    #[test]
    fn fields_make_events_and_ids_carry_over() {
        let frames = parse_split_anywhere(
            b"id: 1\nevent: step\ndata: {\"a\":1}\n\nevent: log\ndata: x\n\nid: 3\ndata:y\n\n",
        );
        assert_eq!(
            frames,
            vec![
                event(Some("1"), "step", "{\"a\":1}"),
                event(Some("1"), "log", "x"),
                event(Some("3"), "message", "y"),
            ]
        );
    }

    #[test]
    fn multi_line_data_joins_with_newlines_and_only_one_space_is_stripped() {
        let frames = parse_split_anywhere("data: one\ndata:  two\ndata\ndata: é\n\n".as_bytes());
        assert_eq!(frames, vec![event(None, "message", "one\n two\n\né")]);
    }

    #[test]
    fn comments_are_frames_and_events_without_data_are_not_dispatched() {
        let frames = parse_split_anywhere(b": keep-alive\n\nevent: lonely\n\ndata: x\n\n");
        assert_eq!(
            frames,
            vec![
                Frame::Comment("keep-alive".into()),
                event(None, "message", "x"),
            ],
            "the type of an event without data does not leak into the next"
        );
    }

    #[test]
    fn crlf_cr_and_lf_all_end_lines_and_a_bom_is_skipped() {
        let frames = parse_split_anywhere(
            "\u{feff}id: 7\r\nevent: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n"
                .as_bytes(),
        );
        assert_eq!(
            frames,
            vec![
                event(Some("7"), "a", "1"),
                event(Some("7"), "b", "2"),
                event(Some("7"), "message", "3"),
            ]
        );
    }

    #[test]
    fn retry_takes_digits_only_and_an_unfinished_event_waits() {
        let mut p = Parser::new();
        assert!(
            p.feed(b"retry: soon\nretry: 1500\nretry: -3\ndata: half")
                .is_empty()
        );
        assert_eq!(p.retry(), Some(Duration::from_millis(1500)));
        assert_eq!(p.feed(b"\n\n"), vec![event(None, "message", "half")]);
    }

    #[test]
    fn an_id_with_nul_is_ignored_and_an_empty_id_clears_it() {
        let frames =
            parse_split_anywhere(b"id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\nid\ndata: c\n\n");
        assert_eq!(
            frames,
            vec![
                event(Some("1"), "message", "a"),
                event(Some("1"), "message", "b"),
                event(Some(""), "message", "c"),
            ]
        );
    }
}
