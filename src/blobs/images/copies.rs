//! The copies of an upright photo at the widths the pages ask for, each encoded afresh
//! as JPEG, or as PNG when the picture has transparent parts.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, GenericImageView};

use super::{ImageError, JPEG_QUALITY, PhotoCopy};
use crate::blobs::sniff::FileType;

/// One copy per distinct width, smallest first. Each copy is made from the one before
/// it (the largest from the original), so only the first step reads the whole photo.
/// `thumbnail` averages the area each new pixel covers: for shrinking, that looks as
/// good as a triangle filter and, measured on a 12-megapixel photo, took a fraction of
/// its time (a triangle `resize` of the whole photo alone took longer than all four
/// copies do now).
pub(super) fn make_copies(
    upright: DynamicImage,
    widths: &[u32],
) -> Result<Vec<PhotoCopy>, ImageError> {
    let transparent = has_transparency(&upright);
    let base = if transparent {
        DynamicImage::ImageRgba8(upright.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(upright.into_rgb8())
    };
    let (width, height) = base.dimensions();
    let mut targets: Vec<u32> = widths.iter().map(|&w| w.clamp(1, width)).collect();
    targets.sort_unstable_by(|a, b| b.cmp(a));
    targets.dedup();

    let mut copies = Vec::with_capacity(targets.len());
    let mut previous: Option<DynamicImage> = None;
    for target in targets {
        let target_height = scaled_height(width, height, target);
        let picture = match &previous {
            _ if target == width => base.clone(),
            None => base.thumbnail_exact(target, target_height),
            Some(larger) => larger.thumbnail_exact(target, target_height),
        };
        copies.push(encode(&picture, transparent)?);
        previous = Some(picture);
    }
    copies.reverse();
    Ok(copies)
}

/// The height that keeps the original's shape at `target` width, at least one pixel.
fn scaled_height(width: u32, height: u32, target: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// True when some pixel is not fully opaque. A PNG saved with an alpha channel that is
/// opaque everywhere (common from editors) is a photo, and its copies are JPEG.
fn has_transparency(picture: &DynamicImage) -> bool {
    match picture {
        DynamicImage::ImageRgba8(buffer) => buffer.pixels().any(|p| p.0[3] < u8::MAX),
        DynamicImage::ImageLumaA8(buffer) => buffer.pixels().any(|p| p.0[1] < u8::MAX),
        other if other.color().has_alpha() => other.pixels().any(|(_, _, p)| p.0[3] < u8::MAX),
        _ => false,
    }
}

/// Encodes a copy. The encoders write no EXIF, so no location or camera detail from
/// the original survives.
fn encode(picture: &DynamicImage, transparent: bool) -> Result<PhotoCopy, ImageError> {
    let mut bytes = Vec::new();
    let file_type = if transparent {
        picture
            .write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(ImageError::Encode)?;
        FileType::Png
    } else {
        picture
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
            .map_err(ImageError::Encode)?;
        FileType::Jpeg
    };
    Ok(PhotoCopy {
        width: picture.width(),
        height: picture.height(),
        file_type,
        bytes,
    })
}
