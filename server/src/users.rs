//! `customer-profiles create-user` and the demo platform users of the demo data.

use app::auth::CurrentUser;
use app::state::AppState;
use app::store::Db;
use app::users::model::NewUser;
use clap::Args;
use std::io::{BufRead, IsTerminal};

/// Options of `create-user`.
#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// Sign-in email.
    #[arg(long)]
    pub email: String,
    /// Role preset: admin, supervisor, care_agent, store_associate, privacy_officer.
    #[arg(long)]
    pub role: String,
    /// Shown name (default: the part of the email before the @).
    #[arg(long)]
    pub name: Option<String>,
}

/// Creates the user, asking for the password.
pub async fn create_user(db: &Db, args: CreateUserArgs) -> Result<String, String> {
    let password = read_password()?;
    let display_name = args
        .name
        .unwrap_or_else(|| args.email.split('@').next().unwrap_or_default().to_string());
    let actor = CurrentUser::system("command-line", "Command line");
    let user = app::users::accounts::create(
        &state_of(db).await?,
        &actor,
        NewUser {
            email: args.email,
            display_name,
            role: args.role,
            password,
        },
    )
    .await
    .map_err(|e| match e {
        app::error::AppError::Validation { field, message } => format!("{field}: {message}"),
        other => other.to_string(),
    })?;
    Ok(format!(
        "created {} ({}) with {} permissions",
        user.email,
        user.role.as_str(),
        user.permissions.len()
    ))
}

fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

/// The password of every demo user. Demo data only: README says so.
pub const DEMO_PASSWORD: &str = "customer-care-demo";

/// The demo platform users: one per role preset.
pub const DEMO_USERS: [(&str, &str, &str); 5] = [
    ("admin@demo.test", "Ada Admin", "admin"),
    ("supervisor@demo.test", "Sam Supervisor", "supervisor"),
    ("agent@demo.test", "Cara Agent", "care_agent"),
    ("associate@demo.test", "Stan Associate", "store_associate"),
    ("privacy@demo.test", "Priya Privacy", "privacy_officer"),
];

/// Creates the demo users that do not exist yet.
pub async fn create_demo_users(db: &Db) -> Result<(), String> {
    let state = state_of(db).await?;
    let actor = CurrentUser::system("demo-seed", "Demo seed");
    for (email, name, role) in DEMO_USERS {
        if app::users::db::email_taken(db, email)
            .await
            .map_err(|e| e.to_string())?
        {
            continue;
        }
        app::users::accounts::create(
            &state,
            &actor,
            NewUser {
                email: email.into(),
                display_name: name.into(),
                role: role.into(),
                password: DEMO_PASSWORD.into(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The state the account functions need, outside a running server.
async fn state_of(db: &Db) -> Result<AppState, String> {
    AppState::new(db.clone(), Default::default())
        .await
        .map_err(|e| e.to_string())
}
