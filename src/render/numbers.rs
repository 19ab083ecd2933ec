//! Numbers as readers see them, in the report's language: whole percentages, counts with
//! thousands separators, decimals with a decimal comma in Danish. Done here rather than in
//! the template because a report holds thousands of numbers and Typst code is slow at it.

use crate::Lang;

/// A percentage rounded to a whole number (halves away from zero), without the sign: `32`.
pub(super) fn percent(value: f64) -> String {
    format!("{}", value.round() as i64)
}

/// A percentage with its sign, as printed beside a figure: `32 %`.
pub(super) fn percent_text(value: f64) -> String {
    format!("{} %", percent(value))
}

/// A count with thousands separators: `12.345` (da) or `12,345` (en).
pub(super) fn count(value: u32, lang: Lang) -> String {
    let separator = match lang {
        Lang::Da => '.',
        Lang::En => ',',
    };
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A number with one decimal: `8,1` (da) or `8.1` (en).
pub(super) fn decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The difference of two percentages as printed: the difference of the whole numbers the
/// reader sees beside it (13 % and 11 % differ by +2, whatever the decimals), with its sign
/// and a real minus: `+3`, `−2`, `0`.
pub(super) fn difference(first: f64, second: f64) -> String {
    match first.round() as i64 - second.round() as i64 {
        0 => "0".to_owned(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_each_language() {
        assert_eq!(percent(32.5), "33");
        assert_eq!(percent(32.49), "32");
        assert_eq!(percent(0.4), "0");
        assert_eq!(count(1567, Lang::Da), "1.567");
        assert_eq!(count(97120, Lang::En), "97,120");
        assert_eq!(count(999, Lang::Da), "999");
        assert_eq!(count(1_000_000, Lang::Da), "1.000.000");
        assert_eq!(decimal(8.06, Lang::Da), "8,1");
        assert_eq!(decimal(64.0, Lang::En), "64.0");
        assert_eq!(difference(12.6, 10.0), "+3");
        assert_eq!(difference(8.4, 10.6), "−3");
        assert_eq!(difference(12.6, 11.4), "+2");
        assert_eq!(difference(29.4, 28.6), "0");
    }
}
