//! The day's metal rates: what a gram of each quoted purity sells for, as the admin
//! sets it each morning, and the price of a piece worked out from it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::pricing::{GstSplit, Supply, gst, metal_value};
use super::time::micros;
use super::{Metal, Paise, Product, Purity, RateId, StoreId, UserId};

/// The purities on the rate board, in the order jewellers write them up.
pub fn board_purities() -> Vec<Purity> {
    [
        (Metal::Gold, 999),
        (Metal::Gold, 916),
        (Metal::Gold, 750),
        (Metal::Gold, 585),
        (Metal::Silver, 999),
        (Metal::Silver, 925),
        (Metal::Platinum, 950),
    ]
    .into_iter()
    .filter_map(|(metal, fineness)| Purity::from_fineness(metal, fineness).ok())
    .collect()
}

/// One rate as set: history is kept, the newest per purity is the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetalRate {
    pub id: RateId,
    pub store_id: StoreId,
    pub purity: Purity,
    /// Selling rate in paise per gram of the purity.
    pub per_gram: Paise,
    pub set_by: UserId,
    #[serde(with = "micros")]
    pub set_at: Timestamp,
}

/// What a piece costs today, line by line as a bill would show it (before discounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceToday {
    /// The rate used; `None` for a fixed-price piece.
    pub rate_per_gram: Option<Paise>,
    pub metal_value: Paise,
    pub making: Paise,
    pub stones: Paise,
    /// Metal + making + stones, or the fixed price: what GST is charged on.
    pub taxable: Paise,
    pub gst: GstSplit,
    pub total: Paise,
}

/// The price of one piece of `product` at `rate` (paise per gram of its purity), with
/// GST as `supply` says: a customer of the shop's own state for a registered store,
/// none for a store that is not registered. A fixed-price piece ignores the rate; a
/// rate-priced piece with no rate set has no price (`None`).
pub fn price_today(product: &Product, rate: Option<Paise>, supply: Supply) -> Option<PriceToday> {
    let (rate_per_gram, metal, making, stones, taxable) = match product.fixed_price {
        Some(fixed) => (None, Paise::ZERO, Paise::ZERO, Paise::ZERO, fixed),
        None => {
            let rate = rate?;
            let net = product.net_weight();
            let metal = metal_value(rate, net);
            let making = product.making_charge.amount(net, metal);
            let taxable = Paise::new(metal.get() + making.get() + product.stone_value.get());
            (Some(rate), metal, making, product.stone_value, taxable)
        }
    };
    let gst = gst(taxable, supply);
    Some(PriceToday {
        rate_per_gram,
        metal_value: metal,
        making,
        stones,
        taxable,
        gst,
        total: Paise::new(taxable.get() + gst.total().get()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MakingCharge, Milligrams, PersonName, ProductId, Sku, Text};

    fn bangle(making: MakingCharge) -> Product {
        Product {
            id: ProductId::new(),
            store_id: StoreId::new(),
            floor_id: crate::domain::FloorId::new(),
            sku: Sku::parse("GB-1").unwrap(),
            name: PersonName::parse("Bangle").unwrap(),
            description: Text::default(),
            category_id: None,
            metal: Metal::Gold,
            purity: Purity::parse(Metal::Gold, "22K").unwrap(),
            gross_weight: Milligrams::new(20_500).unwrap(),
            stone_weight: Milligrams::new(500).unwrap(),
            making_charge: making,
            stone_value: Paise::new(2_000_00),
            huid: None,
            fixed_price: None,
            stock_qty: 1,
            active: true,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            deleted_at: None,
        }
    }

    #[test]
    fn a_piece_is_priced_from_net_weight_making_and_stones() {
        // 20 g net at ₹6,800/g = ₹1,36,000; making ₹450/g × 20 g = ₹9,000; stones ₹2,000.
        let p = bangle(MakingCharge::PerGramPaise(Paise::new(450_00)));
        let price = price_today(&p, Some(Paise::new(6_800_00)), Supply::IntraState).unwrap();
        assert_eq!(price.metal_value, Paise::new(1_36_000_00));
        assert_eq!(price.making, Paise::new(9_000_00));
        assert_eq!(price.taxable, Paise::new(1_47_000_00));
        assert_eq!(price.gst.cgst, Paise::new(2_205_00));
        assert_eq!(price.gst.sgst, Paise::new(2_205_00));
        assert_eq!(price.total, Paise::new(1_51_410_00));
        assert!(
            price_today(&p, None, Supply::IntraState).is_none(),
            "no rate, no price"
        );
    }

    #[test]
    fn a_fixed_price_ignores_the_rate() {
        let mut p = bangle(MakingCharge::FlatPaise(Paise::ZERO));
        p.fixed_price = Some(Paise::new(2_500_00));
        let price = price_today(&p, None, Supply::IntraState).unwrap();
        assert_eq!(price.taxable, Paise::new(2_500_00));
        assert_eq!(price.total, Paise::new(2_575_00));
    }

    #[test]
    fn the_board_quotes_the_usual_purities() {
        let labels: Vec<String> = board_purities().iter().map(|p| p.label()).collect();
        assert_eq!(labels, ["24K", "22K", "18K", "14K", "999", "925", "950"]);
    }
}
