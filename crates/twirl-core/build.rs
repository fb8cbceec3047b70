//! Repacks the ISO 3166 tables of `rust_iso3166` into a few strings for
//! `src/iso3166.rs`. The crate keeps every country and subdivision as
//! structs of `&'static str`, some 38 000 pointers that the dynamic loader
//! patches at every start of the binary (`twirl --version` took 1.84 ms
//! with them, 1.43 ms without);
//! strings of fixed-width records hold the same data with none.

use std::fmt::Write as _;

fn main() {
    let mut countries: Vec<_> = rust_iso3166::ALL.to_vec();
    let mut names = String::new();
    // Names in the crate's order (the first match wins, as it did with the
    // crate's list), each after its alpha-2 code.
    for c in &countries {
        assert!(c.alpha2.len() == 2 && c.alpha3.len() == 3 && !c.name.contains('\n'));
        writeln!(names, "{} {}", c.alpha2, c.name).unwrap();
    }
    countries.sort_by_key(|c| c.alpha2);
    let mut codes = String::new();
    for c in &countries {
        codes.push_str(c.alpha2);
        codes.push_str(c.alpha3);
    }
    let mut subdivisions: Vec<&str> = rust_iso3166::iso3166_2::SUBDIVISION_MAP
        .keys()
        .copied()
        .collect();
    subdivisions.sort_unstable();
    let width = subdivisions.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut sub = String::new();
    for s in &subdivisions {
        assert!(s.is_ascii() && !s.contains(' '));
        write!(sub, "{s:width$}").unwrap();
    }
    let out = format!(
        "/// ISO 3166-1 alpha-2 and alpha-3 codes, sorted by alpha-2, five bytes each.\n\
         const COUNTRY_CODES: &str = {codes:?};\n\
         /// `XX Name`: each country's alpha-2 code and English short name,\n\
         /// one per line, in `rust_iso3166::ALL`'s order.\n\
         const COUNTRY_NAMES: &str = {names:?};\n\
         /// Width of a record in [`SUBDIVISIONS`], blank-padded.\n\
         const SUBDIVISION_WIDTH: usize = {width};\n\
         /// ISO 3166-2 subdivision codes (`US-CA`), sorted.\n\
         const SUBDIVISIONS: &str = {sub:?};\n"
    );
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("iso3166.rs");
    std::fs::write(path, out).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
