//! A small layout layer over pdf-writer: A4 pages measured from the top, text in the
//! built-in faces (aligned and wrapped by their real widths), rules, shaded boxes and
//! pictures (see `pdf_image`).
//!
//! Coordinates are points from the page's top-left corner, the way a layout is read;
//! PDF counts from the bottom, and only this file converts.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::font::{UsedGlyphs, Weight, text_width};
use super::pdf_image::PdfImage;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 36.0;
/// The right edge of the text area.
pub const RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// Content stops here; the running footer lives below.
pub const BOTTOM: f32 = PAGE_HEIGHT - 52.0;

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub weight: Weight,
    pub size: f32,
    /// 0 is black, 1 white.
    pub gray: f32,
}

impl Style {
    pub const fn regular(size: f32) -> Self {
        Self {
            weight: Weight::Regular,
            size,
            gray: 0.0,
        }
    }

    pub const fn bold(size: f32) -> Self {
        Self {
            weight: Weight::Bold,
            size,
            gray: 0.0,
        }
    }

    /// The same, in the grey used for labels and notes.
    pub const fn muted(self) -> Self {
        Self { gray: 0.35, ..self }
    }

    /// Baseline-to-baseline distance.
    pub fn line_height(self) -> f32 {
        self.size * 1.3
    }

    pub fn width(self, text: &str) -> f32 {
        text_width(self.weight, self.size, text)
    }

    /// The same style, smaller if need be so that `text` fits in `width`.
    pub fn fitted(self, text: &str, width: f32) -> Self {
        let natural = self.width(text);
        if natural <= width || natural <= 0.0 {
            return self;
        }
        Self {
            size: self.size * width / natural,
            ..self
        }
    }

    /// Breaks `text` into lines no wider than `width`, at spaces where it can and
    /// inside a word only when the word alone is too wide. Always at least one line.
    pub fn wrap(self, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// A document being laid out: its pages, the page being drawn on and a cursor `y`
/// (from the top) that layout code moves down as it goes.
pub struct Document {
    pages: Vec<Content>,
    current: usize,
    pub y: f32,
    regular: UsedGlyphs,
    bold: UsedGlyphs,
    /// The pictures drawn, each written once however many pages show it.
    images: Vec<PdfImage>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("pages", &self.pages.len())
            .field("current", &self.current)
            .field("y", &self.y)
            .finish_non_exhaustive()
    }
}

impl Document {
    /// A document with one empty page, the cursor at the top margin.
    pub fn new() -> Self {
        Self {
            pages: vec![Content::new()],
            current: 0,
            y: MARGIN,
            regular: UsedGlyphs::new(Weight::Regular),
            bold: UsedGlyphs::new(Weight::Bold),
            images: Vec::new(),
        }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Starts a new page and puts the cursor at its top.
    pub fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.current = self.pages.len() - 1;
        self.y = MARGIN;
    }

    /// Draws on an earlier page (for running footers once the page count is known).
    pub fn go_to_page(&mut self, index: usize) {
        self.current = index.min(self.pages.len() - 1);
    }

    /// Whether `height` more points fit above the footer.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= BOTTOM
    }

    /// Sets `text` with its baseline at `baseline`; `x` is its left edge, right edge or
    /// centre as `align` says.
    pub fn text(&mut self, x: f32, baseline: f32, align: Align, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let left = match align {
            Align::Left => x,
            Align::Right => x - style.width(text),
            Align::Center => x - style.width(text) / 2.0,
        };
        let glyphs = match style.weight {
            Weight::Regular => self.regular.encode(text),
            Weight::Bold => self.bold.encode(text),
        };
        let page = &mut self.pages[self.current];
        page.set_fill_gray(style.gray)
            .begin_text()
            .set_font(style.weight.resource(), style.size)
            .next_line(left, PAGE_HEIGHT - baseline)
            .show(Str(&glyphs))
            .end_text();
    }

    /// Sets `text` on the line whose top is the cursor, without moving the cursor.
    pub fn on_line(&mut self, x: f32, align: Align, style: Style, text: &str) {
        let baseline = self.y + style.line_height() * 0.8;
        self.text(x, baseline, align, style, text);
    }

    /// Sets `text` wrapped within `x..x + width` from the cursor down, moving the cursor
    /// below it.
    pub fn paragraph(&mut self, x: f32, width: f32, style: Style, text: &str) {
        for line in style.wrap(text, width) {
            self.on_line(x, Align::Left, style, &line);
            self.y += style.line_height();
        }
    }

    /// Starts a new page, and has `heading` draw its top, unless `height` still fits.
    pub fn keep_together(&mut self, height: f32, heading: &dyn Fn(&mut Document)) {
        if !self.fits(height) {
            self.new_page();
            heading(self);
        }
    }

    /// A horizontal line across `x1..x2` at `y`.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, gray: f32) {
        self.pages[self.current]
            .set_stroke_gray(gray)
            .set_line_width(width)
            .move_to(x1, PAGE_HEIGHT - y)
            .line_to(x2, PAGE_HEIGHT - y)
            .stroke();
    }

    /// A filled rectangle whose top-left corner is at (`x`, `y`).
    pub fn shade(&mut self, x: f32, y: f32, width: f32, height: f32, gray: f32) {
        self.pages[self.current]
            .set_fill_gray(gray)
            .rect(x, PAGE_HEIGHT - y - height, width, height)
            .fill_nonzero();
    }

    /// Draws `image` into the box whose top-left corner is at (`x`, `y`), `width` by
    /// `height` points (the caller keeps its proportions).
    pub fn image(&mut self, image: PdfImage, x: f32, y: f32, width: f32, height: f32) {
        let name = image_name(self.images.len());
        self.images.push(image);
        self.pages[self.current]
            .save_state()
            .transform([width, 0.0, 0.0, height, x, PAGE_HEIGHT - y - height])
            .x_object(Name(name.as_bytes()))
            .restore_state();
    }

    /// Writes the finished PDF: every page A4, the two faces subset to the glyphs used.
    pub fn finish(self, title: &str) -> Vec<u8> {
        let mut next = Ref::new(1);
        let catalog = next.bump();
        let tree = next.bump();
        let info = next.bump();
        let regular = next.bump();
        let bold = next.bump();
        let page_refs: Vec<(Ref, Ref)> = self
            .pages
            .iter()
            .map(|_| (next.bump(), next.bump()))
            .collect();
        let image_refs: Vec<Ref> = self.images.iter().map(|_| next.bump()).collect();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Sarkar CRM"));
        pdf.pages(tree)
            .kids(page_refs.iter().map(|(page, _)| *page))
            .count(page_refs.len() as i32);
        for ((page_ref, content_ref), content) in page_refs.iter().zip(self.pages) {
            let mut page = pdf.page(*page_ref);
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .contents(*content_ref);
            let mut resources = page.resources();
            resources
                .fonts()
                .pair(Weight::Regular.resource(), regular)
                .pair(Weight::Bold.resource(), bold);
            // Every page may name every picture; a document has one or two at most.
            if !image_refs.is_empty() {
                let mut objects = resources.x_objects();
                for (i, image) in image_refs.iter().enumerate() {
                    let name = image_name(i);
                    objects.pair(Name(name.as_bytes()), *image);
                }
            }
            resources.finish();
            page.finish();
            pdf.stream(*content_ref, &content.finish());
        }
        self.regular.write(&mut pdf, regular, &mut next);
        self.bold.write(&mut pdf, bold, &mut next);
        for (image, id) in self.images.iter().zip(image_refs) {
            image.write(&mut pdf, id, &mut next);
        }
        pdf.finish()
    }
}

/// A picture's name in the pages' resources: `Im0`, `Im1`…
fn image_name(index: usize) -> String {
    format!("Im{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_description_wraps_within_its_column() {
        let style = Style::regular(7.5);
        let text = "Antique temple necklace with Lakshmi pendant, kemp stones and pearl drops, handcrafted in Nagercoil";
        let lines = style.wrap(text, 100.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| style.width(l) <= 100.0), "{lines:?}");
        assert_eq!(lines.join(" "), text, "no word lost");
        let word = style.wrap("NK-22-0042-ANTIQUE-TEMPLE-LAKSHMI-HAAR", 40.0);
        assert!(
            word.len() > 1 && word.iter().all(|l| style.width(l) <= 40.0),
            "{word:?}"
        );
        assert_eq!(style.wrap("", 40.0), vec![String::new()]);
    }

    #[test]
    fn fitted_text_shrinks_only_when_too_wide() {
        let style = Style::regular(7.0);
        assert_eq!(style.fitted("1.00", 40.0), style);
        let squeezed = style.fitted("12,34,56,789.00", 40.0);
        assert!(squeezed.size < 7.0 && squeezed.width("12,34,56,789.00") <= 40.01);
    }
}
