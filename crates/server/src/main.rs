//! `roster`: an Amazon Connect user-management API server.

mod app;
mod config;
mod faults;
mod http;
mod rejections;
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
    /// Import or export an instance's users as CSV, against a running server.
    #[command(subcommand)]
    Users(users_cli::UsersCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Users(command) => users_cli::main(command),
        Command::Serve(args) => {
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
            match runtime.block_on(app::serve(args)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("roster: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
