//! How every list is paged: `limit` and an opaque `cursor` (plus the older `page`,
//! `per_page` and `before`, still read), and the `next` cursor each page hands back.
//!
//! A query string cannot be flattened into a struct (serde would lose the numbers'
//! types), so each list's query struct repeats the fields it takes and hands them to
//! [`Paging`], which reads them the same way for every list.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::domain::FieldErrors;
use crate::store::{Page, PageRequest};

use super::Error;

pub const MAX_LIMIT: u32 = 200;
pub const DEFAULT_LIMIT: u32 = 25;

/// The query parameters that steer paging. A bad value of any of them answers 400.
pub const PAGING_PARAMETERS: [&str; 5] = ["limit", "cursor", "page", "per_page", "before"];

/// `limit` and `cursor` alone: the query of a list that has no filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Items per page, 1 to 200. Left out, the whole list comes at once.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Where to go on from: the `next` of the previous page, passed back unchanged.
    pub cursor: Option<String>,
}

impl ListQuery {
    /// The page asked for of a list that is small and comes whole unless `limit` or
    /// `cursor` is given.
    pub fn whole(&self) -> Result<PageRequest, Error> {
        Paging {
            limit: self.limit,
            cursor: self.cursor.as_deref(),
            ..Paging::default()
        }
        .by_position(u32::MAX)
    }
}

/// Where a page starts: opaque to clients, who only pass back what `next` said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// After this many matching items (lists in a fixed order, read by position).
    Offset(usize),
    /// Older than this record (lists read newest first by id, like the sales).
    Before(Uuid),
}

impl Cursor {
    pub fn encode(self) -> String {
        let plain = match self {
            Cursor::Offset(offset) => format!("o{offset}"),
            Cursor::Before(id) => format!("b{}", id.simple()),
        };
        URL_SAFE_NO_PAD.encode(plain)
    }

    pub fn decode(text: &str) -> Result<Self, Error> {
        let plain = URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let cursor = plain.as_deref().and_then(|plain| {
            if let Some(offset) = plain.strip_prefix('o') {
                offset.parse().ok().map(Cursor::Offset)
            } else if let Some(id) = plain.strip_prefix('b') {
                Uuid::try_parse(id).ok().map(Cursor::Before)
            } else {
                None
            }
        });
        cursor.ok_or_else(bad_cursor)
    }
}

fn bad_cursor() -> Error {
    bad_query(
        "cursor",
        "is not a cursor this list handed out; pass back the `next` of the previous page unchanged, or leave `cursor` out to start at the beginning",
    )
}

/// A 400 naming the paging parameter at fault.
fn bad_query(parameter: &str, message: impl Into<String>) -> Error {
    let mut errors = FieldErrors::new();
    errors.add(parameter, message);
    Error::BadQuery(errors)
}

/// The paging parameters of one request, new names and older ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Paging<'a> {
    pub limit: Option<u32>,
    pub cursor: Option<&'a str>,
    /// Older alias: a 1-based page number instead of a cursor.
    pub page: Option<u32>,
    /// Older alias of `limit`.
    pub per_page: Option<u32>,
}

impl Paging<'_> {
    /// The page size asked for, `default` when none is.
    pub fn limit(&self, default: u32) -> Result<u32, Error> {
        let (name, limit) = match (self.limit, self.per_page) {
            (Some(_), Some(_)) => {
                return Err(bad_query(
                    "per_page",
                    "is the older name of limit; send only limit",
                ));
            }
            (Some(limit), None) => ("limit", limit),
            (None, Some(per_page)) => ("per_page", per_page),
            (None, None) => return Ok(default),
        };
        if limit == 0 || limit > MAX_LIMIT {
            return Err(bad_query(
                name,
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        Ok(limit)
    }

    /// The page of a list read by position (default size 25).
    pub fn request(&self) -> Result<PageRequest, Error> {
        self.by_position(DEFAULT_LIMIT)
    }

    /// The page of a list read by position, `default` items when no limit is given.
    pub fn by_position(&self, default: u32) -> Result<PageRequest, Error> {
        let per_page = self.limit(default)?;
        match (self.cursor, self.page) {
            (Some(_), Some(_)) => Err(bad_query(
                "page",
                "and cursor both say where to start; send only the cursor",
            )),
            (Some(cursor), None) => match Cursor::decode(cursor)? {
                Cursor::Offset(skip) => Ok(PageRequest { skip, per_page }),
                Cursor::Before(_) => Err(bad_cursor()),
            },
            (None, Some(page)) if page == 0 || page > 1_000_000 => {
                Err(bad_query("page", "must be between 1 and 1000000"))
            }
            (None, Some(page)) => Ok(PageRequest::numbered(page, per_page)),
            (None, None) => Ok(PageRequest::first(per_page)),
        }
    }

    /// Where a newest-first list keyed by id starts (`None`: at the newest), and how
    /// many it returns; `before` is the older way to say where.
    pub fn before(&self, before: Option<Uuid>) -> Result<(Option<Uuid>, u32), Error> {
        let limit = self.limit(DEFAULT_LIMIT)?;
        let start = match (self.cursor, before) {
            (Some(_), Some(_)) => {
                return Err(bad_query(
                    "before",
                    "and cursor both say where to start; send only the cursor",
                ));
            }
            (Some(cursor), None) => match Cursor::decode(cursor)? {
                Cursor::Before(id) => Some(id),
                Cursor::Offset(_) => return Err(bad_cursor()),
            },
            (None, before) => before,
        };
        Ok((start, limit))
    }
}

/// The cursor of the page after `page`, if there is one.
pub fn next_cursor<T>(page: &Page<T>) -> Option<String> {
    page.has_more
        .then(|| Cursor::Offset(page.offset.saturating_add(page.items.len())).encode())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(err: Error) -> String {
        match err {
            Error::BadQuery(errors) => errors.iter().map(|(f, _)| f.clone()).collect(),
            other => panic!("expected a bad query, got {other:?}"),
        }
    }

    #[test]
    fn cursors_come_back_as_they_went_out() {
        for cursor in [
            Cursor::Offset(0),
            Cursor::Offset(1_234_567),
            Cursor::Before(Uuid::now_v7()),
        ] {
            assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        }
    }

    #[test]
    fn a_cursor_not_handed_out_is_refused_by_name() {
        for text in ["", "???", "bzox", "o12", &URL_SAFE_NO_PAD.encode("x12")] {
            assert_eq!(field_of(Cursor::decode(text).unwrap_err()), "cursor");
        }
        let keyed = Cursor::Before(Uuid::now_v7()).encode();
        let by_position = Paging {
            cursor: Some(&keyed),
            ..Paging::default()
        };
        assert_eq!(field_of(by_position.request().unwrap_err()), "cursor");
        let offset = Cursor::Offset(3).encode();
        let keyed_list = Paging {
            cursor: Some(&offset),
            ..Paging::default()
        };
        assert_eq!(field_of(keyed_list.before(None).unwrap_err()), "cursor");
    }

    #[test]
    fn limits_and_their_older_name_are_checked_by_name() {
        let paging = |limit, per_page| Paging {
            limit,
            per_page,
            ..Paging::default()
        };
        assert_eq!(paging(None, None).limit(25).unwrap(), 25);
        assert_eq!(paging(Some(200), None).limit(25).unwrap(), 200);
        assert_eq!(paging(None, Some(7)).limit(25).unwrap(), 7);
        assert_eq!(
            field_of(paging(Some(0), None).limit(25).unwrap_err()),
            "limit"
        );
        assert_eq!(
            field_of(paging(Some(201), None).limit(25).unwrap_err()),
            "limit"
        );
        assert_eq!(
            field_of(paging(None, Some(1000)).limit(25).unwrap_err()),
            "per_page"
        );
        assert_eq!(
            field_of(paging(Some(5), Some(5)).limit(25).unwrap_err()),
            "per_page"
        );
    }

    #[test]
    fn a_page_number_and_a_cursor_start_where_they_say() {
        let numbered = Paging {
            page: Some(3),
            per_page: Some(10),
            ..Paging::default()
        };
        let request = numbered.request().unwrap();
        assert_eq!((request.skip, request.per_page), (20, 10));
        let cursor = Cursor::Offset(7).encode();
        let resumed = Paging {
            limit: Some(2),
            cursor: Some(&cursor),
            ..Paging::default()
        };
        let request = resumed.request().unwrap();
        assert_eq!((request.skip, request.per_page), (7, 2));
        let both = Paging {
            cursor: Some(&cursor),
            page: Some(2),
            ..Paging::default()
        };
        assert_eq!(field_of(both.request().unwrap_err()), "page");
        let zero = Paging {
            page: Some(0),
            ..Paging::default()
        };
        assert_eq!(field_of(zero.request().unwrap_err()), "page");
    }

    #[test]
    fn the_next_cursor_goes_on_after_the_last_item_shown() {
        let request = PageRequest {
            skip: 4,
            per_page: 2,
        };
        let page = request.slice((0..10).collect::<Vec<u32>>(), Some(10));
        assert_eq!(page.items, [4, 5]);
        let next = next_cursor(&page).unwrap();
        assert_eq!(Cursor::decode(&next).unwrap(), Cursor::Offset(6));
        let last = PageRequest {
            skip: 8,
            per_page: 2,
        }
        .slice((0..10).collect::<Vec<u32>>(), None);
        assert_eq!(last.items, [8, 9]);
        assert_eq!(next_cursor(&last), None);
        let past = PageRequest {
            skip: 20,
            per_page: 2,
        }
        .slice(vec![1, 2], None);
        assert!(past.items.is_empty() && !past.has_more);
    }
}
