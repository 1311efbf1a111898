//! A picture made ready for a PDF: a JPEG goes in as it is (PDF readers decode
//! baseline JPEG themselves, `DCTDecode`); anything else (the logo's PNG copies, kept
//! PNG for their transparency) is decoded to 8-bit RGB samples plus, when any pixel is
//! see-through, a grey soft mask (`SMask`) of its alpha, both deflated (`FlateDecode`).
//!
//! No I/O here: the bytes come from the caller, who read them in the app layer.

use image::{ColorType, ImageFormat};
use pdf_writer::{Chunk, Filter, Ref};

use crate::domain::FileType;

/// How the samples are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colour {
    Rgb,
    Gray,
}

/// An image ready to be written as an image XObject.
#[derive(Clone)]
pub struct PdfImage {
    pub width: u32,
    pub height: u32,
    samples: Vec<u8>,
    filter: Filter,
    colour: Colour,
    /// The deflated alpha channel, one byte a pixel; none when the image is opaque.
    alpha: Option<Vec<u8>>,
}

impl std::fmt::Debug for PdfImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("colour", &self.colour)
            .field("bytes", &self.samples.len())
            .field("alpha", &self.alpha.as_ref().map(Vec::len))
            .finish()
    }
}

/// Deflate's middle level: a logo's flat colours shrink well at any level, and this
/// one is quick.
const DEFLATE_LEVEL: u8 = 6;

impl PdfImage {
    /// The image in `bytes` of `file_type`, or `None` when they cannot be read as one
    /// (the document is then drawn without it).
    pub fn new(file_type: FileType, bytes: &[u8]) -> Option<Self> {
        match file_type {
            FileType::Jpeg => Self::jpeg(bytes).or_else(|| Self::decoded(bytes, None)),
            FileType::Png => Self::decoded(bytes, Some(ImageFormat::Png)),
            FileType::Webp => Self::decoded(bytes, Some(ImageFormat::WebP)),
            FileType::Heic | FileType::Pdf => None,
        }
    }

    /// A JPEG embedded as it is, when it is grey or colour (one or three components).
    /// A four-component (CMYK) JPEG is decoded instead: readers differ on whether its
    /// samples are inverted (the store's own copies are never CMYK).
    fn jpeg(bytes: &[u8]) -> Option<Self> {
        let frame = jpeg_frame(bytes)?;
        let colour = match frame.components {
            1 => Colour::Gray,
            3 => Colour::Rgb,
            _ => return None,
        };
        Some(Self {
            width: frame.width,
            height: frame.height,
            samples: bytes.to_vec(),
            filter: Filter::DctDecode,
            colour,
            alpha: None,
        })
    }

    /// Any image decoded to RGB (and its alpha when some pixel is not opaque).
    fn decoded(bytes: &[u8], format: Option<ImageFormat>) -> Option<Self> {
        let picture = match format {
            Some(format) => image::load_from_memory_with_format(bytes, format),
            None => image::load_from_memory(bytes),
        }
        .ok()?;
        let (width, height) = (picture.width(), picture.height());
        let alpha = if picture.color().has_alpha() {
            let rgba = picture.to_rgba8();
            let alpha: Vec<u8> = rgba.pixels().map(|p| p.0[3]).collect();
            alpha.iter().any(|a| *a != u8::MAX).then_some(alpha)
        } else {
            None
        };
        let (samples, colour) = if picture.color() == ColorType::L8 {
            (picture.to_luma8().into_raw(), Colour::Gray)
        } else {
            (picture.to_rgb8().into_raw(), Colour::Rgb)
        };
        Some(Self {
            width,
            height,
            samples: miniz_oxide::deflate::compress_to_vec_zlib(&samples, DEFLATE_LEVEL),
            filter: Filter::FlateDecode,
            colour,
            alpha: alpha.map(|a| miniz_oxide::deflate::compress_to_vec_zlib(&a, DEFLATE_LEVEL)),
        })
    }

    /// Writes the image as `id`, its soft mask (if any) taking the next reference.
    pub fn write(&self, pdf: &mut Chunk, id: Ref, next: &mut Ref) {
        let mask = self.alpha.as_ref().map(|alpha| (next.bump(), alpha));
        let (width, height) = (dimension(self.width), dimension(self.height));
        {
            let mut image = pdf.image_xobject(id, &self.samples);
            image.width(width).height(height).bits_per_component(8);
            match self.colour {
                Colour::Rgb => image.color_space().device_rgb(),
                Colour::Gray => image.color_space().device_gray(),
            }
            if let Some((mask_id, _)) = mask {
                image.s_mask(mask_id);
            }
            image.filter(self.filter);
        }
        if let Some((mask_id, alpha)) = mask {
            let mut soft = pdf.image_xobject(mask_id, alpha);
            soft.width(width).height(height).bits_per_component(8);
            soft.color_space().device_gray();
            soft.filter(Filter::FlateDecode);
        }
    }
}

/// What a JPEG's start-of-frame header says.
struct JpegFrame {
    width: u32,
    height: u32,
    components: u8,
}

/// Walks a JPEG's markers to its start-of-frame (SOF0–SOF15 but DHT, JPG and DAC, which
/// share the range); `None` when the bytes are not a JPEG or end before it.
fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1)?;
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        if marker == 0xFF {
            at += 1; // A fill byte before the marker.
            continue;
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let is_frame = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_frame {
            let header = bytes.get(at + 4..at + 10)?;
            let height = u32::from(u16::from_be_bytes([header[1], header[2]]));
            let width = u32::from(u16::from_be_bytes([header[3], header[4]]));
            return (width > 0 && height > 0).then_some(JpegFrame {
                width,
                height,
                components: header[5],
            });
        }
        at += 2 + length;
    }
}

/// A side in pixels as PDF writes it; the store's copies are at most 640 wide.
fn dimension(pixels: u32) -> i32 {
    i32::try_from(pixels).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn encoded(picture: &image::DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).expect("encoded");
        out.into_inner()
    }

    #[test]
    fn a_jpeg_goes_in_as_it_is() {
        let picture = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            40,
            20,
            image::Rgb([140, 29, 64]),
        ));
        let jpeg = encoded(&picture, ImageFormat::Jpeg);
        let image = PdfImage::new(FileType::Jpeg, &jpeg).expect("read");
        assert_eq!((image.width, image.height), (40, 20));
        assert_eq!(image.samples, jpeg, "the file's own bytes");
        assert_eq!(image.filter, Filter::DctDecode);
        assert!(image.alpha.is_none());
    }

    #[test]
    fn a_png_with_see_through_pixels_gets_a_soft_mask() {
        let clear = image::RgbaImage::from_fn(30, 10, |x, _| {
            image::Rgba([200, 150, 0, if x < 15 { 0 } else { 255 }])
        });
        let png = encoded(&image::DynamicImage::ImageRgba8(clear), ImageFormat::Png);
        let image = PdfImage::new(FileType::Png, &png).expect("read");
        assert_eq!(image.filter, Filter::FlateDecode);
        let alpha = image.alpha.as_ref().expect("a mask");
        let alpha = miniz_oxide::inflate::decompress_to_vec_zlib(alpha).expect("inflates");
        assert_eq!(alpha.len(), 300);
        assert_eq!((alpha[0], alpha[29]), (0, 255));
        let rgb = miniz_oxide::inflate::decompress_to_vec_zlib(&image.samples).expect("rgb");
        assert_eq!(&rgb[..3], &[200, 150, 0]);

        let opaque = image::RgbaImage::from_pixel(30, 10, image::Rgba([1, 2, 3, 255]));
        let png = encoded(&image::DynamicImage::ImageRgba8(opaque), ImageFormat::Png);
        assert!(
            PdfImage::new(FileType::Png, &png)
                .expect("read")
                .alpha
                .is_none(),
            "an alpha channel with nothing see-through needs no mask"
        );
    }

    #[test]
    fn bytes_that_are_no_image_are_left_out() {
        assert!(PdfImage::new(FileType::Png, b"<html>not a png</html>").is_none());
        assert!(PdfImage::new(FileType::Jpeg, b"\xff\xd8\xff garbage").is_none());
        assert!(
            jpeg_frame(b"\xff\xd8\xff\xe0\x00\x10JFIF").is_none(),
            "cut short"
        );
    }
}
