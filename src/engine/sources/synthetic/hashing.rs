//! Stable hashing and seeding. Output must be identical across runs, builds and platforms, so
//! nothing here touches `DefaultHasher` (randomly keyed) or map iteration order.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::model::Icp;

/// 64-bit FNV-1a.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Fnv {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub fn new() -> Self {
        Self(Self::OFFSET)
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        self
    }

    pub fn u64(&mut self, n: u64) -> &mut Self {
        self.bytes(&n.to_le_bytes())
    }

    /// Length-prefixed, so `["ab", "c"]` and `["a", "bc"]` hash differently.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.u64(s.len() as u64).bytes(s.as_bytes())
    }

    fn list(&mut self, items: &[String]) -> &mut Self {
        self.u64(items.len() as u64);
        for item in items {
            self.str(item);
        }
        self
    }

    fn opt(&mut self, n: Option<u32>) -> &mut Self {
        match n {
            Some(n) => self.u64(1).u64(u64::from(n)),
            None => self.u64(0),
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The ICP's identity for generation. `max_rows` is left out so a bigger job extends a smaller
/// one instead of reshuffling it; each field is tagged so moving a value between fields changes
/// the hash.
pub fn icp_fingerprint(icp: &Icp) -> u64 {
    let mut h = Fnv::new();
    h.str("industries").list(&icp.industries);
    h.str("countries").list(&icp.countries);
    h.str("regions").list(&icp.regions);
    h.str("cities").list(&icp.cities);
    h.str("us_states").list(&icp.us_states);
    h.str("funding_stages").list(&icp.funding_stages);
    h.str("employees")
        .opt(icp.employees.min)
        .opt(icp.employees.max);
    h.str("team_size").u64(icp.team_size.len() as u64);
    // BTreeMap iterates in key order, which is what makes this canonical.
    for (dept, range) in &icp.team_size {
        h.str(dept).opt(range.min).opt(range.max);
    }
    h.str("roles").list(&icp.roles);
    h.str("technologies").list(&icp.technologies);
    h.str("hiring_for").list(&icp.hiring_for);
    h.str("funded_within_days").opt(icp.funded_within_days);
    h.str("excluded_sources").list(&icp.excluded_sources);
    h.finish()
}

/// Combines two values into a well-spread one (SplitMix64's finaliser over `a` and `b`).
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        assert_eq!(Fnv::new().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv::new().bytes(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv::new().bytes(b"foobar").finish(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprint_ignores_max_rows_but_not_filters() {
        let base = Icp {
            countries: vec!["FR".into()],
            ..Icp::default()
        };
        let more_rows = Icp {
            max_rows: Some(500),
            ..base.clone()
        };
        assert_eq!(icp_fingerprint(&base), icp_fingerprint(&more_rows));
        let moved = Icp {
            cities: vec!["FR".into()],
            ..Icp::default()
        };
        assert_ne!(icp_fingerprint(&base), icp_fingerprint(&moved));
    }
}
