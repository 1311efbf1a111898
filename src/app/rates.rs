//! The daily metal rates: the admin sets them each morning; everyone sees the board,
//! and pieces are priced from it.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{Actor, Crm, Error, Permission};
use crate::domain::Area;
use crate::domain::{
    FieldErrors, Metal, MetalRate, Paise, PriceToday, Product, Purity, RateId, board_purities,
    price_today,
};
use crate::store::rates as repo;

/// Above this a rate per gram is surely a typing mistake (platinum and 24K gold sell
/// for a few thousand rupees a gram).
const MAX_RATE_PAISE: i64 = 10_00_000_00;

/// A new rate for one purity, in paise per gram.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateInput {
    pub metal: Metal,
    /// One of the board's purities: `24K`, `22K`, `18K`, `14K` (gold), `999`, `925`
    /// (silver), `950` (platinum).
    pub purity: String,
    /// Above ₹0 and at most ₹10,00,000 a gram.
    #[schema(minimum = 1, maximum = 100_000_000)]
    pub per_gram_paise: i64,
}

/// A purity on the board and the rate in force for it, if any was ever set.
#[derive(Debug, Clone)]
pub struct BoardLine {
    pub purity: Purity,
    pub rate: Option<MetalRate>,
}

impl Crm {
    /// Today's rate board of the actor's store: every quoted purity, newest rate first.
    pub fn rate_board(&self, actor: &Actor) -> Result<Vec<BoardLine>, Error> {
        actor.require_read(Area::Rates)?;
        let scope = actor.store_scope();
        self.db.read(|rx| -> Result<_, Error> {
            board_purities()
                .into_iter()
                .map(|purity| {
                    Ok(BoardLine {
                        purity,
                        rate: repo::current_rate(rx, &scope, purity)?,
                    })
                })
                .collect()
        })
    }

    /// The last `limit` rates set for each purity on the board, newest first.
    pub fn rate_history(&self, actor: &Actor, limit: usize) -> Result<Vec<MetalRate>, Error> {
        let scope = actor.store_scope();
        let mut all = self.db.read(|rx| -> Result<Vec<MetalRate>, Error> {
            let mut all = Vec::new();
            for purity in board_purities() {
                all.extend(repo::rate_history(rx, &scope, purity, limit)?);
            }
            Ok(all)
        })?;
        all.sort_by_key(|r| std::cmp::Reverse(r.set_at));
        Ok(all)
    }

    /// Sets new rates, all or none: one bad line refuses the lot, naming it
    /// (`rates[2].per_gram_paise`). Admins only.
    pub fn set_rates(
        &self,
        actor: &Actor,
        inputs: Vec<RateInput>,
    ) -> Result<Vec<MetalRate>, Error> {
        actor.require_write(Area::Rates)?;
        actor.require(Permission::SetRates)?;
        let board = board_purities();
        let mut errors = FieldErrors::new();
        let mut parsed = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let at = |field: &str| format!("rates[{i}].{field}");
            let purity = match Purity::parse(input.metal, &input.purity) {
                Ok(p) if board.contains(&p) => Some(p),
                Ok(p) => {
                    errors.add(
                        at("purity"),
                        format!("{} {p} is not on the rate board; set 24K, 22K, 18K or 14K gold, 999 or 925 silver, or 950 platinum", input.metal.label()),
                    );
                    None
                }
                Err(e) => {
                    errors.add(at("purity"), e.0);
                    None
                }
            };
            if input.per_gram_paise <= 0 || input.per_gram_paise > MAX_RATE_PAISE {
                errors.add(
                    at("per_gram_paise"),
                    "must be a rate per gram above ₹0 and below ₹10,00,000",
                );
            }
            if let Some(purity) = purity {
                parsed.push((purity, Paise::new(input.per_gram_paise)));
            }
        }
        if inputs.is_empty() {
            errors.add("rates", "give at least one rate");
        }
        errors.into_result()?;
        self.db.write(actor.author(), |w| {
            let mut saved = Vec::new();
            for (purity, per_gram) in parsed {
                let rate = MetalRate {
                    id: RateId::new(),
                    store_id: actor.store_id,
                    purity,
                    per_gram,
                    set_by: actor.user_id,
                    set_at: w.now(),
                };
                repo::insert_rate(w, &rate)?;
                saved.push(rate);
            }
            Ok(saved)
        })
    }

    /// What one piece of `product` costs at the rate in force for its purity.
    pub fn price_of(&self, actor: &Actor, product: &Product) -> Result<Option<PriceToday>, Error> {
        let scope = actor.store_scope();
        let (rate, supply) = self.db.read(|rx| {
            let rate = repo::current_rate(rx, &scope, product.purity)?;
            Ok::<_, Error>((rate, super::counter_lookups::shelf_supply(rx, &scope)?))
        })?;
        Ok(price_today(product, rate.map(|r| r.per_gram), supply))
    }
}
