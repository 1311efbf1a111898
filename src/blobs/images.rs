//! Photo copies made on the box: an uploaded photo is checked from its header, decoded,
//! turned upright and re-encoded at the widths the pages show (`srcset`), so what the
//! tablets download is small and carries none of the camera's metadata (GPS included).
//!
//! HEIC, the iPhone's default, is recognised but refused for now. `libheif-rs` binds the
//! C library libheif (and libde265), which would add system libraries to a one-binary
//! install. Of the pure-Rust decoders, `heic` (imazen) and ente's `heic_decoder` are
//! AGPL-3.0, which a closed store binary cannot take without a bought licence; `heic-rs`
//! (MIT/Apache) is at 0.1 and only just links its HEVC decoder, with panics on malformed
//! files fixed in its latest release; `heifer` (MIT/Apache, 0.3) is the most complete
//! (conformance streams, fuzzing) but is a young one-person project and says itself that
//! HEVC's patent licensing is the user's to settle. Until that is decided, phones are
//! asked for JPEG, and [`ImageError::Heic`] says how.
//!
//! Everything here is synchronous and keeps no state: the caller runs it on a blocking
//! thread, one upload at a time per thread.

use std::fs::File;
use std::io::{BufReader, Cursor, ErrorKind, Read};
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::sniff::{FileType, NotAllowed, SNIFF_LEN, sniff};

mod copies;
#[cfg(test)]
mod tests;

/// Widths of the copies made of each product photo, for `srcset`.
pub const PHOTO_WIDTHS: [u32; 4] = [240, 480, 960, 1600];

/// JPEG quality of the copies: small files with no blocks a customer would notice on a
/// tablet.
const JPEG_QUALITY: u8 = 80;

/// The largest photo the box agrees to decode. The header is checked against these
/// before any pixel is decoded, so a small file claiming a huge picture (a
/// decompression bomb) is refused without the memory it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Longest side, in pixels.
    pub max_side: u32,
    /// Width times height.
    pub max_pixels: u64,
    /// Bytes the decoder may allocate, also when a header lies about the size.
    pub max_alloc: u64,
}

impl Default for ImageLimits {
    /// 12,000 pixels a side and 60 megapixels: a 50-megapixel phone camera fits, and
    /// decoding one takes at most 240 MB (four bytes a pixel), under the 512 MiB cap.
    fn default() -> Self {
        ImageLimits {
            max_side: 12_000,
            max_pixels: 60_000_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// One re-encoded copy of a photo.
#[derive(Clone, PartialEq, Eq)]
pub struct PhotoCopy {
    pub width: u32,
    pub height: u32,
    /// JPEG, or PNG for a picture with transparent parts (a logo).
    pub file_type: FileType,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for PhotoCopy {
    // The bytes would flood a log; their count says enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoCopy")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("file_type", &self.file_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// A photo ready to store: the size of the upright original and its copies, smallest
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// Width of the original once turned upright.
    pub width: u32,
    /// Height of the original once turned upright.
    pub height: u32,
    /// One per requested width, never wider than the original: when the original is
    /// narrower than some widths, they share one copy at the original's width.
    pub copies: Vec<PhotoCopy>,
}

/// Why a photo was not taken. Messages are for the shop owner who chose the file.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{0}")]
    NotAllowed(#[from] NotAllowed),
    #[error(
        "this photo is {width} × {height} pixels, larger than the {max_side} pixels a side \
         ({megapixels} megapixels) the store accepts; save a smaller copy of it (most phones \
         and photo apps offer ‘resize’ or ‘medium size’) and upload that"
    )]
    TooLarge {
        width: u32,
        height: u32,
        max_side: u32,
        megapixels: u64,
    },
    #[error(
        "this file starts like {} but cannot be read: it is damaged or was only partly \
         copied; open it on the phone or computer to check it, then upload it again",
        .0.describe()
    )]
    NotAnImage(FileType),
    #[error(
        "HEIC photos cannot be read on the box yet; set the iPhone camera to ‘Most \
         Compatible’ (Settings → Camera → Formats), which saves JPEG, or export the \
         photo as JPEG and upload that"
    )]
    Heic,
    #[error(
        "{} cannot be used as a photo; choose a JPEG, PNG or WebP photo (a PDF can be \
         kept with the customer's documents instead)",
        .0.describe()
    )]
    Unsupported(FileType),
    #[error(
        "the photo could not be read from the box's disk ({0}); try again, and if it keeps \
         failing, run `sarkar-crm doctor` on the box to check its disk"
    )]
    Io(#[from] std::io::Error),
    #[error("the smaller copies of the photo could not be made ({0}); try another photo")]
    Encode(image::ImageError),
}

/// The kind and upright size of a photo, from its header alone: no pixel is decoded.
/// Refuses what [`prepare_photo`] would refuse before decoding.
pub fn probe(path: &Path, limits: &ImageLimits) -> Result<(FileType, u32, u32), ImageError> {
    let file = File::open(path)?;
    let mut reader = BufReader::new(file);
    let file_type = photo_type(&mut reader)?;
    let header = Header::read(reader, file_type, limits)?;
    let (width, height) = header.upright_size();
    Ok((file_type, width, height))
}

/// Reads the photo at `path` and makes one copy per width in `widths` (see
/// [`Prepared::copies`]), upright and without metadata.
pub fn prepare_photo(
    path: &Path,
    widths: &[u32],
    limits: &ImageLimits,
) -> Result<Prepared, ImageError> {
    // Read whole: the JPEG decoder reads the whole file anyway, and a JPEG's end is
    // looked for below. Upload sizes are capped before the file reaches the disk.
    let bytes = std::fs::read(path)?;
    let mut reader = Cursor::new(bytes.as_slice());
    let file_type = photo_type(&mut reader)?;
    // A JPEG cut short still decodes, as grey below the cut: refuse it instead.
    if file_type == FileType::Jpeg && !jpeg_has_end(&bytes) {
        return Err(ImageError::NotAnImage(file_type));
    }
    let header = Header::read(reader, file_type, limits)?;
    let upright = header.decode()?;
    let (width, height) = (upright.width(), upright.height());
    let copies = copies::make_copies(upright, widths)?;
    Ok(Prepared {
        width,
        height,
        copies,
    })
}

/// The kind of a file meant as a photo, from its first bytes; the reader is left where
/// it was.
fn photo_type<R: Read + std::io::Seek>(reader: &mut R) -> Result<FileType, ImageError> {
    let mut head = Vec::with_capacity(SNIFF_LEN);
    reader
        .by_ref()
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)?;
    reader.rewind()?;
    match sniff(&head)? {
        FileType::Heic => Err(ImageError::Heic),
        FileType::Pdf => Err(ImageError::Unsupported(FileType::Pdf)),
        photo => Ok(photo),
    }
}

/// True when a JPEG's image data is followed by its end marker (EOI), as a complete
/// file's is. The marker is looked for after the first start-of-scan, because the
/// EXIF block before it may hold a whole thumbnail JPEG with an end of its own; inside
/// the image data a 0xFF byte is always followed by 0x00 or a restart marker, so
/// `FF D9` there is the real end. Some phones write more after it (a motion photo's
/// video), which is fine.
fn jpeg_has_end(bytes: &[u8]) -> bool {
    // Segments after the SOI marker: FF, kind, two bytes of length (counting
    // themselves), then the contents, up to the start-of-scan (FF DA).
    let mut at = 2;
    loop {
        let Some(&[0xFF, kind, high, low]) = bytes.get(at..at + 4) else {
            return false;
        };
        if kind == 0xFF {
            // Fill bytes before a marker are allowed.
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([high, low]));
        at += 2 + length;
        if kind == 0xDA {
            break;
        }
    }
    bytes
        .get(at..)
        .is_some_and(|scan| scan.windows(2).any(|pair| pair == [0xFF, 0xD9]))
}

/// A photo's decoder once its header has been read and found within the limits.
struct Header<'a> {
    decoder: Box<dyn ImageDecoder + 'a>,
    file_type: FileType,
    orientation: Orientation,
    limits: ImageLimits,
}

impl<'a> Header<'a> {
    /// Reads the header (size, colours, EXIF orientation) and checks the size.
    fn read<R>(reader: R, file_type: FileType, limits: &ImageLimits) -> Result<Self, ImageError>
    where
        R: std::io::BufRead + std::io::Seek + 'a,
    {
        let format = match file_type {
            FileType::Jpeg => ImageFormat::Jpeg,
            FileType::Png => ImageFormat::Png,
            FileType::Webp => ImageFormat::WebP,
            FileType::Heic => return Err(ImageError::Heic),
            FileType::Pdf => return Err(ImageError::Unsupported(file_type)),
        };
        let mut reader = ImageReader::with_format(reader, format);
        // No side limits yet: they would refuse a large picture without saying its
        // size, which the message below gives. Reading a header allocates little.
        reader.limits(codec_limits(None, limits.max_alloc));
        let decoder = reader
            .into_decoder()
            .map_err(|e| from_codec(e, file_type, None, limits))?;
        let mut decoder: Box<dyn ImageDecoder + 'a> = Box::new(decoder);
        let (width, height) = decoder.dimensions();
        let too_large = width.max(height) > limits.max_side
            || u64::from(width) * u64::from(height) > limits.max_pixels;
        if too_large {
            return Err(too_large_error(width, height, limits));
        }
        let orientation = decoder
            .orientation()
            .map_err(|e| from_codec(e, file_type, Some((width, height)), limits))?;
        Ok(Header {
            decoder,
            file_type,
            orientation,
            limits: *limits,
        })
    }

    /// Width and height once the EXIF orientation is applied.
    fn upright_size(&self) -> (u32, u32) {
        let (width, height) = self.decoder.dimensions();
        match self.orientation {
            Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH => (height, width),
            _ => (width, height),
        }
    }

    /// Decodes the pixels and turns the picture upright.
    fn decode(mut self) -> Result<DynamicImage, ImageError> {
        let size = Some(self.decoder.dimensions());
        let (file_type, limits) = (self.file_type, self.limits);
        let fail = |e| from_codec(e, file_type, size, &limits);
        // Now the side limits too, and the decoded picture is counted against
        // `max_alloc` before its buffer is made, so a header that lies about its
        // colours cannot allocate past it either.
        let side = Some(limits.max_side);
        let mut codec = codec_limits(side, limits.max_alloc);
        codec.reserve(self.decoder.total_bytes()).map_err(fail)?;
        self.decoder.set_limits(codec).map_err(fail)?;
        let mut picture = DynamicImage::from_decoder(self.decoder).map_err(fail)?;
        picture.apply_orientation(self.orientation);
        Ok(picture)
    }
}

fn codec_limits(max_side: Option<u32>, max_alloc: u64) -> Limits {
    // `Limits` is non-exhaustive: start from its defaults and set every field we mean.
    let mut codec = Limits::default();
    codec.max_image_width = max_side;
    codec.max_image_height = max_side;
    codec.max_alloc = Some(max_alloc);
    codec
}

fn too_large_error(width: u32, height: u32, limits: &ImageLimits) -> ImageError {
    ImageError::TooLarge {
        width,
        height,
        max_side: limits.max_side,
        megapixels: limits.max_pixels / 1_000_000,
    }
}

/// What a decoder's error means to the shop owner. `size` is the header's, when read.
fn from_codec(
    error: image::ImageError,
    file_type: FileType,
    size: Option<(u32, u32)>,
    limits: &ImageLimits,
) -> ImageError {
    match error {
        image::ImageError::Limits(_) => match size {
            Some((width, height)) => too_large_error(width, height, limits),
            // Refused before the size was known: some part of the header asked for
            // more memory than a photo's header ever needs.
            None => ImageError::NotAnImage(file_type),
        },
        // A file that ends early is a damaged upload, not a fault of the disk.
        image::ImageError::IoError(io) if io.kind() != ErrorKind::UnexpectedEof => {
            ImageError::Io(io)
        }
        _ => ImageError::NotAnImage(file_type),
    }
}
