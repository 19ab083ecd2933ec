//! The date a report carries: given with `--date`, taken from `SOURCE_DATE_EPOCH`, or today
//! (UTC). It is the only clock input, so the same inputs on the same date give the same bytes.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReportDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a date could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DateError {
    #[error("`{0}` is not a date of the form YYYY-MM-DD")]
    Format(String),
    #[error("SOURCE_DATE_EPOCH=`{0}` is not a whole number of seconds")]
    Epoch(String),
}

impl ReportDate {
    /// `explicit` if given, else `SOURCE_DATE_EPOCH` if set, else today's UTC date.
    pub fn resolve(explicit: Option<ReportDate>) -> Result<ReportDate, DateError> {
        if let Some(date) = explicit {
            return Ok(date);
        }
        if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
            let seconds: i64 = epoch
                .trim()
                .parse()
                .map_err(|_| DateError::Epoch(epoch.clone()))?;
            return Ok(ReportDate::from_unix_days(seconds.div_euclid(86_400)));
        }
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Ok(ReportDate::from_unix_days(seconds.div_euclid(86_400)))
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_unix_days(days: i64) -> ReportDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        ReportDate { year, month, day }
    }
}

impl FromStr for ReportDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || DateError::Format(text.to_owned());
        let mut parts = text.split('-');
        let (Some(year), Some(month), Some(day), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(error());
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(error());
        }
        let date = ReportDate {
            year: year.parse().map_err(|_| error())?,
            month: month.parse().map_err(|_| error())?,
            day: day.parse().map_err(|_| error())?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days_in_month = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(error()),
        };
        if date.day == 0 || date.day > days_in_month {
            return Err(error());
        }
        Ok(date)
    }
}

impl fmt::Display for ReportDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl schemars::JsonSchema for ReportDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReportDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date"})
    }
}

impl Serialize for ReportDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_unix_days_to_civil_dates() {
        assert_eq!(ReportDate::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(ReportDate::from_unix_days(11_016).to_string(), "2000-02-29");
        assert_eq!(ReportDate::from_unix_days(20_779).to_string(), "2026-11-22");
        assert_eq!(ReportDate::from_unix_days(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(
            "2026-11-22".parse(),
            Ok(ReportDate {
                year: 2026,
                month: 11,
                day: 22
            })
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "22-11-2026",
            "2026-11-22-1",
            "",
        ] {
            assert!(bad.parse::<ReportDate>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<ReportDate>().is_ok());
    }
}
