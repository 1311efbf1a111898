//! `GET /api/sales/{id}/invoice.pdf`: a completed sale's GST tax invoice as a PDF
//! download, made from the same `app::Invoice` as the printable page.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::domain::SaleId;
use crate::reports;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Auth, PathId};

/// The file name a browser saves the invoice as: `SJ-26-27-000001.pdf`. Anything but
/// ASCII letters and digits becomes `-`, so the header is always valid.
fn file_name(invoice_no: &str) -> String {
    let stem: String = invoice_no
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{stem}.pdf")
}

/// The GST tax invoice of a completed (or since refunded) sale, as an A4 PDF. A
/// pending or cancelled sale has no invoice (409).
#[utoipa::path(get, path = "/api/sales/{id}/invoice.pdf", tag = "sales", params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The invoice", content_type = "application/pdf", body = [u8]),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<impl IntoResponse, AppError> {
    // Laying out and subsetting fonts is CPU work: it stays on the blocking pool.
    let (number, pdf) = state
        .crm
        .run(move |crm| {
            let invoice = crm.invoice_with_logo_image(&actor, SaleId::from_uuid(id))?;
            Ok((invoice.number().to_owned(), reports::invoice_pdf(&invoice)))
        })
        .await?;
    let disposition = format!("attachment; filename=\"{}\"", file_name(&number));
    let headers = [
        (header::CONTENT_TYPE, "application/pdf".to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, pdf))
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_have_no_slashes() {
        assert_eq!(file_name("SJ/26-27/000001"), "SJ-26-27-000001.pdf");
        assert_eq!(file_name("SJ/2026-27/00001"), "SJ-2026-27-00001.pdf");
        assert_eq!(file_name("A\"B/1"), "A-B-1.pdf");
    }
}
