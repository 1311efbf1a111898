//! Tests of the photo copies, on the committed fixtures of tests/fixtures/images (made
//! by the script there).

use std::path::PathBuf;

use image::{GenericImageView, Rgba};

use super::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/images")
        .join(name)
}

fn prepare(name: &str) -> Result<Prepared, ImageError> {
    prepare_photo(&fixture(name), &PHOTO_WIDTHS, &ImageLimits::default())
}

fn decoded(copy: &PhotoCopy) -> DynamicImage {
    image::load_from_memory(&copy.bytes).expect("a copy decodes")
}

/// Close enough to `expected` for a JPEG's colours.
fn near(pixel: Rgba<u8>, expected: [u8; 3]) -> bool {
    pixel.0[..3]
        .iter()
        .zip(expected)
        .all(|(&got, want)| got.abs_diff(want) < 40)
}

/// The APP1 segments (EXIF, XMP) before a JPEG's image data.
fn app1_segments(jpeg: &[u8]) -> usize {
    let mut count = 0;
    let mut at = 2;
    while let Some(&[0xFF, kind, high, low]) = jpeg.get(at..at + 4) {
        if kind == 0xDA {
            break;
        }
        if kind == 0xE1 {
            count += 1;
        }
        at += 2 + usize::from(u16::from_be_bytes([high, low]));
    }
    count
}

#[test]
fn exif_orientation_turns_the_photo_upright() {
    // Stored 600 × 400 on its side, with orientation 6: upright it is 400 × 600, red on
    // top and blue below.
    let prepared = prepare("upright.jpg").expect("the photo is read");
    assert_eq!((prepared.width, prepared.height), (400, 600));
    for copy in &prepared.copies {
        let picture = decoded(copy);
        assert_eq!(picture.dimensions(), (copy.width, copy.height));
        assert!(copy.height > copy.width, "{copy:?} is not upright");
        let (w, h) = picture.dimensions();
        assert!(
            near(picture.get_pixel(w / 2, h / 8), [220, 20, 20]),
            "{copy:?}: top not red"
        );
        assert!(
            near(picture.get_pixel(w / 2, h * 7 / 8), [20, 40, 220]),
            "{copy:?}: bottom not blue"
        );
    }
}

#[test]
fn probe_reads_the_upright_size_from_the_header() {
    let limits = ImageLimits::default();
    let probed = probe(&fixture("upright.jpg"), &limits).expect("probed");
    assert_eq!(probed, (FileType::Jpeg, 400, 600));
    assert_eq!(
        probe(&fixture("logo.png"), &limits).expect("probed"),
        (FileType::Png, 320, 160)
    );
    assert_eq!(
        probe(&fixture("photo.webp"), &limits).expect("probed"),
        (FileType::Webp, 300, 200)
    );
}

#[test]
fn copies_carry_no_exif_and_no_location() {
    let original = std::fs::read(fixture("upright.jpg")).expect("fixture");
    assert_eq!(
        app1_segments(&original),
        1,
        "the fixture should have EXIF to strip"
    );
    let prepared = prepare("upright.jpg").expect("the photo is read");
    for copy in &prepared.copies {
        assert_eq!(copy.file_type, FileType::Jpeg);
        assert_eq!(
            app1_segments(&copy.bytes),
            0,
            "{copy:?} has an APP1 segment"
        );
        let has = |needle: &[u8]| copy.bytes.windows(needle.len()).any(|w| w == needle);
        assert!(!has(b"Exif\0\0"), "{copy:?} has EXIF");
        assert!(!has(b"SarkarTestCam"), "{copy:?} names the camera");
    }
}

#[test]
fn a_small_original_gives_one_copy_at_its_own_width() {
    // 400 wide: 240 as asked, and 480, 960 and 1600 all become one 400-wide copy.
    let prepared = prepare("upright.jpg").expect("the photo is read");
    let sizes: Vec<(u32, u32)> = prepared
        .copies
        .iter()
        .map(|c| (c.width, c.height))
        .collect();
    assert_eq!(sizes, [(240, 360), (400, 600)]);

    let webp = prepare("photo.webp").expect("the photo is read");
    let sizes: Vec<(u32, u32)> = webp.copies.iter().map(|c| (c.width, c.height)).collect();
    assert_eq!(sizes, [(240, 160), (300, 200)]);
    assert!(webp.copies.iter().all(|c| c.file_type == FileType::Jpeg));
}

#[test]
fn copies_of_a_large_photo_follow_the_widths_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("wide.png");
    let picture = image::RgbImage::from_fn(2000, 1000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    picture.save(&path).expect("saved");
    let prepared = prepare_photo(&path, &[1600, 240, 480, 960, 480], &ImageLimits::default())
        .expect("the photo is read");
    let sizes: Vec<(u32, u32)> = prepared
        .copies
        .iter()
        .map(|c| (c.width, c.height))
        .collect();
    assert_eq!(sizes, [(240, 120), (480, 240), (960, 480), (1600, 800)]);
    for copy in &prepared.copies {
        assert_eq!(decoded(copy).dimensions(), (copy.width, copy.height));
    }
}

#[test]
fn a_logo_with_transparency_stays_a_png() {
    let prepared = prepare("logo.png").expect("the logo is read");
    assert_eq!((prepared.width, prepared.height), (320, 160));
    for copy in &prepared.copies {
        assert_eq!(copy.file_type, FileType::Png, "{copy:?}");
        let picture = decoded(copy);
        assert!(picture.color().has_alpha());
        // The corner is transparent, the middle of the gold circle is not.
        assert_eq!(picture.get_pixel(0, 0).0[3], 0);
        let (w, h) = picture.dimensions();
        assert_eq!(picture.get_pixel(w * 80 / 320, h / 2).0[3], 255);
    }
}

#[test]
fn an_opaque_png_gives_jpeg_copies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("opaque.png");
    image::RgbaImage::from_pixel(300, 300, Rgba([10, 200, 10, 255]))
        .save(&path)
        .expect("saved");
    let prepared = prepare_photo(&path, &PHOTO_WIDTHS, &ImageLimits::default()).expect("read");
    assert!(
        prepared
            .copies
            .iter()
            .all(|c| c.file_type == FileType::Jpeg)
    );
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    // 30000 × 30000 pixels claimed in a few hundred bytes.
    let error = prepare("bomb.png").expect_err("the bomb is refused");
    assert!(
        matches!(
            error,
            ImageError::TooLarge {
                width: 30_000,
                height: 30_000,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("30000 × 30000"), "{message}");
    assert!(matches!(
        probe(&fixture("bomb.png"), &ImageLimits::default()),
        Err(ImageError::TooLarge { .. })
    ));
}

#[test]
fn a_header_past_the_memory_cap_is_refused_even_within_the_size_limits() {
    // Limits that let the header through: the memory cap still stops the 900 MB
    // picture before its buffer is made.
    let lax = ImageLimits {
        max_side: 40_000,
        max_pixels: u64::MAX,
        max_alloc: 64 * 1024 * 1024,
    };
    let error = prepare_photo(&fixture("bomb.png"), &PHOTO_WIDTHS, &lax).expect_err("refused");
    assert!(matches!(error, ImageError::TooLarge { .. }), "{error:?}");
}

#[test]
fn html_named_jpg_is_refused_before_decoding() {
    let error = prepare("not_really.jpg").expect_err("HTML is not a photo");
    assert!(
        matches!(error, ImageError::NotAllowed(NotAllowed::Html)),
        "{error:?}"
    );
    assert!(error.to_string().contains("HTML"));
}

#[test]
fn a_truncated_photo_is_not_an_image() {
    let error = prepare("truncated.jpg").expect_err("half a photo is refused");
    assert!(
        matches!(error, ImageError::NotAnImage(FileType::Jpeg)),
        "{error:?}"
    );
    assert!(error.to_string().contains("damaged"), "{error}");

    // Bytes that start right but are not a picture, in each kind.
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in [
        (
            "junk.jpg",
            &b"\xFF\xD8\xFF\xE0 not really a jpeg at all"[..],
        ),
        ("junk.png", b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR broken"),
        ("junk.webp", b"RIFF\x10\0\0\0WEBPVP8 junk"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("written");
        let error = prepare_photo(&path, &PHOTO_WIDTHS, &ImageLimits::default())
            .expect_err("junk is refused");
        assert!(
            matches!(error, ImageError::NotAnImage(_)),
            "{name}: {error:?}"
        );
    }
}

#[test]
fn a_cut_webp_and_png_are_not_images() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["photo.webp", "logo.png"] {
        let whole = std::fs::read(fixture(name)).expect("fixture");
        let path = dir.path().join(name);
        std::fs::write(&path, &whole[..whole.len() * 2 / 3]).expect("written");
        let error = prepare_photo(&path, &PHOTO_WIDTHS, &ImageLimits::default())
            .expect_err("a cut file is refused");
        assert!(
            matches!(error, ImageError::NotAnImage(_)),
            "{name}: {error:?}"
        );
    }
}

#[test]
fn heic_is_recognised_and_refused_with_what_to_do() {
    let error = prepare("photo.heic").expect_err("HEIC cannot be read yet");
    assert!(matches!(error, ImageError::Heic), "{error:?}");
    assert!(error.to_string().contains("Most Compatible"), "{error}");
    assert!(matches!(
        probe(&fixture("photo.heic"), &ImageLimits::default()),
        Err(ImageError::Heic)
    ));
}

#[test]
fn a_pdf_is_not_a_photo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bill.pdf");
    std::fs::write(&path, b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n").expect("written");
    let error = prepare_photo(&path, &PHOTO_WIDTHS, &ImageLimits::default()).expect_err("no");
    assert!(
        matches!(error, ImageError::Unsupported(FileType::Pdf)),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("a PDF document cannot be used as a photo")
    );
}

#[test]
fn a_missing_file_is_a_disk_error() {
    let error = prepare("no-such-file.jpg").expect_err("missing");
    assert!(matches!(error, ImageError::Io(_)), "{error:?}");
}
