//! Country and subdivision codes (ISO 3166-1 and 3166-2), from the tables
//! `build.rs` repacks out of `rust_iso3166`: strings of fixed-width
//! records, searched by bisection, so that starting twirl relocates none
//! of them.

include!(concat!(env!("OUT_DIR"), "/iso3166.rs"));

/// The index of the record whose key is `key`, among `n` records sorted
/// by `key_at`.
fn bisect<'a>(n: usize, key_at: impl Fn(usize) -> &'a str, key: &str) -> Option<usize> {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match key_at(mid).cmp(key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

fn country_count() -> usize {
    COUNTRY_CODES.len() / 5
}

fn alpha2_at(i: usize) -> &'static str {
    &COUNTRY_CODES[i * 5..i * 5 + 2]
}

fn alpha3_at(i: usize) -> &'static str {
    &COUNTRY_CODES[i * 5 + 2..i * 5 + 5]
}

/// Whether `code` is an ISO 3166-1 alpha-2 code (upper case).
pub(crate) fn is_alpha2(code: &str) -> bool {
    bisect(country_count(), alpha2_at, code).is_some()
}

/// The alpha-2 code of the country with alpha-3 code `code` (upper case).
pub(crate) fn alpha2_of_alpha3(code: &str) -> Option<&'static str> {
    (0..country_count())
        .find(|&i| alpha3_at(i) == code)
        .map(alpha2_at)
}

/// The alpha-2 code of the first country (in `rust_iso3166::ALL`'s order)
/// whose English short name `matches`.
pub(crate) fn alpha2_of_name(matches: impl Fn(&str) -> bool) -> Option<&'static str> {
    COUNTRY_NAMES
        .lines()
        .find(|line| matches(&line[3..]))
        .map(|line| &line[..2])
}

/// Whether `code` is an ISO 3166-2 subdivision code (`US-CA`).
pub(crate) fn is_subdivision(code: &str) -> bool {
    let record = |i: usize| {
        SUBDIVISIONS[i * SUBDIVISION_WIDTH..(i + 1) * SUBDIVISION_WIDTH].trim_end_matches(' ')
    };
    bisect(SUBDIVISIONS.len() / SUBDIVISION_WIDTH, record, code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code and name answers as the crate the tables come from.
    #[test]
    fn agrees_with_rust_iso3166() {
        for c in rust_iso3166::ALL {
            assert!(is_alpha2(c.alpha2), "{}", c.alpha2);
            assert_eq!(alpha2_of_alpha3(c.alpha3), Some(c.alpha2), "{}", c.alpha3);
            let first = rust_iso3166::ALL.iter().find(|d| d.name == c.name).unwrap();
            assert_eq!(alpha2_of_name(|n| n == c.name), Some(first.alpha2));
        }
        let mut n = 0;
        for code in rust_iso3166::iso3166_2::SUBDIVISION_MAP.keys() {
            assert!(is_subdivision(code), "{code}");
            n += 1;
        }
        assert!(n > 5000);
        for code in [
            "",
            "U",
            "ZZ",
            "us",
            "USA",
            "US-",
            "US-CA",
            "US-CA ",
            "US-ZZ",
            "CA-ON",
            "XX-YY-ZZ-WW",
        ] {
            assert_eq!(
                is_alpha2(code),
                rust_iso3166::from_alpha2(code).is_some(),
                "{code:?}"
            );
            assert_eq!(
                is_subdivision(code),
                rust_iso3166::iso3166_2::from_code(code).is_some(),
                "{code:?}"
            );
            assert_eq!(
                alpha2_of_alpha3(code),
                rust_iso3166::from_alpha3(code).map(|c| c.alpha2),
                "{code:?}"
            );
        }
        assert_eq!(alpha2_of_name(|n| n == "Atlantis"), None);
    }
}
