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

    /// Reads a record written in an older format version, if this type had one.
    fn decode_older(version: u8, body: &[u8]) -> Option<Result<Self, postcard::Error>> {
        let _ = (version, body);
        None
    }
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
        Some((&version, body)) => match R::decode_older(version, body) {
            Some(read) => {
                read.map_err(|e| StoreError::Codec(format!("decoding {} v{version}: {e}", R::NAME)))
            }
            None => Err(StoreError::Codec(format!(
                "{} record has format version {version}, this build reads version {}",
                R::NAME,
                R::VERSION
            ))),
        },
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
    CustomerProductPreference => "customer product preference" v 1,
    super::Change => "change" v 1,
    MetalRate => "metal rate" v 1,
}

/// Sales gained refunds and a Form 60 record in version 2; version 1 bills (the demo's,
/// and any made before) read as having neither. They are converted as they are read,
/// rather than all rewritten at start, so a store with many sales starts at once.
impl Record for Sale {
    const NAME: &'static str = "sale";
    const VERSION: u8 = 2;

    fn decode_older(version: u8, body: &[u8]) -> Option<Result<Self, postcard::Error>> {
        (version == 1).then(|| postcard::from_bytes::<crate::domain::SaleV1>(body).map(Sale::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        CustomerId, FloorId, Paise, SaleId, SaleStatus, SaleV1, StoreId, Text, UserId,
    };

    #[test]
    fn a_version_1_sale_reads_as_one_with_no_refunds() {
        let v1 = SaleV1 {
            id: SaleId::new(),
            store_id: StoreId::new(),
            floor_id: FloorId::new(),
            customer_id: CustomerId::new(),
            status: SaleStatus::Completed,
            invoice_no: None,
            lines: Vec::new(),
            bill_discount: Paise::ZERO,
            taxable_value: Paise::new(1_000_00),
            cgst: Paise::new(15_00),
            sgst: Paise::new(15_00),
            igst: Paise::ZERO,
            total: Paise::new(1_030_00),
            payments: Vec::new(),
            staff_id: UserId::new(),
            notes: Text::default(),
            created_at: jiff::Timestamp::UNIX_EPOCH,
            completed_at: None,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let mut bytes = vec![1u8];
        bytes.extend(postcard::to_allocvec(&v1).unwrap());
        let sale: Sale = decode(&bytes).unwrap();
        assert_eq!(sale.total, Paise::new(1_030_00));
        assert!(sale.refunds.is_empty() && sale.form60.is_none());
        // Written again, it is version 2 and reads back the same.
        assert_eq!(encode(&sale).unwrap()[0], 2);
        assert_eq!(decode::<Sale>(&encode(&sale).unwrap()).unwrap(), sale);
        assert!(
            decode::<Sale>(&[9, 0]).is_err(),
            "an unknown version is refused"
        );
    }
}
