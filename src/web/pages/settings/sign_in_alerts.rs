//! On the team page: accounts being slowed down after repeated wrong passwords, each
//! with a button that lets its owner try again at once (the answer to an attacker
//! keeping someone out).

use axum::extract::State;
use axum::response::Response;
use jiff::tz::TimeZone;
use maud::{Markup, html};

use crate::app::SlowedAccount;
use crate::domain::UserId;
use crate::web::AppState;
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::act;
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::session::{PageId, Submitted};
use crate::web::paths;

/// The warning listing slowed accounts; nothing when there are none.
pub fn section(accounts: &[SlowedAccount], csrf: &str, tz: &TimeZone) -> Markup {
    html! {
        @if !accounts.is_empty() {
            section.alert.warning role="alert" #sign-in-alerts {
                strong { "Repeated wrong passwords. " }
                "Someone has been trying passwords on these accounts; each further try now has to wait. "
                "If it was the person themselves, let them try again now; if not, ask who was at that tablet."
                ul {
                    @for account in accounts {
                        li {
                            (account.user.name.as_str()) " (" (account.user.username.as_str()) "): "
                            (account.failures) " wrong passwords, the last at " (when(account.last_failure, tz))
                            "; next try allowed at " (when(account.next_try_at, tz)) ". "
                            form.inline-form method="post" action=(paths::let_try_again(account.user.id)) {
                                (form_keys(csrf))
                                button.button type="submit" { "Let them try again now" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /team/{id}/let-try-again`: forgets the account's wrong passwords.
pub async fn let_try_again(
    State(state): State<AppState>,
    PageId(id): PageId,
    Submitted { viewer, .. }: Submitted,
) -> Result<Response, PageError> {
    let user_id = UserId::from_uuid(id);
    act(
        &state,
        &viewer,
        move |crm, actor| crm.let_try_again(actor, user_id),
        |_| paths::team().done("try-again"),
    )
    .await
}
