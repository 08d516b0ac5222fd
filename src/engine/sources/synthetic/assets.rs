//! The generator's word lists, read from the TOML files under assets/synthetic (compiled in with
//! `include_str!`) once per process.

/// Parses one bundled file. The files ship inside the binary and a unit test parses every one, so
/// a failure here is a build defect, not a user error: it names the file and the line.
pub(super) fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> T {
    match toml::from_str(text) {
        Ok(parsed) => parsed,
        Err(e) => panic!("assets/synthetic/{file} is malformed: {e}"),
    }
}

/// The lists live for the whole process (they sit behind a `LazyLock`), so leaking them once
/// lets the generator keep handing out `&'static str` slices without copying.
pub(super) fn leak_strs(items: Vec<String>) -> &'static [&'static str] {
    let items: Vec<&'static str> = items.into_iter().map(|s| &*s.leak()).collect();
    items.leak()
}

/// `deserialize_with` for a list field kept as `&'static [&'static str]`.
pub(super) fn leak_list<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<&'static [&'static str], D::Error> {
    Ok(leak_strs(serde::Deserialize::deserialize(d)?))
}

#[cfg(test)]
mod tests {
    use super::super::industries::{common_openings, common_technologies, generic, industries};
    use super::super::names::NameStyle;
    use super::super::places::{PLACES, countries, elsewhere, global_mix, region};

    #[test]
    fn every_file_parses_with_the_shapes_the_generator_needs() {
        // Name pools: every style, both lists.
        for &style in NameStyle::ALL {
            let pool = style.pool();
            assert!(!pool.first.is_empty() && !pool.last.is_empty(), "{style:?}");
        }
        // Places: every country (and the fallback) can name a person, a domain and an amount.
        for c in countries().iter().chain([elsewhere()]) {
            assert!(!c.styles.is_empty() && !c.tlds.is_empty(), "{}", c.code);
            assert!(!c.currency.prefix.is_empty() && c.currency.per_usd > 0.0);
        }
        assert!(countries().len() >= 40 && countries().iter().all(|c| !c.cities.is_empty()));
        assert!(!global_mix().is_empty() && region("dach").is_some());
        assert!(PLACES.regions.values().all(|r| !r.is_empty()));
        // Industries: every list a company draws from.
        for i in industries().iter().chain([generic()]) {
            let lists = [
                i.suffixes,
                i.offerings,
                i.audiences,
                i.technologies,
                i.hiring,
            ];
            assert!(lists.iter().all(|l| !l.is_empty()), "{}", i.slug);
        }
        assert!(!common_technologies().is_empty() && !common_openings().is_empty());
    }

    #[test]
    #[should_panic(expected = "assets/synthetic/x.toml is malformed")]
    fn a_malformed_file_names_itself() {
        let _: toml::Table = super::parse("x.toml", "a = [");
    }
}
