//! The category tree as the catalogue's pages show it: depth-first with indents in a
//! select box, and as a path (`Gold › Necklaces › Chokers`) on a product's page.

use crate::domain::{Category, CategoryId};

/// The categories depth-first, each with its depth in the tree, siblings by name.
pub fn category_tree(categories: &[Category]) -> Vec<(&Category, usize)> {
    fn walk<'a>(
        all: &'a [Category],
        parent: Option<CategoryId>,
        depth: usize,
        out: &mut Vec<(&'a Category, usize)>,
    ) {
        let mut children: Vec<&Category> = all.iter().filter(|c| c.parent_id == parent).collect();
        children.sort_by_key(|c| c.name.as_str().to_lowercase());
        for child in children {
            out.push((child, depth));
            // The app refuses cycles; the depth limit only guards against a damaged tree.
            if depth < 16 {
                walk(all, Some(child.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(categories.len());
    walk(categories, None, 0, &mut out);
    // Children of a removed parent have no place in the tree; list them at the top level.
    for c in categories {
        if !out.iter().any(|(seen, _)| seen.id == c.id) {
            out.push((c, 0));
        }
    }
    out
}

/// Select options for the category tree, indented by depth, after `first`.
pub fn category_options(categories: &[Category], first: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_owned()))
        .chain(category_tree(categories).into_iter().map(|(c, depth)| {
            (
                c.id.as_uuid().to_string(),
                format!("{}{}", "\u{a0}\u{a0}\u{a0}".repeat(depth), c.name.as_str()),
            )
        }))
        .collect()
}

/// `Gold › Necklaces › Chokers`.
pub fn category_path(categories: &[Category], id: CategoryId) -> Option<String> {
    let mut names = Vec::new();
    let mut cursor = Some(id);
    while let Some(current) = cursor
        && names.len() < 16
    {
        let node = categories.iter().find(|c| c.id == current)?;
        names.push(node.name.as_str());
        cursor = node.parent_id;
    }
    names.reverse();
    Some(names.join(" › "))
}
