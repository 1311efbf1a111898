//! The opening report's last section, today's work: the rates in force, follow-ups
//! overdue and due, birthdays and anniversaries with call and WhatsApp links, bills
//! awaiting payment, pieces running out and the backups.

use maud::{Markup, html};

use crate::app::{OpeningReport, StageItem, Work};
use crate::domain::format_date;
use crate::domain::words::plural;
use crate::web::pages::backups::dashboard_notice;
use crate::web::pages::shell::components::icon;
use crate::web::pages::shell::format::label;
use crate::web::paths;

fn counted(count: usize, all: bool) -> String {
    if all {
        count.to_string()
    } else {
        format!("at least {count}")
    }
}

fn items(list: &[StageItem]) -> Markup {
    html! {
        ul.plain-list {
            @for item in list {
                li {
                    @match &item.work {
                        Work::FollowUp(f) => {
                            a href=(paths::follow_up(f.id)) { (label(f.kind.as_str())) }
                            " for "
                            a href=(paths::customer(item.customer.id)) { (item.customer.name.as_str()) }
                        }
                        Work::Sale(s) => {
                            a href=(paths::sale(s.id)) { (s.payable().to_string()) }
                            " for "
                            a href=(paths::customer(item.customer.id)) { (item.customer.name.as_str()) }
                        }
                    }
                }
            }
        }
    }
}

/// What waits today, as of the day the report was made.
pub(super) fn todays_work(report: &OpeningReport) -> Markup {
    let work = &report.work;
    let heading = if report.is_for_yesterday() || report.day == report.made_on {
        format!("Today's work, {}", format_date(work.on))
    } else {
        format!(
            "Work waiting now, {} (not as it stood on {})",
            format_date(work.on),
            format_date(report.day)
        )
    };
    html! {
        h2.report-heading #todays-work { (heading) }
        @if let Some(backups) = &work.backups { (dashboard_notice(backups)) }
        div.cards.report-cards.work {
            section.card.report-section #work-rates {
                h3 { (icon("rates")) "Rates in force" }
                @if work.rates.iter().all(|l| l.rate.is_none()) {
                    p.empty { "No rates set yet. " a href=(paths::rates()) { "Set today's rates" } }
                } @else {
                    dl {
                        @for line in &work.rates {
                            @if let Some(rate) = &line.rate {
                                dt { (line.purity.metal().label()) " " (line.purity.label()) }
                                dd { (rate.per_gram.to_string()) " per gram" }
                            }
                        }
                    }
                }
            }
            @if let Some(f) = &work.follow_ups {
                section.card.report-section #work-follow-ups {
                    h3 { (icon("calendar-check")) "Follow-ups" }
                    p {
                        a href=(paths::pipeline()) { strong { (counted(f.overdue.count, f.overdue.all)) } " overdue" }
                        " · "
                        a href=(paths::my_day()) { strong { (counted(f.due_today.count, f.due_today.all)) } " due later today" }
                    }
                    (items(&f.overdue_first))
                    (items(&f.due_today_first))
                }
            }
            section.card.report-section #work-occasions {
                h3 { (icon("gem")) "Birthdays and anniversaries today" }
                @if work.occasions.is_empty() {
                    p.empty { "None today." }
                } @else if work.occasions_total > work.occasions.len() {
                    p.sub #occasions-count {
                        "The first " (work.occasions.len()) " of " (crate::domain::group_indian(work.occasions_total as u64)) "; "
                        a href=(paths::my_day()) { "My day" } " lists them all."
                    }
                }
                ul.plain-list {
                    @for o in work.occasions.iter() {
                        li {
                            a href=(paths::customer(o.customer.id)) { (o.customer.name.as_str()) }
                            span.sub { " " (label(&format!("{:?}", o.kind))) ", " (o.years) " years" }
                            div.contact-links {
                                a.button href=(o.contact.call) aria-label=(format!("Call {}", o.customer.name.as_str())) {
                                    (icon("phone")) (o.customer.phone.to_string())
                                }
                                a.button.whatsapp href=(o.contact.whatsapp) target="_blank" rel="noopener"
                                    aria-label=(format!("WhatsApp {}", o.customer.name.as_str())) {
                                    (icon("whatsapp")) "WhatsApp"
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(p) = &work.pending {
                section.card.report-section #work-pending {
                    h3 { (icon("receipt")) "Bills awaiting payment" }
                    p {
                        a href=(paths::sales().with("status", "PENDING")) {
                            strong { (counted(p.bills.count, p.bills.all)) } " bills, " (p.total.to_string())
                        }
                    }
                    (items(&p.first))
                }
            }
            section.card.report-section #work-low-stock {
                h3 { (icon("out-of-stock")) "Pieces running out" }
                p {
                    a href=(paths::home().at("low-stock")) {
                        strong { (plural(i64::try_from(work.low_stock_total).unwrap_or(i64::MAX), "line", "lines")) }
                        " with one piece or none left"
                    }
                }
                ul.plain-list {
                    @for product in &work.low_stock {
                        li {
                            a href=(paths::product(product.id)) { (product.name.as_str()) }
                            span.sub { " " (product.sku.as_str()) " · " (product.stock_qty) " left" }
                        }
                    }
                }
            }
        }
    }
}
