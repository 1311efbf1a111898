//! Stored files as records: a product's photos, a customer's documents and the store's
//! logo, each naming the blobs (files on disk, by SHA-256) that hold its bytes.
//!
//! The bytes themselves live in `blobs`; what a file is (JPEG, PDF…) is decided from
//! those bytes when it arrives, never from its name.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time::micros;
use super::{CustomerId, FileId, InvalidValue, ProductId, StoreId, Text, UserId};

/// What a stored file's bytes are, told from the bytes (`blobs::sniff`). Stored in
/// records with postcard, which writes the variant's position: append variants only,
/// never reorder or remove one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Heic => "image/heic",
            FileType::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Heic => "heic",
            FileType::Pdf => "pdf",
        }
    }

    pub fn is_image(self) -> bool {
        !matches!(self, FileType::Pdf)
    }

    /// How the kind is named to a shop owner ("a JPEG photo").
    pub fn describe(self) -> &'static str {
        match self {
            FileType::Jpeg => "a JPEG photo",
            FileType::Png => "a PNG picture",
            FileType::Webp => "a WebP picture",
            FileType::Heic => "a HEIC photo",
            FileType::Pdf => "a PDF document",
        }
    }
}

/// The SHA-256 of a blob's bytes: its name on disk and in every record that uses it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// 64 lowercase hexadecimal digits, as `sha256sum` prints them.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let bad = || InvalidValue::new("is not a SHA-256 (64 hexadecimal digits)");
        if input.len() != 64 {
            return Err(bad());
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in input.as_bytes().chunks(2).enumerate() {
            let digit = |c: u8| match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                _ => None,
            };
            match (digit(pair[0]), digit(pair[1])) {
                (Some(hi), Some(lo)) => bytes[i] = hi << 4 | lo,
                _ => return Err(bad()),
            }
        }
        Ok(Self(bytes))
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

/// The record a stored file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileOwner {
    Product(ProductId),
    Customer(CustomerId),
    /// The store itself: its logo.
    Store,
}

impl FileOwner {
    /// The key the owner's files are listed under within the store.
    pub fn key(self, store: StoreId) -> u128 {
        match self {
            FileOwner::Product(id) => id.as_u128(),
            FileOwner::Customer(id) => id.as_u128(),
            FileOwner::Store => store.as_u128(),
        }
    }
}

/// What a file is for. Stored in records: append variants only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    ProductPhoto,
    /// A copy of the customer's PAN card.
    PanCard,
    /// The declaration a customer without a PAN signs for a sale of ₹2 lakh or more.
    Form60,
    AddressProof,
    SignedEstimate,
    OtherDocument,
    Logo,
}

impl FileKind {
    pub const DOCUMENTS: [FileKind; 5] = [
        FileKind::PanCard,
        FileKind::Form60,
        FileKind::AddressProof,
        FileKind::SignedEstimate,
        FileKind::OtherDocument,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::ProductPhoto => "product_photo",
            FileKind::PanCard => "pan_card",
            FileKind::Form60 => "form_60",
            FileKind::AddressProof => "address_proof",
            FileKind::SignedEstimate => "signed_estimate",
            FileKind::OtherDocument => "other_document",
            FileKind::Logo => "logo",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileKind::ProductPhoto => "Photo",
            FileKind::PanCard => "PAN card",
            FileKind::Form60 => "Form 60",
            FileKind::AddressProof => "Address proof",
            FileKind::SignedEstimate => "Signed estimate",
            FileKind::OtherDocument => "Other document",
            FileKind::Logo => "Logo",
        }
    }

    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        [
            FileKind::ProductPhoto,
            FileKind::PanCard,
            FileKind::Form60,
            FileKind::AddressProof,
            FileKind::SignedEstimate,
            FileKind::OtherDocument,
            FileKind::Logo,
        ]
        .into_iter()
        .find(|k| k.as_str() == input.trim())
        .ok_or_else(|| {
            InvalidValue::new(
                "is not a kind of document: use pan_card, form_60, address_proof, signed_estimate or other_document",
            )
        })
    }

    pub fn is_document(self) -> bool {
        Self::DOCUMENTS.contains(&self)
    }
}

/// A smaller copy of a photo, made on the box: upright, without EXIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCopy {
    pub width: u32,
    pub height: u32,
    pub file_type: FileType,
    pub content: ContentHash,
    pub bytes: u64,
}

/// A stored file: whose it is, what it is, and the blobs that hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    pub id: FileId,
    pub store_id: StoreId,
    pub owner: FileOwner,
    pub kind: FileKind,
    /// The name it was uploaded under, for people (never used as a path).
    pub name: Text<120>,
    pub file_type: FileType,
    /// The file as served: a document as it was uploaded; for a photo or a logo, the
    /// largest copy made of it (the upload itself, with its EXIF, is not kept).
    pub content: ContentHash,
    pub bytes: u64,
    /// An image's size in pixels, upright.
    pub dimensions: Option<(u32, u32)>,
    /// Smaller copies of an image, narrowest first.
    pub copies: Vec<FileCopy>,
    /// The SHA-256 of the bytes as uploaded, to tell the same photo uploaded twice.
    pub upload: ContentHash,
    /// The product's photo shown first (in the catalogue grid).
    pub cover: bool,
    pub added_by: UserId,
    #[serde(with = "micros")]
    pub added_at: Timestamp,
}

impl StoredFile {
    /// Every blob the record uses.
    pub fn contents(&self) -> impl Iterator<Item = ContentHash> + '_ {
        std::iter::once(self.content).chain(self.copies.iter().map(|c| c.content))
    }

    /// The narrowest copy at least `width` pixels wide, or the widest there is.
    pub fn copy_for(&self, width: u32) -> Option<&FileCopy> {
        self.copies
            .iter()
            .find(|c| c.width >= width)
            .or_else(|| self.copies.last())
    }
}

/// A person opened or downloaded a customer's document: kept for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub file_id: FileId,
    pub customer_id: CustomerId,
    pub kind: FileKind,
    pub name: Text<120>,
    pub by: UserId,
    pub download: bool,
    #[serde(with = "micros")]
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_hash_reads_back_what_it_prints() {
        let hash = ContentHash::from_bytes([0xab; 32]);
        let text = hash.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(ContentHash::parse(&text).ok(), Some(hash));
        assert!(ContentHash::parse(&text[1..]).is_err());
        assert!(ContentHash::parse(&"AB".repeat(32)).is_err());
        assert!(ContentHash::parse(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn file_kinds_read_back_their_names() {
        for kind in FileKind::DOCUMENTS {
            assert_eq!(FileKind::parse(kind.as_str()).ok(), Some(kind));
        }
        assert!(FileKind::parse("passport").is_err());
    }
}
