//! Unit tests of the invoice PDF, on an invoice put together in memory.

use jiff::civil::date;

use super::*;
use crate::domain::{
    Address, BasisPoints, CustomerId, CustomerPreferences, CustomerStatus, FinancialYear, FloorId,
    Gstin, Huid, InvoiceNo, MakingCharge, Metal, Milligrams, OldGold, Paise, PersonName, Phone,
    ProductId, Purity, SaleId, SaleLine, SaleStatus, Sku, Store, StoreId, Text, UserId, now,
};
use crate::domain::{ContentHash, FileCopy, FileType};
use crate::domain::{Customer, Pan, Payment, PaymentMethod, RoundOff, Sale, SellerGst};

pub(crate) fn line(n: usize, description: &str) -> SaleLine {
    SaleLine {
        product_id: ProductId::new(),
        sku: Sku::parse(&format!("NK-{n}")).expect("sku"),
        description: PersonName::parse(description).expect("description"),
        metal: Metal::Gold,
        purity: Purity::parse(Metal::Gold, "22K").expect("purity"),
        huid: Some(Huid::parse("AB12C3").expect("huid")),
        quantity: 1,
        gross_weight: Milligrams::new(25_000).expect("weight"),
        net_weight: Milligrams::new(23_800).expect("weight"),
        rate_per_gram: Paise::new(6_800_00),
        metal_value: Paise::new(1_61_840_00),
        making_charge: MakingCharge::PerGramPaise(Paise::new(520_00)),
        making_amount: Paise::new(12_376_00),
        stone_value: Paise::new(8_500_00),
        discount: Paise::new(1_000_00),
        taxable_value: Paise::new(1_81_716_00),
    }
}

pub(crate) fn invoice(customer_name: &str, lines: Vec<SaleLine>) -> Invoice {
    let at = now();
    let store_id = StoreId::new();
    let customer = Customer {
        id: CustomerId::new(),
        store_id,
        number: 42,
        name: PersonName::parse(customer_name).expect("name"),
        phone: Phone::parse("98310 00001").expect("phone"),
        email: None,
        gender: None,
        date_of_birth: None,
        anniversary: None,
        address: Address {
            line1: Text::parse("12 Lake Road").expect("line"),
            city: Text::parse("Kolkata").expect("city"),
            state: Text::parse("West Bengal").expect("state"),
            ..Address::default()
        },
        status: CustomerStatus::Converted,
        preferences: CustomerPreferences::default(),
        notes: Text::default(),
        home_floor_id: None,
        tags: Vec::new(),
        pan: Some(Pan::parse("ABCPK1234F").expect("pan")),
        created_by: UserId::new(),
        created_at: at,
        updated_at: at,
        deleted_at: None,
    };
    let taxable = Paise::new(lines.iter().map(|l| l.taxable_value.get()).sum::<i64>());
    let gst = Paise::new(taxable.get() * 15 / 1000);
    let total = Paise::new(taxable.get() + 2 * gst.get());
    let fy = FinancialYear::containing(date(2026, 11, 25));
    let sale = Sale {
        id: SaleId::new(),
        store_id,
        floor_id: FloorId::new(),
        customer_id: customer.id,
        status: SaleStatus::Completed,
        invoice_no: Some(InvoiceNo::new("SJ", fy, 7).expect("number")),
        lines,
        bill_discount: Paise::ZERO,
        taxable_value: taxable,
        cgst: gst,
        sgst: gst,
        igst: Paise::ZERO,
        total,
        payments: vec![Payment {
            method: PaymentMethod::OldGold,
            amount: Paise::new(26_656_00),
            reference: Text::default(),
            old_gold: Some(OldGold {
                weight: Milligrams::new(4_000).expect("weight"),
                purity: Purity::parse(Metal::Gold, "22K").expect("purity"),
                deduction: BasisPoints::new(200).expect("bp"),
                value: Paise::new(26_656_00),
            }),
        }],
        staff_id: UserId::new(),
        notes: Text::default(),
        created_at: at,
        completed_at: Some(at),
        updated_at: at,
        refunds: Vec::new(),
        form60: None,
        round_off: Paise::ZERO,
        change_given: Paise::ZERO,
        seller_gst: SellerGst::Registered(Gstin::parse("19AAACS1234F1ZP").expect("gstin")),
        corrections: Vec::new(),
        line_categories: Vec::new(),
        place_of_supply: crate::domain::gst_states::StateCode::of("19"),
    };
    Invoice {
        store: Store {
            id: store_id,
            name: PersonName::parse("Sarkar Jewellers").expect("store"),
            gstin: Some(Gstin::parse("19AAACS1234F1ZP").expect("gstin")),
            state_code: Text::parse("19").expect("code"),
            address: Text::parse("45 Bowbazar Street, Kolkata 700012").expect("address"),
            created_at: at,
            round_off: RoundOff::NearestRupee,
        },
        store_state: "West Bengal (19)".into(),
        customer,
        place_of_supply: "West Bengal (19)".into(),
        floor_name: "Ground Floor — Gold".into(),
        staff_name: "Ananya Bose".into(),
        issued_on: date(2026, 11, 25),
        amount_in_words: "Rupees One Lakh Only".into(),
        refunded_on: Vec::new(),
        logo: None,
        logo_image: None,
        sale,
    }
}

/// The number of page objects (`/Type /Page`, not the `/Type /Pages` tree).
fn pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

#[test]
fn an_ordinary_bill_is_one_page_with_its_fonts_embedded() {
    let pdf = invoice_pdf(&invoice("Rina Sinha", vec![line(1, "Temple necklace")]));
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pages(&pdf), 1);
    let text = String::from_utf8_lossy(&pdf);
    for part in [
        "/Identity-H",
        "/CIDFontType2",
        "/ToUnicode",
        "/FontFile2",
        "/W [",
        "NotoSans-Bold",
    ] {
        assert!(text.contains(part), "missing {part}");
    }
    // ₹ is drawn and maps back to U+20B9 for copying and searching.
    assert!(text.contains("<20B9>"), "₹ in the ToUnicode map");
    assert!(
        pdf.len() < 200_000,
        "subset fonts, not whole faces: {} bytes",
        pdf.len()
    );
}

#[test]
fn many_lines_run_on_to_more_pages() {
    let lines: Vec<SaleLine> = (1..=60)
        .map(|n| {
            line(
                n,
                "Antique temple necklace with Lakshmi pendant and kemp stones",
            )
        })
        .collect();
    let pdf = invoice_pdf(&invoice("Rina Sinha", lines));
    let count = pages(&pdf);
    assert!(
        count >= 3,
        "60 three-line rows need several pages, got {count}"
    );
    assert!(String::from_utf8_lossy(&pdf).contains(&format!("/Count {count}")));
}

#[test]
fn a_name_in_bengali_becomes_question_marks_without_panicking() {
    let pdf = invoice_pdf(&invoice("সুমন দাস", vec![line(1, "Temple necklace")]));
    assert_eq!(pages(&pdf), 1);
    assert!(
        String::from_utf8_lossy(&pdf).contains("<003F>"),
        "? stands in"
    );
}

/// The invoice with `bytes` of `file_type` as the store's logo.
pub(crate) fn with_logo(mut invoice: Invoice, file_type: FileType, bytes: Vec<u8>) -> Invoice {
    let picture = image::load_from_memory(&bytes).expect("a picture");
    invoice.logo_image = Some(crate::app::LogoImage {
        copy: FileCopy {
            width: picture.width(),
            height: picture.height(),
            file_type,
            content: ContentHash::from_bytes([7; 32]),
            bytes: bytes.len() as u64,
        },
        bytes,
    });
    invoice
}

/// A 320 × 80 logo: a maroon band, see-through on its left half when `clear`.
pub(crate) fn logo_png(clear: bool) -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(320, 80, |x, _| {
        image::Rgba([140, 29, 64, if clear && x < 160 { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(picture)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG");
    out.into_inner()
}

fn logo_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(320, 80, image::Rgb([140, 29, 64]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("a JPEG");
    out.into_inner()
}

#[test]
fn a_png_logo_is_embedded_with_its_soft_mask() {
    let plain = invoice("Rina Sinha", vec![line(1, "Temple necklace")]);
    let pdf = invoice_pdf(&with_logo(plain, FileType::Png, logo_png(true)));
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(pages(&pdf), 1);
    assert!(text.contains("/Subtype /Image"), "an image XObject");
    assert!(text.contains("/SMask"), "the see-through half kept");
    assert!(text.contains("/FlateDecode"));
    assert!(text.contains("/Im0 "), "named in the page's resources");
}

#[test]
fn a_jpeg_logo_is_embedded_as_it_is() {
    let jpeg = logo_jpeg();
    let plain = invoice("Rina Sinha", vec![line(1, "Temple necklace")]);
    let pdf = invoice_pdf(&with_logo(plain, FileType::Jpeg, jpeg.clone()));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/DCTDecode"));
    assert!(!text.contains("/SMask"));
    assert!(
        pdf.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
        "the JPEG's own bytes"
    );
}

#[test]
fn without_a_logo_nothing_moves() {
    let plain = invoice("Rina Sinha", vec![line(1, "Temple necklace")]);
    let pdf = invoice_pdf(&plain);
    assert!(!String::from_utf8_lossy(&pdf).contains("/XObject"));
    // A logo that cannot be read is left out, and the page is laid out as without one.
    let mut broken = with_logo(plain.clone(), FileType::Png, logo_png(false));
    if let Some(image) = broken.logo_image.as_mut() {
        image.bytes.truncate(40);
    }
    assert_eq!(invoice_pdf(&broken), pdf, "the same bytes");
}
