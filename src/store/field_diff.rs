//! The fields a save changed, before and after, as the audit trail shows them.
//!
//! A record is turned into JSON and flattened into dotted paths
//! (`lines[0].making_charge.per_gram_paise`), so every record type is compared the same
//! way without code of its own. Values are kept as plain text (numbers as digits, times
//! as microseconds); the app layer knows which fields are money or weights and formats
//! them for reading. Secrets never enter: a field whose name speaks of a hash, a token,
//! a secret or a password is written as "changed", never with its value.

use serde::Serialize;
use serde_json::Value;

use super::FieldChange;
use crate::domain::FloorId;

/// At most this many fields are kept per change; the rest are only counted.
pub const MAX_FIELDS: usize = 50;
/// A value longer than this many characters is cut, and ends in `…`.
pub const MAX_VALUE_CHARS: usize = 200;
/// What a secret field shows instead of its value.
pub const REDACTED: &str = "changed";

/// Top-level fields that every change has and that say nothing the log entry does not:
/// the record's own id and store, and the moment of the change itself.
const SKIPPED: [&str; 4] = ["id", "store_id", "created_at", "updated_at"];

/// What a save of one record adds to its change's details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordDiff {
    pub fields: Vec<FieldChange>,
    /// Changed fields beyond [`MAX_FIELDS`], counted but not kept.
    pub more_fields: u32,
    /// The floor the record belongs to after the save, when it has one.
    pub floor: Option<FloorId>,
}

/// Compares the record as it was (`None` when it is new) with the record as saved.
/// A record that cannot be turned into JSON is compared as having no fields: the
/// audit trail then shows the change without its fields rather than failing the save.
pub fn diff<R: Serialize>(before: Option<&R>, after: &R) -> RecordDiff {
    let after = serde_json::to_value(after).unwrap_or(Value::Null);
    let before = before.map(|b| serde_json::to_value(b).unwrap_or(Value::Null));
    let floor = after
        .get("floor_id")
        .and_then(Value::as_str)
        .and_then(|id| FloorId::parse(id).ok());
    let mut old = Vec::new();
    if let Some(before) = &before {
        flatten("", before, &mut old);
    }
    let mut new = Vec::new();
    flatten("", &after, &mut new);
    let old_values: std::collections::HashMap<&str, &Option<String>> = old
        .iter()
        .map(|(path, value)| (path.as_str(), value))
        .collect();
    let new_paths: std::collections::HashSet<&str> =
        new.iter().map(|(path, _)| path.as_str()).collect();

    let mut changes = Vec::new();
    for (path, value) in &new {
        let was = old_values.get(path.as_str()).copied().cloned().flatten();
        // A new record lists only what was filled in.
        if was != *value && !(before.is_none() && value.is_none()) {
            changes.push(change(path, was, value.clone()));
        }
    }
    for (path, value) in &old {
        if !new_paths.contains(path.as_str()) && value.is_some() {
            changes.push(change(path, value.clone(), None));
        }
    }
    let more_fields = changes.len().saturating_sub(MAX_FIELDS);
    changes.truncate(MAX_FIELDS);
    RecordDiff {
        fields: changes,
        more_fields: u32::try_from(more_fields).unwrap_or(u32::MAX),
        floor,
    }
}

fn change(path: &str, before: Option<String>, after: Option<String>) -> FieldChange {
    if is_secret(path) {
        let shown = |v: &Option<String>| v.as_ref().map(|_| REDACTED.to_owned());
        return FieldChange {
            field: path.to_owned(),
            before: shown(&before),
            after: shown(&after),
        };
    }
    FieldChange {
        field: path.to_owned(),
        before: before.map(cut),
        after: after.map(cut),
    }
}

/// Whether the field at `path` holds something no one may read back.
pub fn is_secret(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ["hash", "token", "secret", "password"]
        .iter()
        .any(|word| lower.contains(word))
}

fn cut(text: String) -> String {
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(MAX_VALUE_CHARS - 1).collect();
    short.push('…');
    short
}

/// Every leaf of `value` under its dotted path, in the order the record lists them.
/// Empty lists and objects count as an empty leaf, so a list that empties shows.
fn flatten(path: &str, value: &Value, out: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                if path.is_empty() && SKIPPED.contains(&key.as_str()) {
                    continue;
                }
                let inner_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(&inner_path, inner, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, inner) in items.iter().enumerate() {
                flatten(&format!("{path}[{index}]"), inner, out);
            }
        }
        _ => out.push((path.to_owned(), leaf_text(value))),
    }
}

fn leaf_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Line {
        making_charge: Making,
        discount: i64,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Making {
        PerGramPaise(i64),
        PercentBp(u32),
    }

    #[derive(Serialize)]
    struct Piece {
        id: u32,
        floor_id: Option<String>,
        name: String,
        lines: Vec<Line>,
        password_hash: String,
        updated_at: i64,
    }

    fn piece(name: &str, lines: Vec<Line>, hash: &str) -> Piece {
        Piece {
            id: 7,
            floor_id: Some(FloorId::new().to_string()),
            name: name.into(),
            lines,
            password_hash: hash.into(),
            updated_at: 1,
        }
    }

    fn field<'a>(diff: &'a RecordDiff, path: &str) -> Option<&'a FieldChange> {
        diff.fields.iter().find(|f| f.field == path)
    }

    #[test]
    fn a_change_lists_each_changed_leaf_under_its_path_and_nothing_else() {
        let before = piece(
            "Ring",
            vec![Line {
                making_charge: Making::PerGramPaise(45_000),
                discount: 0,
            }],
            "argon-a",
        );
        let mut after = piece(
            "Ring",
            vec![Line {
                making_charge: Making::PercentBp(1_200),
                discount: 500,
            }],
            "argon-b",
        );
        after.updated_at = 2;
        after.floor_id.clone_from(&before.floor_id);
        let diff = diff(Some(&before), &after);
        let paths: Vec<&str> = diff.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            paths,
            [
                "lines[0].discount",
                "lines[0].making_charge.percent_bp",
                "password_hash",
                "lines[0].making_charge.per_gram_paise"
            ]
        );
        let discount = field(&diff, "lines[0].discount").unwrap();
        assert_eq!(
            (discount.before.as_deref(), discount.after.as_deref()),
            (Some("0"), Some("500"))
        );
        let gone = field(&diff, "lines[0].making_charge.per_gram_paise").unwrap();
        assert_eq!(
            (gone.before.as_deref(), gone.after.as_deref()),
            (Some("45000"), None)
        );
        assert_eq!(
            diff.floor,
            after.floor_id.map(|f| FloorId::parse(&f).unwrap())
        );
    }

    #[test]
    fn secrets_read_as_changed_and_never_with_their_value() {
        let diff = diff(
            Some(&piece("Ring", vec![], "argon-old")),
            &piece("Ring", vec![], "argon-new"),
        );
        let secret = field(&diff, "password_hash").unwrap();
        assert_eq!(secret.before.as_deref(), Some(REDACTED));
        assert_eq!(secret.after.as_deref(), Some(REDACTED));
        let shown = format!("{diff:?}");
        assert!(!shown.contains("argon"), "{shown}");
    }

    #[test]
    fn a_new_record_lists_what_was_filled_in_and_long_lists_are_bounded() {
        let lines = (0..60)
            .map(|n| Line {
                making_charge: Making::PerGramPaise(n),
                discount: n,
            })
            .collect();
        let mut new = piece("Ring", lines, "");
        new.floor_id = None;
        let diff = diff(None, &new);
        assert_eq!(diff.fields.len(), MAX_FIELDS);
        // 120 line fields and the name; the empty hash and floor are not listed.
        assert_eq!(diff.more_fields, 121 - 50);
        assert!(field(&diff, "id").is_none() && field(&diff, "updated_at").is_none());
        assert_eq!(diff.floor, None);

        let named = super::diff(None, &piece(&"x".repeat(500), vec![], ""));
        let name = field(&named, "name").unwrap();
        assert_eq!(name.before, None);
        assert_eq!(
            name.after.as_deref().unwrap().chars().count(),
            MAX_VALUE_CHARS
        );
        assert_eq!(diff.floor, None);
    }
}
