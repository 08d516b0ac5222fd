//! `leadline`: arguments in, dispatch out. Everything else lives in the library.

fn main() -> std::process::ExitCode {
    leadline::cli::main()
}
