//! Jewellery price arithmetic: metal value from the rate and net weight, making charge,
//! stones, and GST at 3% split CGST + SGST within the state or IGST across states.

use super::money::round_div;
use super::{BasisPoints, Milligrams, Paise};

/// GST on jewellery (HSN 7113): 3% of the taxable value.
pub const GST_RATE: BasisPoints = BasisPoints::from_const(300);
const HALF_GST: BasisPoints = BasisPoints::from_const(150);

/// The value of `net` milligrams at `rate` paise per gram, to the nearest paisa.
pub fn metal_value(rate_per_gram: Paise, net: Milligrams) -> Paise {
    Paise::new(round_div(
        i128::from(rate_per_gram.get()) * i128::from(net.get()),
        1000,
    ) as i64)
}

/// The tax on a bill, split the way the invoice prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GstSplit {
    pub cgst: Paise,
    pub sgst: Paise,
    pub igst: Paise,
}

impl GstSplit {
    pub fn total(self) -> Paise {
        Paise::new(self.cgst.get() + self.sgst.get() + self.igst.get())
    }
}

/// Where the customer is, for GST: the shop's own state, or another state; or a
/// supply by a seller not registered under GST, who may not charge it at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supply {
    IntraState,
    InterState,
    ByUnregisteredSeller,
}

/// CGST 1.5% + SGST 1.5% within the state; IGST 3% across states; nothing from an
/// unregistered seller. Each tax is rounded to the paisa on its own, as it is printed.
pub fn gst(taxable: Paise, supply: Supply) -> GstSplit {
    match supply {
        Supply::IntraState => {
            let half = taxable.percent(HALF_GST);
            GstSplit {
                cgst: half,
                sgst: half,
                igst: Paise::ZERO,
            }
        }
        Supply::InterState => GstSplit {
            cgst: Paise::ZERO,
            sgst: Paise::ZERO,
            igst: taxable.percent(GST_RATE),
        },
        Supply::ByUnregisteredSeller => GstSplit {
            cgst: Paise::ZERO,
            sgst: Paise::ZERO,
            igst: Paise::ZERO,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metal_value_rounds_to_the_paisa() {
        // 10.505 g at ₹7,000.00/g = ₹73,535.00
        assert_eq!(
            metal_value(Paise::new(7_000_00), Milligrams::new(10_505).unwrap()),
            Paise::new(73_535_00)
        );
        // 0.333 g at ₹1.01/g = 33.633 paise → 34
        assert_eq!(
            metal_value(Paise::new(101), Milligrams::new(333).unwrap()),
            Paise::new(34)
        );
    }

    #[test]
    fn gst_splits() {
        let taxable = Paise::new(1_00_000_00);
        let intra = gst(taxable, Supply::IntraState);
        assert_eq!(
            (intra.cgst, intra.sgst),
            (Paise::new(1_500_00), Paise::new(1_500_00))
        );
        assert_eq!(gst(taxable, Supply::InterState).igst, Paise::new(3_000_00));
        assert_eq!(intra.total(), Paise::new(3_000_00));
        assert_eq!(
            gst(taxable, Supply::ByUnregisteredSeller).total(),
            Paise::ZERO
        );
    }
}
