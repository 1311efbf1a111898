//! The Prometheus text exposition format (version 0.0.4), written by hand: `# HELP`
//! and `# TYPE` lines, then `name{label="value"} number` samples.

use std::fmt::Write as _;

/// The `Content-Type` Prometheus expects for this format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The kind of a metric family, as its `# TYPE` line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// A number as a sample value: counts print as integers, measurements as decimals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int(u64),
    Float(f64),
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number::Int(n)
    }
}

impl From<f64> for Number {
    fn from(n: f64) -> Self {
        Number::Float(n)
    }
}

/// One histogram series: upper bounds in ascending order and, for each bound, how many
/// observations fell in it and not in a lower one, plus one more for those above the
/// last bound (so `counts.len() == bounds.len() + 1`).
#[derive(Clone, Copy, Debug)]
pub struct Histogram<'a> {
    pub bounds: &'a [f64],
    pub counts: &'a [u64],
    pub sum: f64,
}

/// The text of one scrape, built family by family.
#[derive(Debug, Default)]
pub struct Exposition {
    out: String,
}

impl Exposition {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a family: every sample written after it until the next family belongs to it.
    pub fn family(&mut self, name: &str, kind: Kind, help: &str) {
        self.out.push_str("# HELP ");
        self.out.push_str(name);
        self.out.push(' ');
        for c in help.chars() {
            match c {
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                c => self.out.push(c),
            }
        }
        self.out.push('\n');
        let _ = writeln!(self.out, "# TYPE {name} {}", kind.as_str());
    }

    /// One sample line.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: impl Into<Number>) {
        self.out.push_str(name);
        self.labels(labels, None);
        self.out.push(' ');
        self.number(value.into());
        self.out.push('\n');
    }

    /// A histogram series: its cumulative `_bucket` lines ending with `le="+Inf"`, then
    /// `_sum` and `_count`.
    pub fn histogram(&mut self, name: &str, labels: &[(&str, &str)], histogram: Histogram<'_>) {
        let mut cumulative = 0;
        let bucket = format!("{name}_bucket");
        for (i, count) in histogram.counts.iter().enumerate() {
            cumulative += count;
            let le = match histogram.bounds.get(i) {
                Some(bound) => bound.to_string(),
                None => "+Inf".to_owned(),
            };
            self.out.push_str(&bucket);
            self.labels(labels, Some(&le));
            let _ = writeln!(self.out, " {cumulative}");
        }
        self.sample(&format!("{name}_sum"), labels, histogram.sum);
        self.sample(&format!("{name}_count"), labels, cumulative);
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn labels(&mut self, labels: &[(&str, &str)], le: Option<&str>) {
        let le = le.map(|le| ("le", le));
        if labels.is_empty() && le.is_none() {
            return;
        }
        self.out.push('{');
        for (i, (name, value)) in labels.iter().copied().chain(le).enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str(name);
            self.out.push_str("=\"");
            for c in value.chars() {
                match c {
                    '\\' => self.out.push_str("\\\\"),
                    '"' => self.out.push_str("\\\""),
                    '\n' => self.out.push_str("\\n"),
                    c => self.out.push(c),
                }
            }
            self.out.push('"');
        }
        self.out.push('}');
    }

    fn number(&mut self, value: Number) {
        let _ = match value {
            Number::Int(n) => write!(self.out, "{n}"),
            Number::Float(f) if f.is_nan() => write!(self.out, "NaN"),
            Number::Float(f) if f.is_infinite() => {
                write!(self.out, "{}", if f > 0.0 { "+Inf" } else { "-Inf" })
            }
            Number::Float(f) => write!(self.out, "{f}"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_has_help_and_type_then_its_samples() {
        let mut text = Exposition::new();
        text.family("sarkar_things_total", Kind::Counter, "Things counted.");
        text.sample("sarkar_things_total", &[("kind", "a")], 3);
        text.family("sarkar_temperature", Kind::Gauge, "How warm.");
        text.sample("sarkar_temperature", &[], 21.5);
        assert_eq!(
            text.finish(),
            "# HELP sarkar_things_total Things counted.\n\
             # TYPE sarkar_things_total counter\n\
             sarkar_things_total{kind=\"a\"} 3\n\
             # HELP sarkar_temperature How warm.\n\
             # TYPE sarkar_temperature gauge\n\
             sarkar_temperature 21.5\n"
        );
    }

    #[test]
    fn label_values_escape_backslash_quote_and_newline() {
        let mut text = Exposition::new();
        text.sample("m", &[("route", "a\\b\"c\nd"), ("x", "{id}")], 1);
        assert_eq!(text.finish(), "m{route=\"a\\\\b\\\"c\\nd\",x=\"{id}\"} 1\n");
    }

    #[test]
    fn help_text_escapes_backslash_and_newline_but_not_quotes() {
        let mut text = Exposition::new();
        text.family("m", Kind::Gauge, "one \\ two\n\"three\"");
        assert_eq!(
            text.finish(),
            "# HELP m one \\\\ two\\n\"three\"\n# TYPE m gauge\n"
        );
    }

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_inf_sum_and_count() {
        let mut text = Exposition::new();
        text.histogram(
            "d_seconds",
            &[("route", "/x")],
            Histogram {
                bounds: &[0.005, 0.5, 1.0],
                counts: &[2, 0, 3, 1],
                sum: 4.25,
            },
        );
        assert_eq!(
            text.finish(),
            "d_seconds_bucket{route=\"/x\",le=\"0.005\"} 2\n\
             d_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n\
             d_seconds_bucket{route=\"/x\",le=\"1\"} 5\n\
             d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 6\n\
             d_seconds_sum{route=\"/x\"} 4.25\n\
             d_seconds_count{route=\"/x\"} 6\n"
        );
    }

    #[test]
    fn a_histogram_without_labels_still_labels_its_buckets() {
        let mut text = Exposition::new();
        let histogram = Histogram {
            bounds: &[1.0],
            counts: &[0, 0],
            sum: 0.0,
        };
        text.histogram("h", &[], histogram);
        assert_eq!(
            text.finish(),
            "h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n"
        );
    }

    #[test]
    fn special_floats_use_the_formats_spelling() {
        let mut text = Exposition::new();
        text.sample("a", &[], f64::INFINITY);
        text.sample("b", &[], f64::NEG_INFINITY);
        text.sample("c", &[], f64::NAN);
        text.sample("d", &[], 0.001);
        assert_eq!(text.finish(), "a +Inf\nb -Inf\nc NaN\nd 0.001\n");
    }
}
