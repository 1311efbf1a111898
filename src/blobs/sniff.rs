//! What a stored file is, told from its first bytes and never from its name, and the
//! name it is shown under.
//!
//! A browser sends whatever name and type the phone gave the file; a web page saved as
//! `photo.jpg` is still a web page, and showing it back from the store's own address
//! would run its scripts there. So the kind is read from the magic bytes, and only the
//! five kinds below are kept.

/// How many bytes from the start of a file [`sniff`] looks at. Reading more does no
/// harm; fewer may leave a HEIC file's brands unread.
pub const SNIFF_LEN: usize = 64;

/// The kinds of file the store keeps (a record type, so it lives in `domain`).
pub use crate::domain::FileType;

/// A file whose first bytes are none of the kinds the store keeps. Each message says
/// what the file seems to be, when that can be told, and what to choose instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotAllowed {
    #[error("this file is empty; {ACCEPTED}")]
    Empty,
    #[error("this file holds HTML (a web page), not a photo or PDF; {ACCEPTED}")]
    Html,
    #[error("this file is an SVG drawing, which the store does not keep; {ACCEPTED}")]
    Svg,
    #[error("this file holds plain text, not a photo or PDF; {ACCEPTED}")]
    Text,
    #[error(
        "this file is a ZIP archive or an Office document (Word, Excel), not a photo or PDF; \
         save the document as PDF, or {ACCEPTED}"
    )]
    ZipOrOffice,
    #[error(
        "this file is an older Office document (Word, Excel), not a photo or PDF; \
         save the document as PDF, or {ACCEPTED}"
    )]
    OldOffice,
    #[error("this file is a GIF picture, which the store does not keep; {ACCEPTED}")]
    Gif,
    #[error("this file is a BMP picture, which the store does not keep; {ACCEPTED}")]
    Bmp,
    #[error(
        "this file is a TIFF picture or a camera RAW file, which the store does not keep; \
         export it as JPEG, or {ACCEPTED}"
    )]
    Tiff,
    #[error("this file is an AVIF picture, which the store does not keep yet; {ACCEPTED}")]
    Avif,
    #[error("this file is a video, not a photo; {ACCEPTED}")]
    Video,
    #[error("this file is a program or script, which the store never keeps; {ACCEPTED}")]
    Executable,
    #[error("this file is not a photo or PDF the store can keep; {ACCEPTED}")]
    Unknown,
}

/// What every [`NotAllowed`] message ends with.
const ACCEPTED: &str = "choose a JPEG, PNG or WebP photo, or a PDF";

/// HEIF brands of still pictures coded with HEVC (HEIC) or of HEIF in general.
/// `mif1` and `msf1` are generic HEIF brands that AVIF files list too, so a file
/// whose brands name AVIF is taken as AVIF first.
const HEIC_BRANDS: [&[u8; 4]; 7] = [
    b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1",
];
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];

/// What the file is, from its first bytes (give it at least [`SNIFF_LEN`] of them, or
/// the whole file when it is shorter).
pub fn sniff(head: &[u8]) -> Result<FileType, NotAllowed> {
    if head.is_empty() {
        return Err(NotAllowed::Empty);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(FileType::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileType::Png);
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Ok(FileType::Webp);
    }
    if head.starts_with(b"%PDF-") {
        return Ok(FileType::Pdf);
    }
    if head.get(4..8) == Some(b"ftyp") {
        return iso_media(head);
    }
    Err(not_allowed(head))
}

/// An ISO media file (the `ftyp` box at offset 4): a HEIC photo, an AVIF picture or a
/// video, told apart by the brands the box lists.
fn iso_media(head: &[u8]) -> Result<FileType, NotAllowed> {
    // The box's size comes first; the brands are the major brand at 8..12 and the
    // compatible brands from 16 to the end of the box (or of what was read).
    let size = head
        .get(0..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, |b| u32::from_be_bytes(b) as usize);
    let end = size.clamp(12, head.len().max(12)).min(head.len());
    let major = head.get(8..12);
    let compatible = head.get(16..end).unwrap_or_default().chunks_exact(4);
    let brands: Vec<&[u8]> = major.into_iter().chain(compatible).collect();
    let is = |list: &[&[u8; 4]]| brands.iter().any(|b| list.iter().any(|l| *b == &l[..]));
    if is(&AVIF_BRANDS) {
        Err(NotAllowed::Avif)
    } else if is(&HEIC_BRANDS) {
        Ok(FileType::Heic)
    } else {
        // MP4 and QuickTime (`isom`, `mp42`, `qt  `…) are what phones record video in.
        Err(NotAllowed::Video)
    }
}

/// Names what a refused file seems to be, for the message.
fn not_allowed(head: &[u8]) -> NotAllowed {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"GIF87a") || starts(b"GIF89a") {
        NotAllowed::Gif
    } else if starts(b"BM") && head.len() >= 14 {
        NotAllowed::Bmp
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        NotAllowed::Tiff
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        NotAllowed::ZipOrOffice
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        NotAllowed::OldOffice
    } else if starts(b"MZ")
        || starts(b"\x7fELF")
        || starts(b"#!")
        || starts(&[0xCF, 0xFA, 0xED, 0xFE])
        || starts(&[0xCE, 0xFA, 0xED, 0xFE])
        || starts(&[0xCA, 0xFE, 0xBA, 0xBE])
    {
        NotAllowed::Executable
    } else if starts(b"RIFF") && matches!(head.get(8..12), Some(b"AVI ")) {
        NotAllowed::Video
    } else {
        markup_or_text(head)
    }
}

/// HTML, SVG or plain text, looking past a byte-order mark and leading white space.
fn markup_or_text(head: &[u8]) -> NotAllowed {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let body = body.trim_ascii_start();
    let lower = body.to_ascii_lowercase();
    let html_starts: [&[u8]; 8] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<script",
        b"<iframe",
        b"<meta",
        b"<!--",
    ];
    if html_starts.iter().any(|tag| lower.starts_with(tag)) {
        return NotAllowed::Html;
    }
    if lower.starts_with(b"<svg") || (lower.starts_with(b"<?xml") && contains(&lower, b"<svg")) {
        return NotAllowed::Svg;
    }
    // Other XML, or a page that starts with some other tag, is still markup a browser
    // may run.
    if lower.starts_with(b"<?xml") || (lower.starts_with(b"<") && contains(&lower, b"html")) {
        return NotAllowed::Html;
    }
    // Text: valid UTF-8 (allowing a character cut off at the end of what was read) with
    // no control characters other than tabs and line breaks.
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(cut) if cut.error_len().is_none() => {
            std::str::from_utf8(&body[..cut.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return NotAllowed::Unknown,
    };
    if !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    {
        NotAllowed::Text
    } else {
        NotAllowed::Unknown
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The longest name kept for display, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// A file name that cannot be kept as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadName {
    #[error("the file has no name; rename it, e.g. to photo.jpg, and upload it again")]
    Empty,
    #[error(
        "the file name “{0}” has a / or \\ in it, which file names here cannot have; \
         rename the file without them and upload it again"
    )]
    PathCharacter(String),
    #[error(
        "the file name “{0}” has two dots in a row, which file names here cannot have; \
         rename the file and upload it again"
    )]
    DotDot(String),
    #[error(
        "the file name has a hidden or control character in it (U+{0:04X}); \
         rename the file, typing the name afresh, and upload it again"
    )]
    HiddenCharacter(u32),
}

/// The name a file is shown under: trimmed, and cut to [`MAX_NAME_CHARS`] characters
/// keeping its extension. Names that could reach another folder (`/`, `\`, `..`) or
/// hide what they say (control and bidirectional characters, which can make
/// `photo`, U+202E, `gpj.exe` show as `photoexe.jpg`) are refused rather than cleaned, so the
/// owner sees the name that will be stored.
pub fn check_file_name(name: &str) -> Result<String, BadName> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BadName::Empty);
    }
    if let Some(hidden) = name.chars().find(|&c| c.is_control() || is_hiding(c)) {
        return Err(BadName::HiddenCharacter(u32::from(hidden)));
    }
    if name.contains(['/', '\\']) {
        return Err(BadName::PathCharacter(name.to_owned()));
    }
    if name.contains("..") {
        return Err(BadName::DotDot(name.to_owned()));
    }
    Ok(shorten(name))
}

/// Unicode format characters that reorder or hide text: zero-width characters,
/// bidirectional marks, embeddings, overrides and isolates, and the byte-order mark.
fn is_hiding(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Cuts a long name in its stem, so `…very long name.jpg` keeps `.jpg`.
fn shorten(name: &str) -> String {
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_owned();
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().count() <= 10 => (stem, ext),
        _ => (name, ""),
    };
    let keep = if extension.is_empty() {
        MAX_NAME_CHARS
    } else {
        MAX_NAME_CHARS - extension.chars().count() - 1
    };
    let stem: String = stem.chars().take(keep).collect();
    let stem = stem.trim_end();
    if extension.is_empty() {
        stem.to_owned()
    } else {
        format!("{stem}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/images/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_five_kinds_are_told_from_their_bytes() {
        assert_eq!(sniff(&fixture("upright.jpg")), Ok(FileType::Jpeg));
        assert_eq!(sniff(&fixture("logo.png")), Ok(FileType::Png));
        assert_eq!(sniff(&fixture("photo.webp")), Ok(FileType::Webp));
        assert_eq!(sniff(&fixture("photo.heic")), Ok(FileType::Heic));
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Ok(FileType::Pdf));
        // Only the first bytes are needed.
        assert_eq!(sniff(&fixture("upright.jpg")[..3]), Ok(FileType::Jpeg));
    }

    #[test]
    fn heic_brands_are_read_from_the_whole_ftyp_box() {
        // An iPhone's major brand, then a HEIF file whose HEIC brand is only listed
        // among the compatible ones.
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(sniff(heic), Ok(FileType::Heic));
        let mif1 = b"\0\0\0\x18ftypmif1\0\0\0\0heixmiaf";
        assert_eq!(sniff(mif1), Ok(FileType::Heic));
        // AVIF lists mif1 too, but is not HEIC.
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert_eq!(sniff(avif), Err(NotAllowed::Avif));
        let mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";
        assert_eq!(sniff(mp4), Err(NotAllowed::Video));
        // A box size smaller than its header must not panic.
        assert_eq!(sniff(b"\0\0\0\x01ftypheic"), Ok(FileType::Heic));
    }

    #[test]
    fn a_jpg_name_holding_html_is_refused_as_html() {
        let error = sniff(&fixture("not_really.jpg")).expect_err("HTML is not a photo");
        assert_eq!(error, NotAllowed::Html);
        assert_eq!(
            error.to_string(),
            "this file holds HTML (a web page), not a photo or PDF; \
             choose a JPEG, PNG or WebP photo, or a PDF"
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF\n  <HTML><body>hi</body></HTML>"),
            Err(NotAllowed::Html)
        );
        assert_eq!(sniff(b"<div>saved page html</div>"), Err(NotAllowed::Html));
    }

    #[test]
    fn refused_kinds_are_named() {
        let cases: [(&[u8], NotAllowed); 14] = [
            (b"", NotAllowed::Empty),
            (
                b"<svg xmlns=\"http://www.w3.org/2000/svg\">",
                NotAllowed::Svg,
            ),
            (b"<?xml version=\"1.0\"?>\n<svg>", NotAllowed::Svg),
            (b"Name,Phone\nRina,98300 12345\n", NotAllowed::Text),
            (b"PK\x03\x04\x14\0\x06\0", NotAllowed::ZipOrOffice),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", NotAllowed::OldOffice),
            (b"GIF89a\x01\0\x01\0", NotAllowed::Gif),
            (b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0", NotAllowed::Bmp),
            (b"II*\0\x08\0\0\0", NotAllowed::Tiff),
            (b"MZ\x90\0\x03\0", NotAllowed::Executable),
            (b"\x7fELF\x02\x01\x01", NotAllowed::Executable),
            (b"#!/bin/sh\nrm -rf /\n", NotAllowed::Executable),
            (b"RIFF\0\0\0\0AVI LIST", NotAllowed::Video),
            (b"\x00\x01\x02\x03\xFE", NotAllowed::Unknown),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff(bytes), Err(expected), "{bytes:?}");
            assert!(expected.to_string().ends_with(ACCEPTED), "{expected}");
        }
        // Text cut in the middle of a character at the end of what was read is text.
        assert_eq!(
            sniff("Mitali Sarkar, কলকাতা".as_bytes()[..24].as_ref()),
            Err(NotAllowed::Text)
        );
    }

    #[test]
    fn file_types_describe_themselves() {
        assert_eq!(FileType::Jpeg.mime(), "image/jpeg");
        assert_eq!(FileType::Heic.mime(), "image/heic");
        assert_eq!(FileType::Pdf.mime(), "application/pdf");
        assert_eq!(FileType::Webp.extension(), "webp");
        assert_eq!(FileType::Jpeg.extension(), "jpg");
        assert!(FileType::Png.is_image());
        assert!(FileType::Heic.is_image());
        assert!(!FileType::Pdf.is_image());
    }

    #[test]
    fn stored_file_types_keep_their_numbers() {
        // postcard writes the variant's position: these bytes are on disk already.
        let all = [
            FileType::Jpeg,
            FileType::Png,
            FileType::Webp,
            FileType::Heic,
            FileType::Pdf,
        ];
        for (number, file_type) in all.into_iter().enumerate() {
            let bytes = postcard::to_allocvec(&file_type).expect("serialises");
            assert_eq!(bytes, [u8::try_from(number).expect("small")]);
            assert_eq!(postcard::from_bytes::<FileType>(&bytes), Ok(file_type));
        }
    }

    #[test]
    fn file_names_are_trimmed_and_kept() {
        assert_eq!(
            check_file_name("  Ring design.jpg \n"),
            Ok("Ring design.jpg".to_owned())
        );
        assert_eq!(check_file_name("আংটি.png"), Ok("আংটি.png".to_owned()));
        assert_eq!(check_file_name(".hidden"), Ok(".hidden".to_owned()));
    }

    #[test]
    fn long_file_names_keep_their_extension() {
        let long = format!("{}.jpeg", "necklace ".repeat(30));
        let kept = check_file_name(&long).expect("a long name is shortened");
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.starts_with("necklace necklace"), "{kept}");
        assert!(kept.ends_with("necklac.jpeg"), "{kept}");
        let no_extension = "ন".repeat(200);
        let kept = check_file_name(&no_extension).expect("shortened");
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn names_that_reach_other_folders_or_hide_text_are_refused() {
        assert_eq!(check_file_name("   "), Err(BadName::Empty));
        for name in ["../../etc/passwd", "photos/ring.jpg", "C:\\Users\\ring.jpg"] {
            assert!(
                matches!(check_file_name(name), Err(BadName::PathCharacter(_))),
                "{name}"
            );
        }
        assert_eq!(check_file_name(".."), Err(BadName::DotDot("..".to_owned())));
        assert_eq!(
            check_file_name("ring\0.jpg"),
            Err(BadName::HiddenCharacter(0))
        );
        assert_eq!(
            check_file_name("ring\u{7}.jpg"),
            Err(BadName::HiddenCharacter(7))
        );
        assert_eq!(
            check_file_name("photo\u{202E}gpj.exe"),
            Err(BadName::HiddenCharacter(0x202E))
        );
        let message = check_file_name("a/b.jpg").expect_err("refused").to_string();
        assert!(message.contains("rename the file"), "{message}");
    }
}
