//! Command line: `serve` (default), `migrate` and `seed`, configured by flags or environment.

use crate::{seed, startup};
use app::store::{Db, DEFAULT_DATABASE_URL};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

/// Customer Profiles: a customer-care console for loyalty and marketing programmes.
#[derive(Debug, Parser)]
#[command(name = "customer-profiles", version)]
pub struct Cli {
    /// Database: sqlite://PATH (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the console and the API (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Generate deterministic demo data into an empty database.
    Seed(seed::SeedArgs),
}

/// Options of `serve`.
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: Option<SocketAddr>,
    /// Seed this many demo customers when the database has none (0: never).
    #[arg(long, env = "DEMO_CUSTOMERS", default_value_t = 0)]
    pub demo_customers: usize,
}

impl Cli {
    /// Runs the chosen command; the error is one line for the terminal.
    pub async fn run(self) -> Result<(), String> {
        let db = Db::connect(&self.database_url).await?;
        db.migrate().await?;
        match self.command.unwrap_or(Command::Serve(ServeArgs::default())) {
            Command::Migrate => {
                println!("database is up to date");
                Ok(())
            }
            Command::Seed(args) => seed::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            Command::Serve(args) => {
                if args.demo_customers > 0 {
                    seed::seed_demo_if_empty(&db, args.demo_customers).await?;
                }
                let listen = args
                    .listen
                    .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
                let app = startup::Application::build(db, listen).await?;
                tracing::info!("listening on http://{}", app.address());
                app.run_until_stopped().await
            }
        }
    }
}
