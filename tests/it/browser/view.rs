//! What a page looks like at a size: the viewport, sideways scrolling, screenshots.

use std::path::{Path, PathBuf};

use super::{Browser, must};

/// The size of the page's viewport (`window.innerWidth` × `window.innerHeight`), in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
}

/// A phone held upright: the narrowest screen the pages are made for.
pub const PHONE: Viewport = Viewport {
    width: 360,
    height: 740,
};
/// A tablet held upright.
pub const TABLET_PORTRAIT: Viewport = Viewport {
    width: 800,
    height: 1280,
};
/// A tablet on its side, or a small laptop.
pub const LANDSCAPE: Viewport = Viewport {
    width: 1280,
    height: 800,
};

impl Browser {
    /// The page's viewport as the page sees it.
    pub async fn viewport(&self) -> Viewport {
        let size = self
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let dimension = |i: usize| {
            size[i]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or_else(|| panic!("viewport size: {size}"))
        };
        Viewport {
            width: dimension(0),
            height: dimension(1),
        }
    }

    /// Sizes the window so that the viewport is exactly `viewport` (the window is larger by
    /// the browser's own frame), and checks that the page sees that size.
    pub async fn resize(&self, viewport: Viewport) {
        let mut seen = self.viewport().await;
        // A busy machine can leave the browser a few frames behind a resize: each try
        // reads the size after the page has drawn twice more.
        for _ in 0..8 {
            if seen == viewport {
                return;
            }
            let (_, _, width, height) = must(self.client.get_window_rect().await, "window size");
            let grow = |window: u64, want: u32, got: u32| {
                (window + u64::from(want))
                    .saturating_sub(u64::from(got))
                    .max(1) as u32
            };
            must(
                self.client
                    .set_window_size(
                        grow(width, viewport.width, seen.width),
                        grow(height, viewport.height, seen.height),
                    )
                    .await,
                "resize the window",
            );
            must(
                self.client
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                        vec![],
                    )
                    .await,
                "wait for the page to draw",
            );
            seen = self.viewport().await;
        }
        assert_eq!(seen, viewport, "the page's viewport is not the size asked");
    }

    /// Whether the page is wider than the viewport, so that it scrolls sideways.
    pub async fn has_horizontal_scroll(&self) -> bool {
        let wider = self
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await;
        wider.as_bool().expect("a boolean")
    }

    /// Saves a PNG of the viewport to `target/screenshots/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = must(self.client.screenshot().await, "take a screenshot");
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }
}

/// `$CARGO_TARGET_DIR/screenshots`, or `target/screenshots` in the crate.
fn screenshots_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| manifest.join(dir))
        .unwrap_or_else(|| manifest.join("target"));
    target.join("screenshots")
}
