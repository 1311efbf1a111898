//! Record encoding: one format-version byte, then the postcard bytes of the record.
//!
//! postcard is not self-describing, so a record with a new field cannot be read by
//! the old shape. Changing a record's shape therefore bumps its `VERSION`; the decoder
//! keeps reading older versions (converting them) and a numbered migration rewrites
//! the table. Appending enum variants needs no version bump.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;

/// A type stored as a versioned postcard record.
pub trait Record: Serialize + DeserializeOwned {
    /// What the record is called in errors and the change log.
    const NAME: &'static str;
    /// The format version written today.
    const VERSION: u8;
}

pub fn encode<R: Record>(record: &R) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![R::VERSION];
    let body = postcard::to_allocvec(record)
        .map_err(|e| StoreError::Codec(format!("encoding {}: {e}", R::NAME)))?;
    bytes.extend_from_slice(&body);
    Ok(bytes)
}

pub fn decode<R: Record>(bytes: &[u8]) -> Result<R, StoreError> {
    match bytes.split_first() {
        Some((&version, body)) if version == R::VERSION => postcard::from_bytes(body)
            .map_err(|e| StoreError::Codec(format!("decoding {} v{version}: {e}", R::NAME))),
        Some((&version, _)) => Err(StoreError::Codec(format!(
            "{} record has format version {version}, this build reads version {}",
            R::NAME,
            R::VERSION
        ))),
        None => Err(StoreError::Codec(format!("empty {} record", R::NAME))),
    }
}

macro_rules! record {
    ($($ty:ty => $name:literal v $version:literal),+ $(,)?) => {
        $(impl Record for $ty {
            const NAME: &'static str = $name;
            const VERSION: u8 = $version;
        })+
    };
}

use crate::domain::{
    Account, Category, Customer, CustomerProductPreference, Floor, FollowUp, Interaction,
    MetalRate, Product, Sale, Session, Store, User,
};

record! {
    Store => "store" v 1,
    Floor => "floor" v 1,
    User => "user" v 1,
    Account => "account" v 1,
    Session => "session" v 1,
    Category => "category" v 1,
    Product => "product" v 1,
    Customer => "customer" v 1,
    Interaction => "interaction" v 1,
    FollowUp => "follow-up" v 1,
    Sale => "sale" v 1,
    CustomerProductPreference => "customer product preference" v 1,
    super::Change => "change" v 1,
    MetalRate => "metal rate" v 1,
}
