//! Calendar dates as TWiR writes them: `YYYY-MM-DD`, sometimes unpadded.

pub use jiff::civil::Date;

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

/// The length of the date at the start of `s`: four ASCII digits, `-`, one
/// or two digits, `-`, one or two digits (as many as there are), or `None`.
/// What follows is not looked at: `2024-11-061` starts with `2024-11-06`.
pub fn date_prefix(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = |from: usize, max: usize| {
        b[from.min(b.len())..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    if digits(0, 4) != 4 || b.get(4) != Some(&b'-') {
        return None;
    }
    let m = digits(5, 2);
    if m == 0 || b.get(5 + m) != Some(&b'-') {
        return None;
    }
    let d = digits(6 + m, 2);
    (d > 0).then_some(6 + m + d)
}

/// Byte ranges of the dates in `s` that stand as words of their own: a
/// [`date_prefix`] with no word character (Unicode, as regex's `\b` sees
/// it) just before or just after it. Leftmost first, not overlapping.
///
/// This is the hottest scan of event lines; a hand-written one costs no
/// regex compilation in every process (a `\b…\b` regex with digit
/// classes costs about 1.5 M instructions to build).
pub fn find_dates(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let b = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at + 8 <= b.len() {
            // Dates start at a digit; skip to the next one.
            let i = at + b[at..].iter().position(u8::is_ascii_digit)?;
            at = i + 1;
            if !crate::text::word_starts_after(&s[..i]) {
                continue;
            }
            // Each of the up to two digits of the day ends a candidate, the
            // longer first, as the regex tries them.
            let Some(len) = date_prefix(&s[i..]) else {
                continue;
            };
            // A shorter day leaves a digit (a word character) after it, so
            // only the full length can end at a boundary.
            if crate::text::word_ends_before(&s[i + len..]) {
                at = i + len;
                return Some(i..i + len);
            }
        }
        None
    })
}

/// The English name of the date's weekday.
pub fn weekday_name(date: Date) -> String {
    date.strftime("%A").to_string()
}

/// `date` with the year of `start` or of `end` when that puts it in
/// `start..=end` and `date` is not there: a year typed wrong.
pub fn with_window_year(date: Date, start: Date, end: Date) -> Option<Date> {
    [start.year(), end.year()].into_iter().find_map(|y| {
        let fixed = Date::new(y, date.month(), date.day()).ok()?;
        (fixed >= start && fixed <= end && fixed != date).then_some(fixed)
    })
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
    jiff::Span::new()
        .try_days(days)
        .and_then(|span| date.checked_add(span))
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
    fn adding_days_past_the_calendar_saturates() {
        let d = Date::new(2024, 11, 6).unwrap();
        assert_eq!(add_days(d, 7_304_485), Date::MAX);
        assert_eq!(add_days(d, i64::MAX), Date::MAX);
        assert_eq!(add_days(d, i64::MIN), Date::MIN);
        assert_eq!(add_days(Date::MAX, 1), Date::MAX);
        assert_eq!(add_days(d, 28), Date::new(2024, 12, 4).unwrap());
    }

    #[test]
    fn parses_padded_and_unpadded() {
        assert_eq!(parse_date("2020-11-4"), Date::new(2020, 11, 4).ok());
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("24-02-03"), None);
        assert_eq!(parse_date("2024-02-03-04"), None);
    }

    #[test]
    fn date_prefix_takes_what_is_there() {
        assert_eq!(date_prefix("2024-11-06 | Virtual"), Some(10));
        assert_eq!(date_prefix("2024-1-6"), Some(8));
        assert_eq!(date_prefix("2024-11-061"), Some(10));
        assert_eq!(date_prefix("2024-111-06"), None);
        assert_eq!(date_prefix("20241-11-06"), None);
        assert_eq!(date_prefix("2024-11-"), None);
        assert_eq!(date_prefix("2024-11"), None);
        assert_eq!(date_prefix("٢٠٢٤-11-06"), None);
    }

    #[test]
    fn find_dates_wants_word_boundaries() {
        let found = |s| find_dates(s).map(|r| (r.start, r.end)).collect::<Vec<_>>();
        assert_eq!(found("2024-11-06 - 2024-12-4 🦀"), [(0, 10), (13, 22)]);
        assert_eq!(
            found("x2024-11-06 2024-11-061 é2024-11-06"),
            Vec::<(usize, usize)>::new()
        );
        assert_eq!(found("(2024-11-06)"), [(1, 11)]);
        assert_eq!(found("2024-11-06-2024-11-07"), [(0, 10), (11, 21)]);
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The scanners agree with the regexes they replace (digits as
        /// ASCII), on text made of what makes dates and boundaries tricky.
        #[test]
        fn scanners_match_the_regexes(s in "[0-9\\-]{0,3}(?:[0-9\\- a_é½‿🦀.]{0,4}[0-9]{1,5}-[0-9]{0,3}-?[0-9]{0,3}){0,4}[0-9a-]{0,2}") {
            let word = regex::Regex::new(r"\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b").unwrap();
            let start = regex::Regex::new(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}").unwrap();
            let expected: Vec<_> = word.find_iter(&s).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(find_dates(&s).collect::<Vec<_>>(), expected);
            for (i, _) in s.char_indices() {
                let expected = start.find(&s[i..]).map(|m| m.end());
                proptest::prop_assert_eq!(date_prefix(&s[i..]), expected, "at {}", i);
            }
        }
    }
}
