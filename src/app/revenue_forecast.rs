//! The revenue forecast shown with the sales analytics: the daily takings of about two
//! years, read from the owner's figures by day (bills invoiced less returns paid back,
//! every day counted, days without sales as zero), handed to `domain::forecast`.

use jiff::civil::Date;
use jiff::{Span, ToSpan};

use super::figures::{FigureFilter, sum_facet};
use super::{Actor, Crm, Error};
use crate::domain::forecast::{Forecast, ForecastError, forecast};
use crate::domain::sale_facts::{Facet, invoiced, refund};
use crate::domain::{Area, Paise};
use crate::store::figures::Grain;

/// How far back the forecast looks: two years, so the held-out year has a year
/// before it to learn from.
pub const HISTORY_DAYS: i32 = 730;

/// The forecast, or why there is none, with the days it learnt from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueOutlook {
    /// Every day from the first with sales (at most [`HISTORY_DAYS`] back) to
    /// yesterday, with what it took less what was paid back.
    pub history: Vec<(Date, Paise)>,
    pub forecast: Result<Forecast, ForecastError>,
}

impl Crm {
    /// The forecast from today of what `actor` may see (a Floor Manager's floor),
    /// narrowed by `filter`.
    pub fn revenue_forecast(
        &self,
        actor: &Actor,
        filter: FigureFilter,
    ) -> Result<RevenueOutlook, Error> {
        actor.require_read(Area::Sales)?;
        let scope = actor.floor_scope()?;
        let today = self.today();
        let yesterday = today
            .yesterday()
            .map_err(|e| Error::internal("finding yesterday", e))?;
        let first = today
            .checked_sub(Span::new().days(HISTORY_DAYS))
            .map_err(|e| Error::internal("finding the forecast's first day", e))?;
        let span = (first, yesterday);
        let (sold, returned) = self.db.read(|rx| -> Result<_, Error> {
            let by_day = |r: &crate::store::figures::FigureRow| Some(r.day);
            let sold = sum_facet(
                rx,
                &scope,
                Facet::Invoiced,
                span,
                Grain::Days,
                filter,
                by_day,
            )?;
            let returned = sum_facet(rx, &scope, Facet::Refund, span, Grain::Days, filter, by_day)?;
            Ok((sold, returned))
        })?;
        let mut history = Vec::new();
        let mut day = first;
        let mut started = false;
        while day <= yesterday {
            let took = sold.get(&day).map_or(0, |m| m[invoiced::PAYABLE]);
            let back = returned.get(&day).map_or(0, |m| m[refund::AMOUNT]);
            started |= took != 0 || back != 0;
            if started {
                history.push((day, Paise::new(took.saturating_sub(back))));
            }
            day = day
                .checked_add(1.day())
                .map_err(|e| Error::internal("counting the forecast's days", e))?;
        }
        let forecast = forecast(&history, today);
        Ok(RevenueOutlook { history, forecast })
    }
}
