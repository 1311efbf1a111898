//! The counter's rules as a bill meets them before it is completed (s.269ST cash a day,
//! PAN or Form 60 from ₹2,00,000, the KYC flag), each with what to change: drawn beside
//! the worked-out bill on the bill form and on a pending bill's page.

use maud::{Markup, html};

use crate::domain::billing::CounterFinding;
use crate::web::pages::shell::components::sentence;

/// The findings as a panel of warnings, each saying whether it would stop "Complete"
/// or only flag the sale. Nothing at all when the bill keeps every rule.
pub fn findings(found: &[CounterFinding]) -> Markup {
    html! {
        @if !found.is_empty() {
            section.card.wide #counter-rules aria-labelledby="counter-rules-title" {
                h2 #counter-rules-title { "The counter's rules" }
                @for finding in found {
                    p.alert.warning data-rule=(finding.code()) data-blocking=(finding.blocking()) role="status" {
                        strong { @if finding.blocking() { "Before completing: " } @else { "Flag: " } }
                        (sentence(&finding.to_string())) "."
                    }
                }
            }
        }
    }
}
