//! Everything a customer's page shows, read in one call: the customer, the floors and
//! categories their details name, and their activity (timeline, open follow-ups, and the
//! staff a follow-up may be given to).

use super::{Actor, Crm, Error, FollowUpQuery, Permission, StaffNames, TimelineEntry};
use crate::domain::{Category, Customer, CustomerId, CustomerValue, Floor, FollowUp, User};
use crate::store::{Deleted, PageRequest};

/// Timeline entries shown at first; "Show older" adds this many more each time.
pub const FIRST_SHOWN: u32 = 20;
/// The most timeline entries shown at once.
pub const MAX_SHOWN: u32 = 500;
/// The most open follow-ups shown on the page.
const OPEN_SHOWN: u32 = 50;

/// What a customer's page shows.
#[derive(Debug, Clone)]
pub struct CustomerOverview {
    pub customer: Customer,
    /// Their lifetime value, last purchase and visits.
    pub value: CustomerValue,
    /// The store's floors (to name the home floor and to choose one in the forms).
    pub floors: Vec<Floor>,
    /// The store's categories (to name the customer's liked ones).
    pub categories: Vec<Category>,
    /// The customer's activity, or why this person sees none of it (a Floor Manager
    /// with no floor works on no floor's records).
    pub activity: Result<Activity, String>,
}

/// What the page shows of a customer's activity.
#[derive(Debug, Clone)]
pub struct Activity {
    pub entries: Vec<TimelineEntry>,
    /// Whether older entries than these exist.
    pub more: bool,
    pub shown: u32,
    /// Open follow-ups, soonest due first.
    pub open: Vec<FollowUp>,
    /// Active staff an admin may give a follow-up to (empty for everyone else).
    pub staff: Vec<User>,
    pub names: StaffNames,
}

impl Crm {
    /// The customer's page: the customer with the newest `shown` timeline entries
    /// (at most [`MAX_SHOWN`]). A person refused the activity still sees the details,
    /// with the reason in place of the activity.
    pub fn customer_overview(
        &self,
        actor: &Actor,
        id: CustomerId,
        shown: u32,
    ) -> Result<CustomerOverview, Error> {
        let customer = self.get_customer(actor, id)?;
        let value = self.customer_value(actor, id)?;
        let floors = self.list_floors(actor, Deleted::Hide)?;
        let categories = self.list_categories(actor)?;
        let activity = match self.customer_activity(actor, id, shown) {
            Ok(activity) => Ok(activity),
            Err(Error::Forbidden(why)) => Err(why),
            Err(other) => return Err(other),
        };
        Ok(CustomerOverview {
            customer,
            value,
            floors,
            categories,
            activity,
        })
    }

    /// The customer's activity with the newest `shown` timeline entries (at most
    /// [`MAX_SHOWN`]), for the page and for "Show older".
    pub fn customer_activity(
        &self,
        actor: &Actor,
        id: CustomerId,
        shown: u32,
    ) -> Result<Activity, Error> {
        let shown = shown.clamp(1, MAX_SHOWN);
        // One more than is shown says whether there are older entries.
        let request = PageRequest::first((shown + 1).min(MAX_SHOWN));
        let mut entries = self.customer_timeline(actor, id, request)?.entries.items;
        let more = entries.len() > shown as usize;
        entries.truncate(shown as usize);
        let open = FollowUpQuery {
            customer_id: Some(id.as_uuid()),
            per_page: Some(OPEN_SHOWN),
            ..FollowUpQuery::default()
        };
        let staff = if actor.may(Permission::AssignFollowUps) {
            let mut staff = self.list_users(actor, Deleted::Hide)?;
            staff.retain(|u| u.active);
            staff
        } else {
            Vec::new()
        };
        Ok(Activity {
            entries,
            more,
            shown,
            open: self.list_follow_ups(actor, &open)?.items,
            staff,
            names: self.staff_names(actor)?,
        })
    }
}
