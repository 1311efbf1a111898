//! Parts of a page that keep themselves current: a live region names the kinds of change
//! it shows, and when one arrives on the page's event stream htmx fetches the page again
//! and swaps in just that region.
//!
//! The wiring, end to end: the page's `<body>` connects to `GET /api/events?after=<the
//! change the page was drawn at>` through htmx's SSE extension (`sse-connect`), so
//! nothing committed while the page loaded is missed; each region listens with
//! `hx-trigger="sse:sale delay:…"` and refetches its content with `hx-get` + `hx-select`.
//! `assets/live.js` holds the page's one connection and, before htmx sees an event,
//! drops it for a region it does not concern (`data-live-about`) or whose form is being
//! typed in. Filters in `hx-trigger` (`[…]`) would need `eval`, which the page's
//! Content-Security-Policy forbids, so the script decides instead.

use maud::{Markup, html};
use uuid::Uuid;

use crate::store::EntityKind;
use crate::web::paths::Link;

/// A kind of change a region shows; the names are the stream's `event:` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Customer,
    Sale,
    Product,
    Rate,
    Interaction,
    FollowUp,
    Category,
    Floor,
}

impl Kind {
    /// The stream's own name for the kind, from the one list `live` sends.
    pub fn name(self) -> &'static str {
        let kind = match self {
            Kind::Customer => EntityKind::Customer,
            Kind::Sale => EntityKind::Sale,
            Kind::Product => EntityKind::Product,
            Kind::Rate => EntityKind::Rate,
            Kind::Interaction => EntityKind::Interaction,
            Kind::FollowUp => EntityKind::FollowUp,
            Kind::Category => EntityKind::Category,
            Kind::Floor => EntityKind::Floor,
        };
        crate::live::kind_name(kind)
    }
}

/// How long a region waits after a change before fetching itself, so a burst (a bill
/// completed takes stock from several pieces) is one fetch, not one per change.
const SETTLE_MS: u32 = 400;

/// A region of a page that redraws itself; see the module's documentation.
#[derive(Debug, Clone)]
pub struct Region<'a> {
    id: &'a str,
    on: &'a [Kind],
    about: Option<Uuid>,
    source: Option<Link>,
    with_head: bool,
    settle_ms: u32,
}

impl<'a> Region<'a> {
    /// The region with the HTML id `id`, redrawn on changes of the kinds `on` (and when
    /// the stream asks every page to redraw, after it could not say what was missed).
    pub fn new(id: &'a str, on: &'a [Kind]) -> Self {
        Region {
            id,
            on,
            about: None,
            source: None,
            with_head: false,
            settle_ms: SETTLE_MS,
        }
    }

    /// Only changes of this record, or of records of this customer, concern the
    /// region (a customer's page, a sale's page); rate changes always do, as they
    /// reprice what the region shows.
    #[must_use]
    pub fn about(mut self, id: Uuid) -> Self {
        self.about = Some(id);
        self
    }

    /// Fetch this address for the region instead of the page's own (a fragment route
    /// that is cheaper, or that draws what the page's own address does not).
    #[must_use]
    pub fn fetched_from(mut self, source: Link) -> Self {
        self.source = Some(source);
        self
    }

    /// Also redraw the page's heading and its buttons, which a change of the record
    /// can change (a bill's title gains its invoice number when it is completed).
    #[must_use]
    pub fn with_page_head(mut self) -> Self {
        self.with_head = true;
        self
    }

    /// Waits `ms` after the last change before fetching, for a region that is dearer
    /// to draw (a report).
    #[must_use]
    pub fn settle(mut self, ms: u32) -> Self {
        self.settle_ms = ms;
        self
    }

    /// `sse:sale delay:400ms, sse:rate delay:400ms, sse:resync`.
    fn trigger(&self) -> String {
        self.on
            .iter()
            .map(|kind| format!("sse:{} delay:{}ms", kind.name(), self.settle_ms))
            .chain(std::iter::once("sse:resync".to_owned()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn kinds(&self) -> String {
        self.on
            .iter()
            .map(|kind| kind.name())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `content` inside the region. The wrapper takes no part in the layout
    /// (`display: contents`), so a page's grid and spacing are as without it. An empty
    /// `hx-get` fetches the address the page is at now, filters in its query included
    /// (lists keep it current with `hx-push-url`); children do not inherit the
    /// region's `hx-select`.
    ///
    /// The region's content is swapped, not the region itself: a change that arrives
    /// while a fetch is under way queues another fetch on the region, which htmx would
    /// drop if the first one's answer had replaced the region (the request's element
    /// would be gone), leaving the page one change behind.
    pub fn wrap(&self, content: Markup) -> Markup {
        let source = self.source.as_ref().map_or("", Link::as_str);
        html! {
            div #(self.id) .live-region data-live=(self.kinds())
                data-live-about=[self.about]
                hx-get=(source) hx-select=(format!("#{} > *", self.id))
                hx-select-oob=[self.with_head.then_some("#page-head")]
                hx-swap="innerHTML" hx-disinherit="hx-select" hx-trigger=(self.trigger()) {
                (content)
            }
        }
    }
}

/// The record an edit form edits: when someone else changes it while the form is open,
/// `assets/live.js` says so in the form (and offers to reload the form from `edit`)
/// instead of touching what is typed.
#[derive(Debug, Clone)]
pub struct Watched {
    pub id: Uuid,
    pub kind: Kind,
    /// What the notice calls it: "customer", "product".
    pub noun: &'static str,
    /// The edit form's own address (a form sent back with errors is at the address it
    /// posts to, which is not the form).
    pub edit: Link,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::kind_name;
    use crate::store::EntityKind;

    #[test]
    fn kinds_are_named_as_the_stream_names_them() {
        for (kind, entity) in [
            (Kind::Customer, EntityKind::Customer),
            (Kind::Sale, EntityKind::Sale),
            (Kind::Product, EntityKind::Product),
            (Kind::Rate, EntityKind::Rate),
            (Kind::Interaction, EntityKind::Interaction),
            (Kind::FollowUp, EntityKind::FollowUp),
            (Kind::Category, EntityKind::Category),
            (Kind::Floor, EntityKind::Floor),
        ] {
            assert_eq!(kind.name(), kind_name(entity));
        }
    }

    #[test]
    fn a_region_fetches_itself_after_its_kinds_settle() {
        let id = Uuid::nil();
        let markup = Region::new("sales-live", &[Kind::Sale, Kind::Rate])
            .about(id)
            .wrap(html! { p { "x" } })
            .into_string();
        assert!(markup.contains(r##"id="sales-live""##), "{markup}");
        assert!(markup.contains(r#"data-live="sale rate""#), "{markup}");
        assert!(
            markup.contains(&format!(r#"data-live-about="{id}""#)),
            "{markup}"
        );
        assert!(markup.contains(r#"hx-get="""#), "{markup}");
        assert!(
            markup.contains(r##"hx-select="#sales-live &gt; *""##),
            "{markup}"
        );
        assert!(markup.contains(r#"hx-swap="innerHTML""#), "{markup}");
        assert!(
            markup
                .contains(r#"hx-trigger="sse:sale delay:400ms, sse:rate delay:400ms, sse:resync""#),
            "{markup}"
        );
        assert!(!markup.contains("hx-select-oob"), "{markup}");
    }
}
