//! What the customer and product reports share: the GET form of dates and floor kept
//! in the address, links to the exports with the same query, and a downloaded file.

use axum::response::Response;
use maud::{Markup, html};

use crate::app::Error;
use crate::domain::{FieldErrors, Floor};
use crate::reports::{ExportError, ExportFormat};
use crate::web::exports::attachment;
use crate::web::pages::shell::components::{icon, select};
use crate::web::pages::shell::session::FormData;
use crate::web::paths::Link;

/// The report's query as the address carries it, keys in `kept` only.
pub fn kept_query(params: &FormData, kept: &[&str]) -> String {
    let pairs: Vec<(&str, String)> = kept
        .iter()
        .filter_map(|k| params.text(k).map(|v| (*k, v)))
        .collect();
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The dates and, for an admin, the floor; `extra` adds the report's own fields.
pub fn range_form(
    action: &Link,
    params: &FormData,
    floors: Option<&[Floor]>,
    errors: &FieldErrors,
    extra: Markup,
) -> Markup {
    let value = |k: &str| params.get(k).unwrap_or("").to_owned();
    let date = |name: &str, text: &str| {
        let error = errors.get(name);
        html! {
            div.field.invalid[error.is_some()] {
                label for=(format!("filter-{name}")) { (text) }
                input #(format!("filter-{name}")) type="date" name=(name) value=(value(name))
                    aria-invalid=[error.map(|_| "true")];
                @if let Some(message) = error { p.field-error role="alert" { (message) } }
            }
        }
    };
    html! {
        form.filters.report-filters method="get" action=(action) {
            (date("from", "From"))
            (date("to", "To"))
            @if let Some(floors) = floors {
                @let options: Vec<(String, String)> = std::iter::once((String::new(), "All floors".to_owned()))
                    .chain(floors.iter().map(|f| (f.id.to_string(), f.name.as_str().to_owned())))
                    .collect();
                (select("floor_id", "Floor", &options, &value("floor_id"), errors))
            }
            (extra)
            div.field.filter-buttons {
                button.button type="submit" { (icon("search")) "Show" }
            }
        }
    }
}

/// The two download buttons of a report.
pub fn downloads(csv: Link, xlsx: Link, what: &str) -> Markup {
    html! {
        div.report-downloads {
            a.button #download-csv href=(csv) download { (icon("download")) "CSV" }
            a.button #download-xlsx href=(xlsx) download { (icon("download")) "Excel" }
            span.hint { (what) }
        }
    }
}

/// A finished report as a download named `name` (without its extension).
pub fn download(format: ExportFormat, name: &str, bytes: Vec<u8>) -> Response {
    attachment(
        format.content_type(),
        &format!("{name}.{}", format.extension()),
        bytes,
    )
}

/// An export that could not be written: a fault of ours, logged, never shown.
pub fn export_failed(err: ExportError) -> Error {
    Error::internal("writing a report's export", err)
}
