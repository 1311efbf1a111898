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
    /// Whether the record exists to keep a secret (a password hash, a key hash): the
    /// audit trail then keeps none of its fields, only that it changed.
    const KEEPS_SECRETS: bool = false;

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
    Account, ApiKey, Category, Customer, CustomerMerge, CustomerProductPreference, FileView, Floor,
    FollowUp, ImportBatch, ImportItem, Interaction, MetalRate, Notification, Product, Sale,
    SavedMapping, Session, Store, StoredFile, User,
};

record! {
    Floor => "floor" v 1,
    ApiKey => "api key" v 1,
    User => "user" v 1,
    Session => "session" v 1,
    Category => "category" v 1,
    Product => "product" v 1,
    Customer => "customer" v 1,
    Interaction => "interaction" v 1,
    FollowUp => "follow-up" v 1,
    CustomerProductPreference => "customer product preference" v 1,
    super::Change => "change" v 1,
    MetalRate => "metal rate" v 1,
    Notification => "notification" v 1,
    ImportBatch => "import batch" v 1,
    ImportItem => "import item" v 1,
    SavedMapping => "import mapping" v 1,
    CustomerMerge => "customer merge" v 1,
    StoredFile => "stored file" v 1,
    FileView => "document view" v 1,
}

/// Sales gained refunds and a Form 60 record in version 2, the round-off and the
/// change given in version 3, the seller's GST registration in version 4, and the
/// corrections of a pending bill in version 5, and each line's category and the place of
/// supply in version 6; older bills read as having none of them, and as having charged
/// GST, which they all did. Versions 1–4 are converted as they are read, rather than all
/// rewritten at start, so a store with many sales starts at once; migration 10 rewrites
/// every sale once, because the categories and places it adds come from other records.
impl Record for Sale {
    const NAME: &'static str = "sale";
    const VERSION: u8 = 6;

    fn decode_older(version: u8, body: &[u8]) -> Option<Result<Self, postcard::Error>> {
        match version {
            1 => Some(postcard::from_bytes::<crate::domain::SaleV1>(body).map(Sale::from)),
            2 => Some(postcard::from_bytes::<crate::domain::SaleV2>(body).map(Sale::from)),
            3 => Some(postcard::from_bytes::<crate::domain::SaleV3>(body).map(Sale::from)),
            4 => Some(postcard::from_bytes::<crate::domain::SaleV4>(body).map(Sale::from)),
            5 => Some(postcard::from_bytes::<crate::domain::SaleV5>(body).map(Sale::from)),
            _ => None,
        }
    }
}

/// An account holds the password hash and little else, so the audit trail keeps none
/// of it; the change says "password changed" instead.
impl Record for Account {
    const NAME: &'static str = "account";
    const VERSION: u8 = 1;
    const KEEPS_SECRETS: bool = true;
}

/// Change details gained the floor and the fields before and after in version 2;
/// version 1 details (kept before the audit trail showed fields) read as having none.
impl Record for super::ChangeDetails {
    const NAME: &'static str = "change details";
    const VERSION: u8 = 2;

    fn decode_older(version: u8, body: &[u8]) -> Option<Result<Self, postcard::Error>> {
        (version == 1).then(|| {
            postcard::from_bytes::<super::changelog::ChangeDetailsV1>(body)
                .map(super::ChangeDetails::from)
        })
    }
}

/// Stores gained the round-off setting in version 2; a version 1 store rounds to the
/// nearest rupee. There is one store record per store, so it is converted as it is read.
impl Record for Store {
    const NAME: &'static str = "store";
    const VERSION: u8 = 2;

    fn decode_older(version: u8, body: &[u8]) -> Option<Result<Self, postcard::Error>> {
        (version == 1)
            .then(|| postcard::from_bytes::<crate::domain::StoreV1>(body).map(Store::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        CustomerId, FloorId, Paise, PersonName, RoundOff, SaleId, SaleStatus, SaleV1, SaleV2,
        SaleV3, SaleV4, SaleV5, SellerGst, StoreId, StoreV1, Text, UserId,
    };

    /// A completed version 1 bill with CGST and SGST of `half_tax` each.
    fn sale_v1(taxable: i64, half_tax: i64, total: i64) -> SaleV1 {
        SaleV1 {
            id: SaleId::new(),
            store_id: StoreId::new(),
            floor_id: FloorId::new(),
            customer_id: CustomerId::new(),
            status: SaleStatus::Completed,
            invoice_no: None,
            lines: Vec::new(),
            bill_discount: Paise::ZERO,
            taxable_value: Paise::new(taxable),
            cgst: Paise::new(half_tax),
            sgst: Paise::new(half_tax),
            igst: Paise::ZERO,
            total: Paise::new(total),
            payments: Vec::new(),
            staff_id: UserId::new(),
            notes: Text::default(),
            created_at: jiff::Timestamp::UNIX_EPOCH,
            completed_at: None,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_version_1_sale_reads_as_one_with_no_refunds() {
        let v1 = sale_v1(1_000_00, 15_00, 1_030_00);
        let mut bytes = vec![1u8];
        bytes.extend(postcard::to_allocvec(&v1).unwrap());
        let sale: Sale = decode(&bytes).unwrap();
        assert_eq!(sale.total, Paise::new(1_030_00));
        assert!(sale.refunds.is_empty() && sale.form60.is_none());
        assert_eq!(
            (sale.round_off, sale.change_given),
            (Paise::ZERO, Paise::ZERO)
        );
        // Written again, it is the current version and reads back the same.
        assert_eq!(encode(&sale).unwrap()[0], <Sale as Record>::VERSION);
        assert_eq!(decode::<Sale>(&encode(&sale).unwrap()).unwrap(), sale);
        assert!(
            decode::<Sale>(&[9, 0]).is_err(),
            "an unknown version is refused"
        );
    }

    #[test]
    fn a_version_2_sale_reads_as_one_paid_to_the_paisa_with_no_change() {
        let v2 = SaleV2 {
            form60: Some(Text::parse("F60-1").unwrap()),
            ..SaleV2::from(sale_v1(2_570_54, 38_56, 2_647_66))
        };
        let mut bytes = vec![2u8];
        bytes.extend(postcard::to_allocvec(&v2).unwrap());
        let sale: Sale = decode(&bytes).unwrap();
        assert_eq!(sale.total, Paise::new(2_647_66));
        assert_eq!(sale.payable(), Paise::new(2_647_66));
        assert_eq!(
            (sale.round_off, sale.change_given),
            (Paise::ZERO, Paise::ZERO)
        );
        assert_eq!(sale.form60, v2.form60);
        assert_eq!(decode::<Sale>(&encode(&sale).unwrap()).unwrap(), sale);
    }

    #[test]
    fn a_version_3_sale_reads_as_a_tax_invoice_whose_gstin_was_not_kept() {
        let v3 = SaleV3 {
            round_off: Paise::new(34),
            change_given: Paise::new(2_00),
            ..SaleV3::from(SaleV2::from(sale_v1(2_570_54, 38_56, 2_647_66)))
        };
        let mut bytes = vec![3u8];
        bytes.extend(postcard::to_allocvec(&v3).unwrap());
        let sale: Sale = decode(&bytes).unwrap();
        // Every bill before version 4 charged GST, so it stays a tax invoice.
        assert_eq!(sale.seller_gst, SellerGst::NotKept);
        assert!(sale.seller_gst.charges_gst());
        assert_eq!(
            (sale.cgst, sale.round_off),
            (Paise::new(38_56), Paise::new(34))
        );
        assert_eq!(sale.change_given, Paise::new(2_00));
        assert_eq!(decode::<Sale>(&encode(&sale).unwrap()).unwrap(), sale);

        // A version 4 sale kept its registration and reads as never corrected.
        let gstin = crate::domain::Gstin::parse("19AAACS1234F1ZP").unwrap();
        let v4 = SaleV4 {
            seller_gst: SellerGst::Registered(gstin.clone()),
            ..SaleV4::from(v3)
        };
        let mut bytes = vec![4u8];
        bytes.extend(postcard::to_allocvec(&v4).unwrap());
        let sale: Sale = decode(&bytes).unwrap();
        assert_eq!(sale.seller_gst, SellerGst::Registered(gstin));
        assert!(sale.corrections.is_empty());
        assert_eq!(sale.total, Paise::new(2_647_66));
        let written = encode(&sale).unwrap();
        assert_eq!(written[0], 6);
        assert_eq!(decode::<Sale>(&written).unwrap(), sale);

        // A version 5 sale kept its corrections, and reads as not knowing its lines'
        // categories nor its place of supply (migration 10 fills them in).
        let correction = crate::domain::Correction {
            staff_id: UserId::new(),
            at: jiff::Timestamp::from_second(1_764_000_000).unwrap(),
            payable_before: Paise::new(2_700_00),
            payable_after: Paise::new(2_648_00),
        };
        let v5 = SaleV5 {
            corrections: vec![correction.clone()],
            ..SaleV5::from(v4)
        };
        let mut bytes = vec![5u8];
        bytes.extend(postcard::to_allocvec(&v5).unwrap());
        let sale: Sale = decode(&bytes).unwrap();
        assert_eq!(sale.corrections, vec![correction]);
        assert!(sale.line_categories.is_empty() && sale.place_of_supply.is_none());
        assert_eq!(decode::<Sale>(&encode(&sale).unwrap()).unwrap(), sale);
    }

    #[test]
    fn version_1_change_details_read_as_having_no_fields() {
        use crate::store::{ChangeDetails, Origin, changelog::ChangeDetailsV1};
        let origin = Origin {
            address: Some(std::net::IpAddr::from([192, 168, 1, 20])),
            device: "Mozilla/5.0 (Linux; Android 14)".into(),
            api_key: None,
        };
        let v1 = ChangeDetailsV1 {
            origin: Some(origin.clone()),
        };
        let mut bytes = vec![1u8];
        bytes.extend(postcard::to_allocvec(&v1).unwrap());
        let details: ChangeDetails = decode(&bytes).unwrap();
        assert_eq!(details.origin, Some(origin));
        assert!(details.fields.is_empty() && details.floor.is_none());
        assert_eq!(details.more_fields, 0);
        let written = encode(&details).unwrap();
        assert_eq!(written[0], 2);
        assert_eq!(decode::<ChangeDetails>(&written).unwrap(), details);
    }

    #[test]
    fn a_version_1_store_rounds_to_the_nearest_rupee() {
        let v1 = StoreV1 {
            id: StoreId::new(),
            name: PersonName::parse("Sarkar Jewellers").unwrap(),
            gstin: None,
            state_code: Text::parse("19").unwrap(),
            address: Text::default(),
            created_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let mut bytes = vec![1u8];
        bytes.extend(postcard::to_allocvec(&v1).unwrap());
        let store: Store = decode(&bytes).unwrap();
        assert_eq!(store.round_off, RoundOff::NearestRupee);
        assert_eq!(store.name, v1.name);
        let none = Store {
            round_off: RoundOff::None,
            ..store
        };
        let written = encode(&none).unwrap();
        assert_eq!(written[0], 2);
        assert_eq!(decode::<Store>(&written).unwrap(), none);
    }
}
