//! The floors' funnel: for any span of days, per floor and per salesperson, the walk-ins
//! logged, the inquiries, the bills invoiced and their value, what was paid back, and
//! how many walk-ins turned into a bill. Read from the owner's figures
//! (`app::figures::people_sums`), never from the records.

use jiff::civil::Date;

use super::figures::{FigureFilter, PeopleSums, people_sums};
use super::{Actor, Crm, Error};
use crate::domain::{Area, FloorId, Paise, UserId};
use crate::store::{Deleted, org};

/// One floor's or one salesperson's funnel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelRow<Id> {
    pub id: Id,
    pub name: String,
    pub sums: PeopleSums,
}

/// The funnel of a span, per floor and per salesperson, and for everyone together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloorFunnel {
    pub from: Date,
    pub to: Date,
    pub floors: Vec<FunnelRow<FloorId>>,
    pub staff: Vec<FunnelRow<UserId>>,
    pub total: PeopleSums,
}

/// Bills per inquiry, in basis points; `None` without inquiries.
pub fn inquiry_conversion_bp(sums: &PeopleSums) -> Option<i64> {
    (sums.inquiries > 0).then(|| sums.bills.saturating_mul(10_000) / sums.inquiries)
}

fn add(total: &mut PeopleSums, sums: &PeopleSums) {
    total.walk_ins = total.walk_ins.saturating_add(sums.walk_ins);
    total.inquiries = total.inquiries.saturating_add(sums.inquiries);
    total.bills = total.bills.saturating_add(sums.bills);
    total.payable = Paise::new(total.payable.get().saturating_add(sums.payable.get()));
    total.refunded = Paise::new(total.refunded.get().saturating_add(sums.refunded.get()));
}

impl Crm {
    /// The funnel of the days from `from` to `to` (this financial year to date by
    /// default) that `actor` may see: a Floor Manager's floor only.
    pub fn floor_funnel(
        &self,
        actor: &Actor,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<FloorFunnel, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let (from, to) = self.analytics_span(from, to)?;
        let staff_names = self.staff_names(actor)?;
        let filter = FigureFilter::default();
        let (by_floor, by_staff, floor_names) = self.db.read(|rx| -> Result<_, Error> {
            let by_floor = people_sums(rx, &scope, (from, to), filter, |r| r.floor)?;
            let by_staff = people_sums(rx, &scope, (from, to), filter, |r| r.staff)?;
            let mut names = std::collections::BTreeMap::new();
            for deleted in [Deleted::Hide, Deleted::Only] {
                for f in org::floors(rx, &actor.store_scope(), deleted)? {
                    names.insert(f.id.as_u128(), (f.level, f.name.as_str().to_owned()));
                }
            }
            Ok((by_floor, by_staff, names))
        })?;
        let mut total = PeopleSums::default();
        let mut floors: Vec<(i16, FunnelRow<FloorId>)> = by_floor
            .into_iter()
            .filter(|(f, _)| *f != 0)
            .map(|(f, sums)| {
                add(&mut total, &sums);
                let (level, name) = floor_names
                    .get(&f)
                    .cloned()
                    .unwrap_or((i16::MAX, "A floor since removed".to_owned()));
                let id = FloorId::from_u128(f);
                (level, FunnelRow { id, name, sums })
            })
            .collect();
        floors.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        let mut staff: Vec<FunnelRow<UserId>> = by_staff
            .into_iter()
            .map(|(u, sums)| {
                let id = UserId::from_u128(u);
                let name = staff_names.name(id).to_owned();
                FunnelRow { id, name, sums }
            })
            .collect();
        staff.sort_by(|a, b| {
            b.sums
                .payable
                .cmp(&a.sums.payable)
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(FloorFunnel {
            from,
            to,
            floors: floors.into_iter().map(|(_, row)| row).collect(),
            staff,
            total,
        })
    }
}
