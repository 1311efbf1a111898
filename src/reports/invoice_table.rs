//! The invoice's table of lines: thirteen narrow columns in a small type, the
//! description wrapped, numbers right-aligned, and the header repeated on every page
//! the table runs on to.

use crate::app::HSN_JEWELLERY;
use crate::domain::{MakingCharge, Paise, SaleLine};

use super::pdf::{Align, Document, MARGIN, Style};

const BODY: Style = Style::regular(7.0);
const NOTE: Style = Style::regular(6.0).muted();
const HEAD: Style = Style::bold(6.5);
/// Space between a cell's text and its edges.
const PAD_X: f32 = 2.5;
const PAD_Y: f32 = 3.5;

#[derive(Clone, Copy)]
struct Column {
    title: &'static [&'static str],
    width: f32,
    align: Align,
}

const fn col(title: &'static [&'static str], width: f32, align: Align) -> Column {
    Column {
        title,
        width,
        align,
    }
}

/// Widths add up to the text area (595.28 − 2 × 36 points). Amounts leave out the ₹ the
/// headers already say; the totals below the table carry it.
const COLUMNS: [Column; 13] = [
    col(&["#"], 14.0, Align::Center),
    col(&["Description"], 103.28, Align::Left),
    col(&["HSN"], 24.0, Align::Left),
    col(&["Purity"], 26.0, Align::Left),
    col(&["Qty"], 16.0, Align::Right),
    col(&["Gross", "wt"], 38.0, Align::Right),
    col(&["Net", "wt"], 38.0, Align::Right),
    col(&["Rate", "₹/g"], 40.0, Align::Right),
    col(&["Metal", "value ₹"], 48.0, Align::Right),
    col(&["Making", "₹"], 46.0, Align::Right),
    col(&["Stones", "₹"], 40.0, Align::Right),
    col(&["Discount", "₹"], 40.0, Align::Right),
    col(&["Taxable", "value ₹"], 50.0, Align::Right),
];

const DESCRIPTION: usize = 1;
const HSN: usize = 2;
const VALUE: usize = 12;

/// Which columns the table has: a tax invoice shows each line's HSN code and taxable
/// value; a bill of supply charges no tax, so it has neither (the description takes
/// the HSN column's room, and the last column is the line's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    TaxInvoice,
    BillOfSupply,
}

impl Columns {
    fn list(self) -> Vec<Column> {
        let mut columns = COLUMNS.to_vec();
        if self == Self::BillOfSupply {
            columns[DESCRIPTION].width += COLUMNS[HSN].width;
            columns[VALUE].title = &["Value", "₹"];
            columns.remove(HSN);
        }
        columns
    }

    /// The row's cells for these columns, from the tax invoice's thirteen.
    fn pick(self, mut cells: Vec<Cell>) -> Vec<Cell> {
        if self == Self::BillOfSupply {
            cells.remove(HSN);
        }
        cells
    }
}

/// An amount without the rupee sign, grouped the Indian way: `1,23,456.70`.
pub fn plain(amount: Paise) -> String {
    amount.to_string().replacen('₹', "", 1)
}

/// How the making charge was worked out, under its amount.
fn making_basis(charge: MakingCharge) -> String {
    match charge {
        MakingCharge::PerGramPaise(rate) => format!("{rate}/g"),
        MakingCharge::PercentBp(bp) => format!("{bp} of metal"),
        MakingCharge::FlatPaise(_) => "flat".to_owned(),
    }
}

/// One cell: its lines of text, each with its style.
type Cell = Vec<(String, Style)>;

fn cells(columns: Columns, number: usize, line: &SaleLine) -> Vec<Cell> {
    let one = |text: String| vec![(text, BODY)];
    let desc_width = columns.list()[DESCRIPTION].width - 2.0 * PAD_X;
    let mut description: Cell = BODY
        .wrap(line.description.as_str(), desc_width)
        .into_iter()
        .map(|l| (l, BODY))
        .collect();
    description.push((format!("SKU {}", line.sku.as_str()), NOTE));
    if let Some(huid) = &line.huid {
        description.push((format!("HUID {}", huid.as_str()), NOTE));
    }
    let rate = if line.rate_per_gram == Paise::ZERO {
        "fixed price".to_owned()
    } else {
        plain(line.rate_per_gram)
    };
    let all = vec![
        one(number.to_string()),
        description,
        one(HSN_JEWELLERY.to_owned()),
        one(line.purity.label()),
        one(line.quantity.to_string()),
        one(line.gross_weight.to_string()),
        one(line.net_weight.to_string()),
        one(rate),
        one(plain(line.metal_value)),
        vec![
            (plain(line.making_amount), BODY),
            (making_basis(line.making_charge), NOTE),
        ],
        one(plain(line.stone_value)),
        one(plain(line.discount)),
        vec![(plain(line.taxable_value), Style::bold(7.0))],
    ];
    columns.pick(all)
}

fn cell_height(cell: &Cell) -> f32 {
    cell.iter().map(|(_, s)| s.line_height()).sum()
}

/// Draws `cells` as one row whose top is at the cursor, and moves the cursor below it.
fn draw_row(doc: &mut Document, columns: &[Column], cells: &[Cell], height: f32) {
    let mut x = MARGIN;
    for (column, cell) in columns.iter().zip(cells) {
        let inner = column.width - 2.0 * PAD_X;
        let anchor = match column.align {
            Align::Left => x + PAD_X,
            Align::Right => x + column.width - PAD_X,
            Align::Center => x + column.width / 2.0,
        };
        let mut baseline = doc.y + PAD_Y;
        for (text, style) in cell {
            baseline += style.line_height() * 0.8;
            doc.text(
                anchor,
                baseline,
                column.align,
                style.fitted(text, inner),
                text,
            );
            baseline += style.line_height() * 0.2;
        }
        x += column.width;
    }
    doc.y += height;
}

/// The shaded header row, at the cursor.
pub fn draw_header(doc: &mut Document, columns: Columns) {
    let columns = columns.list();
    let head: Vec<Cell> = columns
        .iter()
        .map(|c| c.title.iter().map(|t| ((*t).to_owned(), HEAD)).collect())
        .collect();
    let height = 2.0 * HEAD.line_height() + 2.0 * PAD_Y;
    doc.shade(MARGIN, doc.y, super::pdf::RIGHT - MARGIN, height, 0.9);
    draw_row(doc, &columns, &head, height);
}

/// Draws every line of the bill, starting a new page (with `continued` drawn at its
/// top, then the header again) whenever the next row would not fit.
pub fn draw_lines(
    doc: &mut Document,
    columns: Columns,
    lines: &[SaleLine],
    continued: &dyn Fn(&mut Document),
) {
    let widths = columns.list();
    draw_header(doc, columns);
    for (i, line) in lines.iter().enumerate() {
        let row = cells(columns, i + 1, line);
        let height = row.iter().map(cell_height).fold(0.0, f32::max) + 2.0 * PAD_Y;
        if !doc.fits(height) {
            doc.new_page();
            continued(doc);
            draw_header(doc, columns);
        }
        draw_row(doc, &widths, &row, height);
        doc.rule(MARGIN, super::pdf::RIGHT, doc.y, 0.4, 0.75);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::BasisPoints;

    #[test]
    fn columns_fill_the_text_area_exactly() {
        for columns in [Columns::TaxInvoice, Columns::BillOfSupply] {
            let total: f32 = columns.list().iter().map(|c| c.width).sum();
            assert!(
                (total - (super::super::pdf::RIGHT - MARGIN)).abs() < 0.01,
                "{total}"
            );
        }
        let bill: Vec<_> = Columns::BillOfSupply
            .list()
            .iter()
            .map(|c| c.title)
            .collect();
        assert_eq!(bill.len(), 12);
        assert!(!bill.contains(&&["HSN"][..]) && bill[11] == ["Value", "₹"]);
    }

    #[test]
    fn amounts_and_making_read_as_on_a_bill() {
        assert_eq!(plain(Paise::new(1_23_456_70)), "1,23,456.70");
        assert_eq!(plain(Paise::new(-500_00)), "-500.00");
        assert_eq!(
            making_basis(MakingCharge::PerGramPaise(Paise::new(520_00))),
            "₹520.00/g"
        );
        let twelve = BasisPoints::new(1_200).expect("12%");
        assert_eq!(
            making_basis(MakingCharge::PercentBp(twelve)),
            "12% of metal"
        );
        assert_eq!(making_basis(MakingCharge::FlatPaise(Paise::ZERO)), "flat");
    }
}
