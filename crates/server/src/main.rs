//! `roster`: an Amazon Connect user-management API server.

mod app;
mod config;
mod faults;
mod http;
mod inspector;
mod metrics;
mod rejections;
mod seed;
mod throttle;
mod users_cli;

use std::process::ExitCode;

use clap::Parser;

/// Requests allocate many small, short-lived buffers on every worker thread at once;
/// glibc's allocator spent about a tenth of a DescribeUser's CPU time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "roster",
    version,
    about = "An Amazon Connect user-management API server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Run the API server.
    Serve(config::ServeArgs),
    /// Write the whole state of a store as a seed file (YAML), which `serve --seed`
    /// loads into an empty store to reproduce it: `roster export --data DIR -o FILE`.
    Export(config::ExportArgs),
    /// Import or export an instance's users as CSV, against a running server.
    #[command(subcommand)]
    Users(users_cli::UsersCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("roster: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let done = match cli.command {
        Command::Serve(args) => runtime.block_on(app::serve(args)),
        Command::Export(args) => runtime.block_on(app::export(args)),
        Command::Users(command) => runtime.block_on(users_cli::run(command)),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roster: {e:#}");
            ExitCode::FAILURE
        }
    }
}
