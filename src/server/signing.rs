//! Short-lived signed download URLs for artifacts (the reference's `download_url`, valid 4 hours):
//! an HMAC-SHA256 over the artifact, format and expiry, with a secret kept in the database so
//! URLs survive a restart.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::engine::store::{Store, settings};
use crate::model::Error;

pub const LIFETIME_SECS: i64 = 4 * 3600;

pub struct Signer {
    secret: Vec<u8>,
}

impl Signer {
    pub fn load(store: &Store) -> Result<Self, Error> {
        let fresh: String = {
            let mut rng = rand::rng();
            (0..32)
                .map(|_| format!("{:02x}", rng.random::<u8>()))
                .collect()
        };
        let secret = store.write(|tx| settings::get_or_insert(tx, "download_secret", &fresh))?;
        Ok(Self {
            secret: secret.into_bytes(),
        })
    }

    fn mac(&self, artifact: &str, format: &str, expires: i64) -> Vec<u8> {
        // Any key length is valid for HMAC; `new_from_slice` cannot fail here.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.secret) {
            Ok(m) => m,
            Err(_) => return Vec::new(),
        };
        mac.update(format!("{artifact}|{format}|{expires}").as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    pub fn sign(&self, artifact: &str, format: &str, expires: i64) -> String {
        hex::encode(self.mac(artifact, format, expires))
    }

    pub fn verify(
        &self,
        artifact: &str,
        format: &str,
        expires: i64,
        signature: &str,
        now: i64,
    ) -> bool {
        let Ok(given) = hex::decode(signature) else {
            return false;
        };
        let want = self.mac(artifact, format, expires);
        expires > now && !want.is_empty() && bool::from(want.ct_eq(&given))
    }
}
