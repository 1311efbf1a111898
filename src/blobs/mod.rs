//! Stored files: content-addressed blobs on disk, what a file is from its bytes, and the photo copies made from an upload.

pub mod images;
pub mod sniff;
