//! Company names, funding and headcount: the pieces of a company that follow from its stage.

use std::fmt::Write as _;

use crate::model::Range;

use super::places::Currency;

/// Coined names are onset + middle + ending. Middles are always consonant + vowel and onsets
/// never end in a bare vowel-consonant pair that a middle could steal, so distinct triples spell
/// distinct stems (a test checks the whole space).
const ONSETS: &[&str] = &[
    "Al", "Bel", "Cor", "Dal", "El", "Fal", "Gor", "Hel", "Il", "Jar", "Kal", "Lum", "Mor", "Nor",
    "Or", "Pal", "Quin", "Ral", "Sol", "Tal", "Ul", "Val", "Wen", "Xan", "Yar", "Zel", "Ar", "Bra",
    "Cle", "Dre", "Fle", "Gri", "Kra", "Lio", "Mi", "Na", "Pe", "Ri", "Sa", "Te", "Vi",
];
const MIDDLES: &[&str] = &[
    "ba", "ce", "da", "de", "fi", "ga", "ki", "la", "le", "li", "ma", "mi", "na", "ne", "no", "ra",
    "re", "ri", "sa", "so", "ta", "te", "va", "vi",
];
const ENDINGS: &[&str] = &[
    "", "n", "x", "s", "r", "l", "th", "nd", "ra", "ta", "ro", "va", "ly", "na", "co", "do", "ne",
    "sa",
];

/// Distinct coined stems available before a second round of names begins.
pub const STEM_SPACE: u64 = (ONSETS.len() * MIDDLES.len() * ENDINGS.len()) as u64;

// A 10,000-row job (Icp::MAX_ROWS) must fit in one round of distinct names.
const _: () = assert!(STEM_SPACE >= crate::model::Icp::MAX_ROWS as u64);

/// A permutation of company indices over the stem space, so the first `STEM_SPACE` companies of
/// one (ICP, seed) all get different stems while different seeds shuffle differently.
#[derive(Debug, Clone, Copy)]
pub struct StemPermutation {
    multiplier: u64,
    offset: u64,
}

impl StemPermutation {
    pub fn new(key: u64) -> Self {
        // i ↦ (a·i + b) mod N is a bijection exactly when a is coprime to N.
        let mut multiplier = (key >> 32) % STEM_SPACE;
        while gcd(multiplier, STEM_SPACE) != 1 {
            multiplier += 1;
        }
        Self {
            multiplier,
            offset: key % STEM_SPACE,
        }
    }

    /// Writes the stem of company `index` ("Kalrix").
    pub fn stem(&self, index: u32, out: &mut String) {
        let index = u64::from(index);
        let n = (self.multiplier * (index % STEM_SPACE) + self.offset) % STEM_SPACE;
        let (e, rest) = (n % ENDINGS.len() as u64, n / ENDINGS.len() as u64);
        let (m, o) = (rest % MIDDLES.len() as u64, rest / MIDDLES.len() as u64);
        out.push_str(ONSETS[o as usize]);
        // Past the first round, an extra syllable keeps later names apart from earlier ones.
        let round = index / STEM_SPACE;
        if round > 0 {
            out.push_str(MIDDLES[(round as usize - 1) % MIDDLES.len()]);
        }
        out.push_str(MIDDLES[m as usize]);
        out.push_str(ENDINGS[e as usize]);
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A funding stage: typical round size (USD millions) and company headcount.
#[derive(Debug, Clone)]
pub struct Stage {
    pub slug: &'static str,
    pub raised_musd: (f64, f64),
    pub employees: (u32, u32),
    /// How far back a round of this stage typically closed, in days.
    pub age_days: (u32, u32),
    /// Relative frequency when the ICP names no stage.
    pub weight: u32,
}

pub static STAGES: &[Stage] = &[
    Stage {
        slug: "pre_seed",
        raised_musd: (0.2, 2.0),
        employees: (2, 12),
        age_days: (10, 400),
        weight: 8,
    },
    Stage {
        slug: "seed",
        raised_musd: (1.0, 6.0),
        employees: (5, 35),
        age_days: (10, 600),
        weight: 20,
    },
    Stage {
        slug: "series_a",
        raised_musd: (6.0, 25.0),
        employees: (20, 120),
        age_days: (20, 700),
        weight: 20,
    },
    Stage {
        slug: "series_b",
        raised_musd: (20.0, 70.0),
        employees: (60, 300),
        age_days: (30, 800),
        weight: 14,
    },
    Stage {
        slug: "series_c",
        raised_musd: (50.0, 150.0),
        employees: (150, 700),
        age_days: (30, 900),
        weight: 8,
    },
    Stage {
        slug: "series_d",
        raised_musd: (100.0, 300.0),
        employees: (300, 1500),
        age_days: (30, 900),
        weight: 4,
    },
    Stage {
        slug: "series_e",
        raised_musd: (150.0, 500.0),
        employees: (500, 3000),
        age_days: (30, 900),
        weight: 2,
    },
    Stage {
        slug: "late_stage",
        raised_musd: (200.0, 800.0),
        employees: (800, 6000),
        age_days: (30, 1000),
        weight: 3,
    },
    Stage {
        slug: "public",
        raised_musd: (300.0, 2000.0),
        employees: (1000, 20000),
        age_days: (200, 3000),
        weight: 3,
    },
    Stage {
        slug: "bootstrapped",
        raised_musd: (0.0, 0.0),
        employees: (3, 200),
        age_days: (0, 0),
        weight: 12,
    },
];

impl Stage {
    pub fn is_funded(&self) -> bool {
        self.raised_musd.1 > 0.0
    }
}

/// For a stage slug outside the vocabulary: treated like a Series A.
pub fn fallback_stage() -> &'static Stage {
    &STAGES[2]
}

pub fn stage(slug: &str) -> Option<&'static Stage> {
    STAGES.iter().find(|s| s.slug.eq_ignore_ascii_case(slug))
}

/// "€12M", "$2.5M", "£800K", "¥4.5B": a round as the press would report it.
pub fn format_amount(musd: f64, currency: &Currency) -> String {
    let local = musd * currency.per_usd;
    let mut out = currency.prefix.clone();
    // Writing into a String cannot fail.
    let _ = if local >= 1000.0 {
        write!(out, "{}B", trim_decimal(local / 1000.0))
    } else if local >= 10.0 {
        write!(out, "{}M", local.round())
    } else if local >= 1.0 {
        write!(out, "{}M", trim_decimal(local))
    } else {
        write!(out, "{}K", ((local * 20.0).round() * 50.0).max(50.0))
    };
    out
}

/// One decimal, without a trailing ".0".
fn trim_decimal(x: f64) -> String {
    let tenths = (x * 10.0).round();
    if tenths % 10.0 == 0.0 {
        format!("{}", tenths / 10.0)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

/// A department's usual share of a company's headcount.
pub static DEPARTMENTS: &[(&str, (f64, f64))] = &[
    ("engineering", (0.25, 0.50)),
    ("sales", (0.08, 0.20)),
    ("marketing", (0.04, 0.10)),
    ("product", (0.03, 0.08)),
    ("data", (0.02, 0.06)),
    ("design", (0.02, 0.05)),
    ("support", (0.05, 0.15)),
    ("operations", (0.04, 0.10)),
];

pub fn department_share(dept: &str) -> (f64, f64) {
    DEPARTMENTS
        .iter()
        .find(|(d, _)| d.eq_ignore_ascii_case(dept))
        .map_or((0.03, 0.10), |(_, share)| *share)
}

/// The headcount bounds a company must fall in: the ICP's range when it has one, narrowed to
/// what is usual for the stage where the two overlap, and never below what the ICP's team sizes
/// add up to.
pub fn employee_bounds(icp: Range, stage: (u32, u32), team_minimum: u32) -> (u32, u32) {
    let icp_lo = icp.min.unwrap_or(1).max(1);
    let icp_hi = icp.max.unwrap_or(u32::MAX).max(icp_lo);
    let (mut lo, mut hi) = (stage.0.max(icp_lo), stage.1.min(icp_hi));
    if lo > hi {
        // The stage is atypical for this size: the ICP wins, kept within a plausible spread.
        lo = icp_lo;
        hi = icp_hi.min(icp_lo.saturating_mul(4).max(icp_lo + 20));
    }
    if team_minimum > lo {
        lo = team_minimum.min(icp_hi);
        hi = hi.max(lo);
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_stem_in_the_space_is_distinct() {
        let perm = StemPermutation::new(0x1234_5678_9abc_def0);
        let mut seen = HashSet::new();
        let mut stem = String::new();
        for i in 0..STEM_SPACE as u32 {
            stem.clear();
            perm.stem(i, &mut stem);
            assert!(seen.insert(stem.clone()), "stem {stem} repeats at {i}");
        }
    }

    #[test]
    fn fallback_is_series_a() {
        assert_eq!(fallback_stage().slug, "series_a");
    }

    #[test]
    fn amounts_read_like_press_releases() {
        let usd = crate::engine::sources::synthetic::places::country("US")
            .expect("the US is in places.toml")
            .currency;
        assert_eq!(format_amount(40.2, usd), "$40M");
        assert_eq!(format_amount(2.54, usd), "$2.5M");
        assert_eq!(format_amount(3.0, usd), "$3M");
        assert_eq!(format_amount(0.8, usd), "$800K");
        assert_eq!(format_amount(1250.0, usd), "$1.3B");
    }

    #[test]
    fn employee_bounds_respect_the_icp_first() {
        let icp = Range {
            min: Some(50),
            max: Some(200),
        };
        assert_eq!(employee_bounds(icp, (20, 120), 0), (50, 120));
        assert_eq!(employee_bounds(icp, (2, 12), 0), (50, 200));
        assert_eq!(employee_bounds(Range::default(), (2, 12), 30), (30, 30));
        let open_top = Range {
            min: Some(1000),
            max: None,
        };
        assert_eq!(employee_bounds(open_top, (20, 120), 0), (1000, 4000));
    }
}
