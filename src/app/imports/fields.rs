//! The fields a file's columns can fill, the headers other programs give them, and the
//! guess of a mapping from a file's headers.
//!
//! A field's label is also the header of its column in the exports, so an exported file
//! maps itself when it comes back.

use crate::domain::{ImportKind, MappedColumn};

/// One field a column can fill.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// How the mapping names it: `name`, `address.city`, `gross_weight`.
    pub key: &'static str,
    /// How people and the exports name it.
    pub label: &'static str,
    pub required: bool,
    /// Headers that mean this field, written as [`normalise`] leaves them.
    synonyms: &'static [&'static str],
}

const fn field(
    key: &'static str,
    label: &'static str,
    required: bool,
    synonyms: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        key,
        label,
        required,
        synonyms,
    }
}

/// What a customer import can fill, in the order the mapping form lists them.
pub const CUSTOMER_FIELDS: &[FieldSpec] = &[
    field(
        "name",
        "Name",
        true,
        &[
            "name",
            "customername",
            "custname",
            "fullname",
            "customer",
            "partyname",
            "clientname",
            "nameofcustomer",
            "contactname",
        ],
    ),
    field(
        "phone",
        "Phone",
        true,
        &[
            "phone",
            "mobile",
            "mobileno",
            "mobilenumber",
            "phoneno",
            "phonenumber",
            "contact",
            "contactno",
            "contactnumber",
            "cell",
            "cellno",
            "mob",
            "mobno",
            "whatsapp",
            "whatsappno",
            "telephone",
            "tel",
        ],
    ),
    // Only this store's own codes (`C-000123`, as its exports write them): another
    // program's customer number means nothing here.
    field("code", "Code", false, &["code", "customercode"]),
    field(
        "email",
        "Email",
        false,
        &["email", "emailid", "emailaddress", "mail", "mailid"],
    ),
    field("gender", "Gender", false, &["gender", "sex"]),
    field(
        "date_of_birth",
        "Date of birth",
        false,
        &[
            "dateofbirth",
            "dob",
            "birthday",
            "birthdate",
            "bday",
            "birth",
        ],
    ),
    field(
        "anniversary",
        "Anniversary",
        false,
        &[
            "anniversary",
            "anniv",
            "anniversarydate",
            "weddinganniversary",
            "marriageanniversary",
            "doa",
            "weddingdate",
            "marriagedate",
            "weddingday",
        ],
    ),
    field(
        "address.line1",
        "Address line 1",
        false,
        &[
            "addressline1",
            "address1",
            "address",
            "addr",
            "street",
            "houseno",
            "line1",
        ],
    ),
    field(
        "address.line2",
        "Address line 2",
        false,
        &["addressline2", "address2", "addr2", "line2"],
    ),
    field(
        "address.locality",
        "Locality",
        false,
        &[
            "locality",
            "area",
            "neighbourhood",
            "neighborhood",
            "para",
            "colony",
        ],
    ),
    field("address.city", "City", false, &["city", "town", "district"]),
    field("address.state", "State", false, &["state"]),
    field(
        "address.pincode",
        "PIN code",
        false,
        &[
            "pincode",
            "pin",
            "pinno",
            "zip",
            "zipcode",
            "postalcode",
            "postcode",
        ],
    ),
    field("status", "Status", false, &["status", "customerstatus"]),
    field("home_floor", "Home floor", false, &["homefloor", "floor"]),
    field("tags", "Tags", false, &["tags", "tag", "labels", "groups"]),
    field(
        "pan",
        "PAN",
        false,
        &["pan", "panno", "pannumber", "pancard", "pancardno"],
    ),
    field(
        "notes",
        "Notes",
        false,
        &["notes", "note", "remarks", "remark", "comments", "comment"],
    ),
];

/// What a product import can fill, in the order the mapping form lists them.
pub const PRODUCT_FIELDS: &[FieldSpec] = &[
    field(
        "sku",
        "Tag number",
        true,
        &[
            "tagnumber",
            "tagno",
            "tag",
            "sku",
            "itemcode",
            "barcode",
            "tagid",
            "code",
        ],
    ),
    field(
        "name",
        "Name",
        true,
        &[
            "name",
            "itemname",
            "productname",
            "item",
            "particulars",
            "designname",
            "product",
        ],
    ),
    field(
        "description",
        "Description",
        false,
        &["description", "details", "desc"],
    ),
    field(
        "category",
        "Category",
        false,
        &["category", "itemtype", "type", "group", "itemgroup"],
    ),
    field(
        "floor",
        "Floor",
        false,
        &["floor", "counter", "section", "location"],
    ),
    field("metal", "Metal", false, &["metal"]),
    field(
        "purity",
        "Purity",
        true,
        &[
            "purity", "karat", "carat", "kt", "fineness", "touch", "purityk",
        ],
    ),
    field(
        "gross_weight",
        "Gross weight",
        true,
        &[
            "grossweight",
            "grosswt",
            "gwt",
            "gross",
            "grswt",
            "grosswtg",
            "grosswtgms",
            "weight",
            "wt",
        ],
    ),
    field(
        "stone_weight",
        "Stone weight",
        false,
        &[
            "stoneweight",
            "stonewt",
            "swt",
            "stwt",
            "lesswt",
            "lessweight",
        ],
    ),
    field(
        "net_weight",
        "Net weight",
        false,
        &["netweight", "netwt", "nwt", "net"],
    ),
    field(
        "making_charge",
        "Making charge",
        false,
        &[
            "makingcharge",
            "making",
            "makingcharges",
            "mc",
            "labour",
            "labourcharge",
            "labor",
            "makingpergram",
            "mcpergram",
            "makingpercent",
            "mcpercent",
        ],
    ),
    field(
        "stone_value",
        "Stone value",
        false,
        &[
            "stonevalue",
            "stoneamount",
            "stoneamt",
            "stonecharges",
            "stonecharge",
            "stoneprice",
        ],
    ),
    field(
        "huid",
        "HUID",
        false,
        &["huid", "huidno", "hallmarkid", "hallmarkuid", "hallmark"],
    ),
    field(
        "fixed_price",
        "Fixed price",
        false,
        &["fixedprice", "price", "mrp", "sellingprice", "saleprice"],
    ),
    field(
        "stock_qty",
        "In stock",
        false,
        &[
            "instock", "qty", "quantity", "stock", "pcs", "pieces", "stockqty",
        ],
    ),
    field("active", "Active", false, &["active", "isactive"]),
];

pub fn fields_of(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Customers => CUSTOMER_FIELDS,
        ImportKind::Products => PRODUCT_FIELDS,
    }
}

pub fn spec(kind: ImportKind, key: &str) -> Option<&'static FieldSpec> {
    fields_of(kind).iter().find(|f| f.key == key)
}

/// A header as compared: lower case, letters and digits only ("D.O.B." → "dob").
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header most likely means: its label or one of its synonyms, also under
/// a group header ("Address City" → City), never a field already taken.
fn field_for(kind: ImportKind, header: &str, taken: &[&str]) -> Option<&'static str> {
    let wanted = normalise(header);
    if wanted.is_empty() {
        return None;
    }
    let matches = |name: &str| {
        fields_of(kind).iter().find(|f| {
            !taken.contains(&f.key) && (normalise(f.label) == name || f.synonyms.contains(&name))
        })
    };
    if let Some(found) = matches(&wanted) {
        return Some(found.key);
    }
    for group in ["address", "customer", "cust", "item", "product"] {
        if let Some(rest) = wanted.strip_prefix(group)
            && !rest.is_empty()
            && let Some(found) = matches(rest)
        {
            return Some(found.key);
        }
    }
    // "Gross Wt (g)", "Mobile No. 1": the name with a unit or number after it.
    let trimmed = wanted.trim_end_matches(|c: char| c.is_ascii_digit());
    for unit in ["gms", "gm", "g", "inr", "rs", ""] {
        if let Some(base) = trimmed.strip_suffix(unit)
            && !base.is_empty()
            && base != wanted
            && let Some(found) = matches(base)
        {
            return Some(found.key);
        }
    }
    None
}

/// The mapping guessed from a file's headers: each header that names a field maps to
/// it, the first such header winning.
pub fn guess_mapping(kind: ImportKind, headers: &[String]) -> Vec<MappedColumn> {
    let mut mapped: Vec<MappedColumn> = Vec::new();
    for header in headers {
        let taken: Vec<&str> = mapped.iter().map(|m| m.field.as_str()).collect();
        if let Some(key) = field_for(kind, header, &taken) {
            mapped.push(MappedColumn {
                field: key.to_owned(),
                header: header.clone(),
            });
        }
    }
    in_field_order(kind, mapped)
}

/// A mapping listed in the order of the kind's fields.
pub fn in_field_order(kind: ImportKind, mut mapping: Vec<MappedColumn>) -> Vec<MappedColumn> {
    let rank = |m: &MappedColumn| {
        fields_of(kind)
            .iter()
            .position(|f| f.key == m.field)
            .unwrap_or(usize::MAX)
    };
    mapping.sort_by_key(rank);
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(kind: ImportKind, headers: &[&str]) -> Vec<(String, String)> {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        guess_mapping(kind, &headers)
            .into_iter()
            .map(|m| (m.header, m.field))
            .collect()
    }

    #[test]
    fn the_headers_of_other_programs_are_recognised() {
        let found = guess(
            ImportKind::Customers,
            &[
                "Sl No",
                "Cust Name",
                "Mobile",
                "D.O.B.",
                "Anniv",
                "Address City",
                "Address PIN",
                "E-mail ID",
                "Remarks",
            ],
        );
        let want = [
            ("Cust Name", "name"),
            ("Mobile", "phone"),
            ("E-mail ID", "email"),
            ("D.O.B.", "date_of_birth"),
            ("Anniv", "anniversary"),
            ("Address City", "address.city"),
            ("Address PIN", "address.pincode"),
            ("Remarks", "notes"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(h, f)| ((*h).to_owned(), (*f).to_owned()))
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn stock_list_headers_are_recognised() {
        let found = guess(
            ImportKind::Products,
            &[
                "Tag No",
                "Item Name",
                "Metal",
                "Purity",
                "Gross Wt",
                "Net Wt",
                "Stone Wt",
                "HUID",
                "Making",
                "Qty",
            ],
        );
        let fields: Vec<&str> = found.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "sku",
                "name",
                "metal",
                "purity",
                "gross_weight",
                "stone_weight",
                "net_weight",
                "making_charge",
                "huid",
                "stock_qty",
            ]
        );
    }

    #[test]
    fn an_export_maps_itself_back() {
        for kind in [ImportKind::Customers, ImportKind::Products] {
            let labels: Vec<String> = fields_of(kind).iter().map(|f| f.label.to_owned()).collect();
            let mapping = guess_mapping(kind, &labels);
            let keys: Vec<&str> = mapping.iter().map(|m| m.field.as_str()).collect();
            let all: Vec<&str> = fields_of(kind).iter().map(|f| f.key).collect();
            assert_eq!(keys, all, "{kind:?}");
        }
    }

    #[test]
    fn a_field_is_mapped_once() {
        let found = guess(ImportKind::Customers, &["Mobile", "Phone", "WhatsApp"]);
        assert_eq!(found, [("Mobile".to_owned(), "phone".to_owned())]);
    }
}
