//! Thin entry point: parse the command line, then hand over to `cli::run`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    social_mission_api::allocator::tune();
    let cli = social_mission_api::cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("starting the runtime");
    match runtime.block_on(social_mission_api::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
