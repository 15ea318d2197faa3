//! The `customer-profiles` binary: parses the command line and runs it.

use clap::Parser;

/// mimalloc for every allocation, SQLite's page cache included (`override`): glibc's malloc
/// spent a fifth of a large import's time splitting and merging free chunks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("customer-profiles: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        server::telemetry::init();
        match server::cli::Cli::parse().run().await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("customer-profiles: {message}");
                std::process::ExitCode::FAILURE
            }
        }
    })
}

/// glibc gives each thread that meets contention an arena of its own (up to 8 per core), and
/// their free memory is rarely returned: under load that was ~35 MB of the server's RSS for no
/// measurable speed. Two arenas, set before any worker thread starts.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
