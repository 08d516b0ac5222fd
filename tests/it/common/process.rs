//! The real binary as a child process: a free loopback port, the command on a data dir and
//! config of the test's own (nothing from the environment's config or log level), and a server
//! child killed when the test ends, whatever happens.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a loopback port")
        .local_addr()
        .expect("its address")
        .port()
}

pub fn leadline(data: &Path, config: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leadline"));
    c.arg("--data-dir")
        .arg(data)
        .arg("--config")
        .arg(config)
        .env_remove("LEADLINE_CONFIG")
        .env_remove("RUST_LOG");
    c
}

/// A `leadline serve` child, killed and reaped on drop.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
