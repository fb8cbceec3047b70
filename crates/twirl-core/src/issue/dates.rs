//! Calendar dates as TWiR writes them: `YYYY-MM-DD`, sometimes unpadded.

pub use jiff::civil::Date;
use jiff::civil::Weekday;

/// Parses `YYYY-M-D` with one- or two-digit month and day.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let y: i16 = parse_digits(parts.next()?, 4, 4)?;
    let m: i8 = parse_digits(parts.next()?, 1, 2)?;
    let d: i8 = parse_digits(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(y, m, d).ok()
}

fn parse_digits<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

pub fn weekday_name(date: Date) -> &'static str {
    match date.weekday() {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    let span = a
        .until(b)
        .expect("civil dates are always within range of each other");
    i64::from(span.get_days())
}

/// `date` moved by `days`, saturating at the ends of the calendar.
pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// The date of issue 424, the first of the modern format: one issue a week
/// since.
pub const ISSUE_424_DATE: Date = Date::constant(2022, 1, 5);

/// The issue number of the issue dated `date`: 424 on 2022-01-05, one more
/// each week. `None` before 2022-01-05, when the numbering had gaps.
pub fn issue_number(date: Date) -> Option<i64> {
    (date >= ISSUE_424_DATE).then(|| 424 + days_between(ISSUE_424_DATE, date).div_euclid(7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_padded_and_unpadded() {
        assert_eq!(parse_date("2020-11-4"), Date::new(2020, 11, 4).ok());
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("24-02-03"), None);
        assert_eq!(parse_date("2024-02-03-04"), None);
    }

    #[test]
    fn day_arithmetic() {
        let a = parse_date("2024-11-06").unwrap();
        assert_eq!(days_between(a, parse_date("2024-12-04").unwrap()), 28);
        assert_eq!(add_days(a, -7), parse_date("2024-10-30").unwrap());
        assert_eq!(weekday_name(a), "Wednesday");
    }

    #[test]
    fn issue_numbers() {
        assert_eq!(issue_number(ISSUE_424_DATE), Some(424));
        assert_eq!(issue_number(parse_date("2024-11-06").unwrap()), Some(572));
        assert_eq!(issue_number(parse_date("2024-12-18").unwrap()), Some(578));
        assert_eq!(issue_number(parse_date("2022-01-04").unwrap()), None);
    }
}
