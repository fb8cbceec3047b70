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

/// The events regions TWiR lists in-person events under, with the
/// countries of each (ISO 3166-1 alpha-2): the continents of the UN's
/// M49 scheme, with the Americas split at Panama and the Caribbean in
/// North America. `UK` and `XK` are not ISO codes but TWiR writes them.
/// Antarctica (`AQ`) has no region.
const REGIONS: &[(&str, &str)] = &[
    (
        "Africa",
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY \
         MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA \
         ZM ZW",
    ),
    (
        "Asia",
        "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM \
         MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    ),
    (
        "Europe",
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI \
         LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA UK VA XK",
    ),
    (
        "North America",
        "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX \
         NI PA PM PR SV SX TC TT US VC VG VI",
    ),
    (
        "Oceania",
        "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
    ),
    (
        "South America",
        "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    ),
];

/// The events region of the country with alpha-2 code `code` (upper
/// case): `Europe` for `DE`.
pub(crate) fn region_of(code: &str) -> Option<&'static str> {
    if code.len() != 2 {
        return None;
    }
    REGIONS
        .iter()
        .find(|(_, codes)| codes.split_ascii_whitespace().any(|c| c == code))
        .map(|&(region, _)| region)
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

    /// Every ISO country but Antarctica is in exactly one region.
    #[test]
    fn every_country_has_one_region() {
        for c in rust_iso3166::ALL {
            let n = REGIONS
                .iter()
                .filter(|(_, codes)| codes.split_ascii_whitespace().any(|x| x == c.alpha2))
                .count();
            assert_eq!(n, usize::from(c.alpha2 != "AQ"), "{}", c.alpha2);
        }
        let listed = REGIONS
            .iter()
            .flat_map(|(_, codes)| codes.split_ascii_whitespace())
            .filter(|c| !matches!(*c, "UK" | "XK"));
        for code in listed {
            assert!(is_alpha2(code), "{code}");
        }
        assert_eq!(region_of("DE"), Some("Europe"));
        assert_eq!(region_of("UK"), Some("Europe"));
        assert_eq!(region_of("MX"), Some("North America"));
        assert_eq!(region_of("IL"), Some("Asia"));
        assert_eq!(region_of("AQ"), None);
        assert_eq!(region_of("D"), None);
    }
}
