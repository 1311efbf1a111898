//! Small pieces every page uses: icons, labelled form fields with their error
//! messages, select boxes, pagination and the notice shown after an action.

use crate::web::paths::Link;
use maud::{Markup, PreEscaped, html};

use crate::domain::FieldErrors;

/// An embedded Lucide icon (ISC licence), drawn in the current text colour.
pub fn icon(name: &str) -> Markup {
    let svg = match name {
        "layout-dashboard" => include_str!("../../../../assets/icons/layout-dashboard.svg"),
        "users" => include_str!("../../../../assets/icons/users.svg"),
        "gem" => include_str!("../../../../assets/icons/gem.svg"),
        "folder-tree" => include_str!("../../../../assets/icons/folder-tree.svg"),
        "layers" => include_str!("../../../../assets/icons/layers.svg"),
        "user-cog" => include_str!("../../../../assets/icons/user-cog.svg"),
        "settings" => include_str!("../../../../assets/icons/settings.svg"),
        "search" => include_str!("../../../../assets/icons/search.svg"),
        "log-out" => include_str!("../../../../assets/icons/log-out.svg"),
        "plus" => include_str!("../../../../assets/icons/plus.svg"),
        "pencil" => include_str!("../../../../assets/icons/pencil.svg"),
        "trash" => include_str!("../../../../assets/icons/trash-2.svg"),
        "restore" => include_str!("../../../../assets/icons/rotate-ccw.svg"),
        "user" => include_str!("../../../../assets/icons/user.svg"),
        "bell" => include_str!("../../../../assets/icons/bell.svg"),
        "lock" => include_str!("../../../../assets/icons/lock.svg"),
        "chevron-left" => include_str!("../../../../assets/icons/chevron-left.svg"),
        "chevron-right" => include_str!("../../../../assets/icons/chevron-right.svg"),
        "rates" => include_str!("../../../../assets/icons/indian-rupee.svg"),
        "grid" => include_str!("../../../../assets/icons/grid-2x2.svg"),
        "list" => include_str!("../../../../assets/icons/list.svg"),
        "out-of-stock" => include_str!("../../../../assets/icons/package-x.svg"),
        "receipt" => include_str!("../../../../assets/icons/receipt.svg"),
        "calendar-check" => include_str!("../../../../assets/icons/calendar-check.svg"),
        "kanban" => include_str!("../../../../assets/icons/kanban.svg"),
        "printer" => include_str!("../../../../assets/icons/printer.svg"),
        "phone" => include_str!("../../../../assets/icons/phone.svg"),
        "whatsapp" => include_str!("../../../../assets/icons/message-circle.svg"),
        "walk-in" => include_str!("../../../../assets/icons/footprints.svg"),
        "download" => include_str!("../../../../assets/icons/file-down.svg"),
        "check" => include_str!("../../../../assets/icons/check.svg"),
        "x" => include_str!("../../../../assets/icons/x.svg"),
        "refund" => include_str!("../../../../assets/icons/undo-2.svg"),
        "user-plus" => include_str!("../../../../assets/icons/user-plus.svg"),
        "sale" => include_str!("../../../../assets/icons/shopping-bag.svg"),
        "camera" => include_str!("../../../../assets/icons/camera.svg"),
        "upload" => include_str!("../../../../assets/icons/upload.svg"),
        _ => "",
    };
    // The files start with a licence comment; only the <svg> element is inlined.
    let svg = svg.find("<svg").map_or(svg, |at| &svg[at..]);
    html! { span.icon aria-hidden="true" { (PreEscaped(svg)) } }
}

/// A field's message as it reads under the field: `has 5 digits…` → `Has 5 digits…`.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The id of a field's error message, for `aria-describedby`: `address.city` → `error-address-city`.
pub fn error_id(name: &str) -> String {
    format!("error-{}", name.replace(['.', '_'], "-"))
}

fn input_id(name: &str) -> String {
    format!("field-{}", name.replace(['.', '_'], "-"))
}

/// A labelled text input with its hint and, after a failed save, its error message.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    name: &'a str,
    label: &'a str,
    value: String,
    kind: &'a str,
    hint: Option<&'a str>,
    required: bool,
    extra: Option<(&'a str, &'a str)>,
    wide: bool,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str, value: impl Into<String>) -> Self {
        Self {
            name,
            label,
            value: value.into(),
            kind: "text",
            hint: None,
            required: false,
            extra: None,
            wide: false,
        }
    }

    /// `type=` of the input: `tel`, `email`, `date`, `number`, `password`…
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// One more attribute such as `inputmode` or `autocomplete`.
    pub fn attr(mut self, name: &'a str, value: &'a str) -> Self {
        self.extra = Some((name, value));
        self
    }

    /// Spans the whole row of the form grid.
    pub fn wide(mut self) -> Self {
        self.wide = true;
        self
    }

    pub fn render(&self, errors: &FieldErrors) -> Markup {
        let error = errors.get(self.name);
        let id = input_id(self.name);
        let (inputmode, autocomplete) = match self.extra {
            Some(("inputmode", v)) => (Some(v), None),
            Some(("autocomplete", v)) => (None, Some(v)),
            _ => (None, None),
        };
        html! {
            div.field.wide[self.wide].invalid[error.is_some()] {
                label for=(id) {
                    (self.label)
                    @if self.required { span.required aria-hidden="true" { " *" } }
                }
                @if self.kind == "textarea" {
                    textarea #(id) name=(self.name) rows="3" required[self.required]
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[error.map(|_| error_id(self.name))] { (self.value) }
                } @else {
                    input #(id) type=(self.kind) name=(self.name) value=(self.value)
                        required[self.required] inputmode=[inputmode] autocomplete=[autocomplete]
                        step=[(self.kind == "number").then_some("any")]
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[error.map(|_| error_id(self.name))];
                }
                @if let Some(hint) = self.hint { p.hint { (hint) } }
                @if let Some(message) = error {
                    p.field-error #(error_id(self.name)) role="alert" { (sentence(message)) }
                }
            }
        }
    }
}

/// A labelled select box; `options` are `(value, label)` pairs, `""` for "none".
pub fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    let id = input_id(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            select #(id) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id(name))] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
            @if let Some(message) = error {
                p.field-error #(error_id(name)) role="alert" { (sentence(message)) }
            }
        }
    }
}

/// The box at the top of a form that failed: how many fields to fix, and messages
/// for fields the form does not show.
pub fn error_summary(errors: &FieldErrors, shown: &[&str]) -> Markup {
    if errors.is_empty() {
        return html! {};
    }
    let unshown: Vec<(&String, &String)> = errors
        .iter()
        .filter(|(field, _)| !shown.contains(&field.as_str()))
        .collect();
    let count = errors.iter().count();
    html! {
        div.alert.error role="alert" #form-errors {
            strong {
                @if count == 1 { "One thing needs correcting before this can be saved." }
                @else { (count) " things need correcting before this can be saved." }
            }
            @if !unshown.is_empty() {
                ul { @for (field, message) in unshown { li { (field) ": " (message) } } }
            }
        }
    }
}

/// Previous/next links for a list page that knows whether more follow.
pub fn pagination(
    base: &str,
    page: u32,
    has_more: bool,
    total: Option<u64>,
    per_page: u32,
) -> Markup {
    let link = |p: u32| {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}page={p}")
    };
    let pages = total.map(|t| t.div_ceil(u64::from(per_page.max(1))).max(1));
    html! {
        nav.pagination aria-label="Pages" {
            @if page > 1 {
                a.button rel="prev" href=(link(page - 1)) hx-get=(link(page - 1)) hx-target="#results"
                    hx-push-url="true" { (icon("chevron-left")) "Previous" }
            } @else {
                span.button.disabled aria-disabled="true" { (icon("chevron-left")) "Previous" }
            }
            span.page-of {
                "Page " (page)
                @if let Some(pages) = pages { " of " (pages) }
            }
            @if has_more {
                a.button rel="next" href=(link(page + 1)) hx-get=(link(page + 1)) hx-target="#results"
                    hx-push-url="true" { "Next" (icon("chevron-right")) }
            } @else {
                span.button.disabled aria-disabled="true" { "Next" (icon("chevron-right")) }
            }
        }
    }
}

/// The message shown after a successful action, named in the address (`?done=saved`)
/// so a reload does not repeat the action and the text cannot be forged.
pub fn done_notice(done: Option<&str>) -> Markup {
    let message = match done.unwrap_or("") {
        "created" => "Saved. The new record is below.",
        "welcome" => {
            "The box is set up and you are signed in. Add floors and staff from the menu; pair tablets from your profile."
        }
        "saved" => "Changes saved.",
        "deleted" => "Removed. An admin can restore it from the removed list.",
        "restored" => "Restored.",
        "revoked" => "Revoked. Anything still using that key is refused from now on.",
        "logo" => "Logo saved. It shows at the top of every page and on invoices.",
        "logo-removed" => "Logo removed. Pages and invoices show the store's name alone.",
        "password" => "Password changed. Other devices have been signed out.",
        _ => return html! {},
    };
    html! { div.alert.success role="status" #done-notice { (message) } }
}

/// A confirmation dialog for something that cannot simply be undone; the button with
/// `data-open-dialog` opens it, and only its own button sends the form.
pub fn confirm_dialog(
    id: &str,
    title: &str,
    message: &str,
    action: &Link,
    csrf: &str,
    (keep, confirm): (&str, &str),
) -> Markup {
    html! {
        dialog.confirm #(id) aria-labelledby=(format!("{id}-title")) {
            form method="post" action=(action) {
                h2 #(format!("{id}-title")) { (title) }
                p { (message) }
                (super::forms::form_keys(csrf))
                div.form-actions {
                    button.button type="button" data-close-dialog { (keep) }
                    button.button.danger #(format!("{id}-confirm")) type="submit" { (confirm) }
                }
            }
        }
    }
}
