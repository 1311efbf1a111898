//! The seed's enums, spelled exactly as the seed spells them (`BUSINESS_ADMIN`, `WALK_IN`…).
//!
//! Stored records encode variants by index: only ever append variants.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Implements `as_str`, `ALL`, `Display` and `FromStr` from one list of variants and
/// their seed spellings.
macro_rules! seed_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            ToSchema,
        )]
        // Every seed spelling is the variant name in SCREAMING_SNAKE_CASE; a unit test
        // checks that serde and `as_str` agree.
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = super::InvalidValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().to_ascii_uppercase().replace(['-', ' '], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| {
                        let options: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        super::InvalidValue::new(format!(
                            "'{}' is not one of {}", s.trim(), options.join(", ")
                        ))
                    })
            }
        }
    };
}

seed_enum!(
    /// What a staff member may do: the admin runs the whole store, a floor manager
    /// their own floor.
    UserRole { BusinessAdmin = "BUSINESS_ADMIN", FloorManager = "FLOOR_MANAGER" }
);

seed_enum!(Gender { Male = "MALE", Female = "FEMALE", Other = "OTHER" });

seed_enum!(
    /// Where a customer stands with the store.
    CustomerStatus {
        Active = "ACTIVE",
        Inactive = "INACTIVE",
        Prospect = "PROSPECT",
        Converted = "CONVERTED",
    }
);

seed_enum!(
    /// A touchpoint on the customer's timeline.
    InteractionType {
        WalkIn = "WALK_IN",
        PhoneCall = "PHONE_CALL",
        Email = "EMAIL",
        FollowUp = "FOLLOW_UP",
        Sale = "SALE",
        Complaint = "COMPLAINT",
        Inquiry = "INQUIRY",
        HandedOff = "HANDED_OFF",
    }
);

seed_enum!(
    /// How a follow-up is to be done. The seed's five kinds come first; WhatsApp was
    /// appended after them (stored records encode the variant's index).
    FollowUpType {
        PhoneCall = "PHONE_CALL",
        Email = "EMAIL",
        Sms = "SMS",
        Visit = "VISIT",
        Demo = "DEMO",
        Whatsapp = "WHATSAPP",
    }
);

seed_enum!(
    FollowUpStatus {
        Pending = "PENDING",
        Completed = "COMPLETED",
        Cancelled = "CANCELLED",
        Rescheduled = "RESCHEDULED",
    }
);

seed_enum!(
    SaleStatus {
        Pending = "PENDING",
        Completed = "COMPLETED",
        Cancelled = "CANCELLED",
        Refunded = "REFUNDED",
    }
);

seed_enum!(
    /// How part of a bill was paid; old gold handed in counts as a payment.
    PaymentMethod {
        Cash = "CASH",
        Upi = "UPI",
        Card = "CARD",
        BankTransfer = "BANK_TRANSFER",
        OldGold = "OLD_GOLD",
    }
);

impl PaymentMethod {
    /// How a bill and an invoice say it: `UPI`, `Bank transfer`, `Old gold`.
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Upi => "UPI",
            PaymentMethod::Card => "Card",
            PaymentMethod::BankTransfer => "Bank transfer",
            PaymentMethod::OldGold => "Old gold",
        }
    }
}

impl UserRole {
    /// The name used on the command line (`business-admin`).
    pub fn cli_name(self) -> &'static str {
        match self {
            UserRole::BusinessAdmin => "business-admin",
            UserRole::FloorManager => "floor-manager",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_as_the_seed() {
        assert_eq!(
            serde_json::to_string(&InteractionType::WalkIn).unwrap(),
            "\"WALK_IN\""
        );
        assert_eq!(
            "floor-manager".parse::<UserRole>().unwrap(),
            UserRole::FloorManager
        );
        fn agree<T: Serialize + std::fmt::Display>(all: &[T]) {
            for v in all {
                assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{v}\""));
            }
        }
        agree(UserRole::ALL);
        agree(Gender::ALL);
        agree(CustomerStatus::ALL);
        agree(InteractionType::ALL);
        agree(FollowUpType::ALL);
        agree(FollowUpStatus::ALL);
        agree(SaleStatus::ALL);
        agree(PaymentMethod::ALL);
        let err = "GOLD".parse::<CustomerStatus>().unwrap_err();
        assert!(
            err.0.contains("ACTIVE, INACTIVE, PROSPECT, CONVERTED"),
            "{err}"
        );
    }
}
