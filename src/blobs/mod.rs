//! Stored files: content-addressed blobs on disk (`disk`), what a file is from its
//! bytes (`sniff`), and the photo copies made from an upload (`images`). Nothing here
//! knows which record uses a file or who may see it; that is `app::files`.

mod disk;
pub mod images;
pub mod sniff;

pub use disk::{BlobError, BlobInfo, Blobs, FILES_DIR, Usage, hash_file};
