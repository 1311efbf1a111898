//! The rates page (`/rates`): today's board with when each rate was set, the admin's
//! morning form to set new rates (all in one go), and the recent history.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

use crate::app::{Permission, RateInput};
use crate::domain::{FieldErrors, MetalRate, Paise, Purity};
use crate::web::AppState;
use crate::web::pages::shell::components::{Field, done_notice, error_summary};
use crate::web::pages::shell::error::PageError;
use crate::web::pages::shell::form_flow::{FormFlow, Typed, redirect_to};
use crate::web::pages::shell::format::when;
use crate::web::pages::shell::forms::form_keys;
use crate::web::pages::shell::layout::{live_rate_strip, page, purity_name};
use crate::web::pages::shell::session::{FormData, Params, Submitted, Viewer};
use crate::web::paths;

/// The form field of a purity's new rate: `rate-GOLD-916`.
fn field_name(purity: Purity) -> String {
    format!("rate-{}-{}", purity.metal().as_str(), purity.fineness())
}

/// `GET /rates/strip`: the strip of today's rates atop every page, alone, which the
/// strip fetches when a rate changes. The viewer of an htmx request carries no rates
/// (fragments do not draw the strip), so the board is read here.
pub async fn strip(State(state): State<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let rates = state.crm.run(move |crm| crm.rate_board(&actor)).await?;
    Ok(live_rate_strip(&viewer, &rates))
}

/// `GET /rates`
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Params(params): Params,
) -> Result<Markup, PageError> {
    let draft = FormData::default();
    render(
        &state,
        &viewer,
        &draft,
        &FieldErrors::new(),
        params.get("done"),
    )
    .await
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    draft: &FormData,
    errors: &FieldErrors,
    done: Option<&str>,
) -> Result<Markup, PageError> {
    let actor = viewer.actor.clone();
    let history: Vec<MetalRate> = state
        .crm
        .run(move |crm| crm.rate_history(&actor, 5))
        .await?;
    let tz = state.crm.config().time_zone();
    let shown: Vec<String> = viewer.rates.iter().map(|l| field_name(l.purity)).collect();
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let content = html! {
        (done_notice(done))
        section.card.wide {
            h2 { "In force now" }
            table.list #rate-board {
                thead { tr {
                    th scope="col" { "Purity" }
                    th scope="col" .num { "Rate per gram" }
                    th scope="col" .hide-narrow { "Set" }
                } }
                tbody {
                    @for line in &viewer.rates {
                        tr {
                            td { (purity_name(line)) }
                            td.num {
                                @match &line.rate { Some(r) => (r.per_gram.to_string()), None => span.sub { "not set" } }
                            }
                            td.hide-narrow {
                                @if let Some(r) = &line.rate { (when(r.set_at, &tz)) } @else { "—" }
                            }
                        }
                    }
                }
            }
        }
        @if viewer.actor.may(Permission::SetRates) {
            form.form-card #rates-form method="post" action=(paths::rates()) novalidate {
                h2 { "Set new rates" }
                p.hint { "Rupees per gram; leave a line empty to keep its rate. Sales already made keep the rate they were priced at." }
                (form_keys(&viewer.csrf))
                (error_summary(errors, &shown))
                div.grid {
                    @for line in &viewer.rates {
                        @let name = field_name(line.purity);
                        @let now = line.rate.as_ref().map_or("Not set yet".to_owned(), |r| format!("Now {}", r.per_gram));
                        @let title = purity_name(line);
                        (Field::new(&name, &title, draft.get(&name).unwrap_or("")).attr("inputmode", "decimal")
                            .hint(&now).render(errors))
                    }
                }
                div.form-actions {
                    button.button.primary type="submit" { "Save rates" }
                }
            }
        }
        section.card.wide {
            h2 { "Recent changes" }
            @if history.is_empty() {
                p.empty { "No rates have been set yet." }
            } @else {
                table.list #rate-history {
                    thead { tr {
                        th scope="col" { "When" }
                        th scope="col" { "Purity" }
                        th scope="col" .num { "Rate per gram" }
                    } }
                    tbody {
                        @for r in history.iter().take(20) {
                            tr {
                                td { (when(r.set_at, &tz)) }
                                td { (r.purity.label()) " " (r.purity.metal().label().to_lowercase()) }
                                td.num { (r.per_gram.to_string()) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(viewer, "Metal rates", html! {}, content))
}

/// `POST /rates`: the morning's rates, saved together or not at all.
pub async fn update(
    State(state): State<AppState>,
    Submitted { viewer, form }: Submitted,
) -> Result<Response, PageError> {
    viewer.actor.require(Permission::SetRates)?;
    // The app names lines by position (`rates[1].per_gram_paise`); the form by purity.
    let mut names = Vec::new();
    let typed = Typed::read(|errors| {
        let mut inputs = Vec::new();
        for line in &viewer.rates {
            let name = field_name(line.purity);
            let Some(raw) = form.text(&name) else {
                continue;
            };
            match Paise::parse_rupees(&raw) {
                Ok(paise) => {
                    inputs.push(RateInput {
                        metal: line.purity.metal(),
                        purity: line.purity.label(),
                        per_gram_paise: paise.get(),
                    });
                    names.push(name);
                }
                Err(message) => errors.add(name, message.to_string()),
            }
        }
        if inputs.is_empty() && errors.is_empty() {
            errors.add("rates", "type at least one new rate");
        }
        inputs
    });
    match FormFlow::new(&state, &viewer, typed)
        .conflicts_on("rates")
        .save(|crm, actor, inputs| crm.set_rates(actor, inputs))
        .await?
    {
        Ok(_) => Ok(redirect_to(paths::rates().done("saved"))),
        Err(mut refused) => {
            let mut errors = FieldErrors::new();
            for (field, message) in refused.errors.iter() {
                let line = field
                    .strip_prefix("rates[")
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| names.get(i));
                errors.add(line.map_or(field.as_str(), String::as_str), message.clone());
            }
            refused.errors = errors;
            Ok(refused.show(render(&state, &viewer, &form, &refused.errors, None).await?))
        }
    }
}
