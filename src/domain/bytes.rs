//! Sizes of files and backups as people read them (bytes, KiB, MiB, GiB).

/// Bytes as people read them: KiB, MiB, GiB, with one decimal above a kibibyte.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    // A shown size needs one decimal, not every byte, so a float is precise enough.
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::format_size;

    #[test]
    fn small_sizes_are_whole_bytes() {
        assert_eq!(format_size(0), "0 bytes");
        assert_eq!(format_size(1023), "1023 bytes");
    }

    #[test]
    fn larger_sizes_take_the_largest_unit_with_one_decimal() {
        assert_eq!(format_size(1024), "1.0 KiB");
        assert_eq!(format_size(1536), "1.5 KiB");
        assert_eq!(format_size(1_234_567), "1.2 MiB");
        assert_eq!(format_size(3 * 1024 * 1024 * 1024), "3.0 GiB");
    }

    #[test]
    fn gibibytes_are_the_largest_unit() {
        assert_eq!(format_size(2048 * 1024 * 1024 * 1024), "2048.0 GiB");
    }
}
