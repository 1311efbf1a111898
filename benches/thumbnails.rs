//! Benchmark of the photo copies: `prepare_photo` on a 12-megapixel (4000 × 3000) JPEG
//! like a phone's, at the four `srcset` widths. Run with
//! `cargo bench --bench thumbnails`.
//!
//! Prints figures rather than asserting them, since they depend on the machine and on
//! what else runs on it; the upload page waits this long after a photo is sent. Besides
//! the wall time it prints the time the thread spent on a core (Linux's schedstat),
//! which other work on a shared machine does not inflate.

use std::path::Path;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use sarkar_crm::blobs::images::{ImageLimits, PHOTO_WIDTHS, prepare_photo};

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
const RUNS: usize = 7;

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("phone-photo.jpg");
    let made = Instant::now();
    write_phone_photo(&path)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "source: {WIDTH} × {HEIGHT} JPEG, quality 90, {:.1} MB (made in {:.1} s)",
        size as f64 / 1_000_000.0,
        made.elapsed().as_secs_f64()
    );

    let limits = ImageLimits::default();
    let mut times = Vec::with_capacity(RUNS);
    let mut on_core = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let cpu_before = thread_cpu_time();
        let started = Instant::now();
        let prepared = prepare_photo(&path, &PHOTO_WIDTHS, &limits)?;
        times.push(started.elapsed());
        if let (Some(before), Some(after)) = (cpu_before, thread_cpu_time()) {
            on_core.push(after.saturating_sub(before));
        }
        last = Some(prepared);
    }
    times.sort();
    on_core.sort();
    println!(
        "prepare_photo, {RUNS} runs: median {} ms, worst {} ms",
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
    if on_core.len() == RUNS {
        println!(
            "  on a core: median {} ms, worst {} ms",
            ms(on_core[RUNS / 2]),
            ms(on_core[RUNS - 1])
        );
    }
    if let Some(prepared) = last {
        for copy in &prepared.copies {
            println!(
                "  copy {:>4} × {:<4} {:?}: {:>7} bytes",
                copy.width,
                copy.height,
                copy.file_type,
                copy.bytes.len()
            );
        }
    }
    Ok(())
}

fn ms(time: Duration) -> u128 {
    time.as_millis()
}

/// Time this thread has run on a core, from the first field of
/// `/proc/thread-self/schedstat` (nanoseconds); `None` where there is no such file.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// A photo-like picture: smooth gradients (sky, a table top) with sensor grain over
/// them, which compresses like a phone photo rather than like a flat drawing.
fn write_phone_photo(path: &Path) -> anyhow::Result<()> {
    // A small xorshift generator: the grain needs no more, and it is the same each run.
    let mut state: u32 = 0x9E37_79B9;
    let mut grain = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state % 41) as i32 - 20
    };
    let channel = |base: u32, grain: i32| (base as i32 + grain).clamp(0, 255) as u8;
    let picture = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let g = grain();
        // A warm light from the left, a darker lower half, and a band that repeats
        // across the frame like folds of cloth.
        let band = (((x / 7 + y / 5) % 64) as i32 - 32).unsigned_abs();
        Rgb([
            channel(60 + x * 150 / WIDTH + band, g),
            channel(40 + (HEIGHT - y) * 120 / HEIGHT + band / 2, g),
            channel(30 + y * 90 / HEIGHT, g / 2),
        ])
    });
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    picture.write_with_encoder(JpegEncoder::new_with_quality(&mut file, 90))?;
    Ok(())
}
