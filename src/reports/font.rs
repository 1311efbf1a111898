//! The Noto Sans faces built into the binary for PDFs: glyph lookup, text widths, and
//! the glyphs a document used, written out as subset CID fonts that text can be
//! copied from.
//!
//! There is no shaping: one character draws one glyph, so Latin text, digits and ₹
//! come out right, and a character the face lacks (Bengali, Devanagari…) is drawn as
//! `?` rather than as an empty box or not at all.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Finish, Name, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

/// The character drawn in place of one the face has no glyph for.
pub const MISSING: char = '?';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    /// The name the page resources give the face (`/F1`, `/F2`).
    pub fn resource(self) -> Name<'static> {
        match self {
            Weight::Regular => Name(b"F1"),
            Weight::Bold => Name(b"F2"),
        }
    }

    fn face(self) -> &'static Font {
        match self {
            Weight::Regular => &REGULAR,
            Weight::Bold => &BOLD,
        }
    }
}

/// One parsed face and what the PDF needs to know about it.
#[derive(Debug)]
struct Font {
    data: &'static [u8],
    face: Face<'static>,
    postscript_name: &'static str,
}

/// The faces are part of the binary, so failing to parse them is a build mistake that
/// the unit tests catch, not something input can cause.
fn load(data: &'static [u8], postscript_name: &'static str) -> Font {
    let face = Face::parse(data, 0).expect("the built-in Noto Sans face parses");
    Font {
        data,
        face,
        postscript_name,
    }
}

static REGULAR: LazyLock<Font> = LazyLock::new(|| {
    load(
        include_bytes!("fonts/NotoSans-Regular.ttf"),
        "NotoSans-Regular",
    )
});
static BOLD: LazyLock<Font> =
    LazyLock::new(|| load(include_bytes!("fonts/NotoSans-Bold.ttf"), "NotoSans-Bold"));

impl Font {
    /// The glyph that draws `c`, and the character it stands for in copied text:
    /// `c` itself, a space for other white space, or `?` when the face lacks it.
    fn glyph(&self, c: char) -> (GlyphId, char) {
        let c = if c.is_whitespace() { ' ' } else { c };
        match self.face.glyph_index(c) {
            Some(id) if id.0 != 0 && !c.is_control() => (id, c),
            _ => (
                self.face.glyph_index(MISSING).unwrap_or(GlyphId(0)),
                MISSING,
            ),
        }
    }

    /// Advance width in thousandths of the font size, the unit of PDF's `/W` array.
    fn advance(&self, id: GlyphId) -> f32 {
        let advance = self.face.glyph_hor_advance(id).unwrap_or(0);
        f32::from(advance) * 1000.0 / f32::from(self.face.units_per_em())
    }

    fn scaled(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / f32::from(self.face.units_per_em())
    }
}

/// Whether the face has a real glyph for `c` (not the empty .notdef box).
#[cfg(test)]
pub fn has_glyph(weight: Weight, c: char) -> bool {
    weight.face().glyph(c).1 == c
}

/// The width of `text` set in `weight` at `size` points.
pub fn text_width(weight: Weight, size: f32, text: &str) -> f32 {
    let font = weight.face();
    let thousandths: f32 = text.chars().map(|c| font.advance(font.glyph(c).0)).sum();
    thousandths * size / 1000.0
}

/// The glyphs one document draws with one face, numbered as its subset will number
/// them; the numbers go into the page content as two-byte CIDs (Identity-H).
#[derive(Debug)]
pub struct UsedGlyphs {
    weight: Weight,
    remapper: GlyphRemapper,
    /// Subset glyph id → the character it draws, for the ToUnicode map.
    text: BTreeMap<u16, char>,
}

impl UsedGlyphs {
    pub fn new(weight: Weight) -> Self {
        Self {
            weight,
            remapper: GlyphRemapper::new(),
            text: BTreeMap::new(),
        }
    }

    /// The content-stream bytes that draw `text`, noting each glyph for the subset.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        let font = self.weight.face();
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (id, shown) = font.glyph(c);
            let cid = self.remapper.remap(id.0);
            self.text.entry(cid).or_insert(shown);
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        bytes
    }

    /// Writes the font as Type0 → CIDFontType2 → descriptor → subset TrueType file, with
    /// its `/W` widths and ToUnicode map, under `type0`; uses the references after
    /// `next` for the parts.
    pub fn write(&self, chunk: &mut Chunk, type0: Ref, next: &mut Ref) {
        let font = self.weight.face();
        let (cid_ref, descriptor_ref, cmap_ref, file_ref) =
            (next.bump(), next.bump(), next.bump(), next.bump());
        let base_name = format!("{}+{}", self.subset_tag(), font.postscript_name);
        let base = Name(base_name.as_bytes());
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        chunk
            .type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        // The subset numbers glyphs as the remapper did, so CID = subset glyph id. Should
        // subsetting ever fail, the whole face goes in with a map back to its own ids.
        let subset = subsetter::subset(font.data, 0, &self.remapper).ok();
        let mut cid = chunk.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(system_info)
            .font_descriptor(descriptor_ref)
            .default_width(0.0);
        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|gid| font.advance(GlyphId(gid)))
            .collect();
        cid.widths().consecutive(0, widths);
        let gid_map_ref = subset.is_none().then(|| next.bump());
        match gid_map_ref {
            None => cid.cid_to_gid_map_predefined(Name(b"Identity")),
            Some(map) => cid.cid_to_gid_map_stream(map),
        };
        cid.finish();
        if let Some(map) = gid_map_ref {
            let bytes: Vec<u8> = self
                .remapper
                .remapped_gids()
                .flat_map(u16::to_be_bytes)
                .collect();
            chunk.stream(map, &bytes);
        }

        let face = &font.face;
        let bbox = face.global_bounding_box();
        let mut flags = FontFlags::SYMBOLIC;
        flags.set(FontFlags::ITALIC, face.is_italic());
        let weight = f32::from(face.weight().to_number());
        chunk
            .font_descriptor(descriptor_ref)
            .name(base)
            .flags(flags)
            .bbox(Rect::new(
                font.scaled(bbox.x_min),
                font.scaled(bbox.y_min),
                font.scaled(bbox.x_max),
                font.scaled(bbox.y_max),
            ))
            .italic_angle(face.italic_angle())
            .ascent(font.scaled(face.ascender()))
            .descent(font.scaled(face.descender()))
            .cap_height(font.scaled(face.capital_height().unwrap_or(face.ascender())))
            .stem_v(10.0 + 0.244 * (weight - 50.0))
            .font_file2(file_ref);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        for (&cid, &c) in &self.text {
            cmap.pair(cid, c);
        }
        chunk.cmap(cmap_ref, cmap.finish().as_slice());
        chunk.stream(file_ref, subset.as_deref().unwrap_or(font.data));
    }

    /// Six capital letters that name this subset, as PDF asks of subset fonts; derived
    /// from the glyphs in it so the same glyphs always give the same name.
    fn subset_tag(&self) -> String {
        let mut hash: u32 = 0x811c_9dc5;
        for gid in self.remapper.remapped_gids() {
            for byte in gid.to_be_bytes() {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
        (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_draw_the_rupee_sign_and_lack_bengali() {
        for weight in [Weight::Regular, Weight::Bold] {
            assert!(has_glyph(weight, '₹'), "{weight:?} has ₹");
            assert!(has_glyph(weight, 'A'));
            assert!(!has_glyph(weight, 'স'), "{weight:?} has no Bengali");
        }
    }

    #[test]
    fn missing_characters_become_question_marks_of_the_same_width() {
        let mut used = UsedGlyphs::new(Weight::Regular);
        let bytes = used.encode("সুমন Das");
        assert_eq!(bytes.len(), 8 * 2, "one glyph per character");
        let shown: String = bytes
            .chunks(2)
            .map(|pair| used.text[&u16::from_be_bytes([pair[0], pair[1]])])
            .collect();
        assert_eq!(shown, "???? Das");
        assert_eq!(
            text_width(Weight::Regular, 10.0, "সুমন"),
            text_width(Weight::Regular, 10.0, "????")
        );
    }

    #[test]
    fn widths_grow_with_size_and_bold_is_wider() {
        let regular = text_width(Weight::Regular, 10.0, "₹1,23,456.70");
        assert!(regular > 40.0 && regular < 80.0, "{regular}");
        assert!((text_width(Weight::Regular, 20.0, "₹1,23,456.70") - 2.0 * regular).abs() < 0.01);
        assert!(
            text_width(Weight::Bold, 10.0, "Sarkar") > text_width(Weight::Regular, 10.0, "Sarkar")
        );
    }
}
