//! The weights of evidence and how agreeing sources combine (docs: README, "Confidence"). They
//! live in the model because every reader of a lead needs them: the engine grounds values with
//! them, and the TUI shows each field's own score.

use super::lead::{Lead, SourceKind};

/// How much a kind of evidence is worth on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    PatternGuess,
    Dataset,
    Provider,
    Page,
    VerifiedEmail,
}

impl Strength {
    pub fn weight(self) -> f64 {
        match self {
            Strength::VerifiedEmail => 0.95,
            Strength::Page => 0.80,
            Strength::Provider => 0.70,
            Strength::Dataset => 0.60,
            Strength::PatternGuess => 0.30,
        }
    }
}

/// The support of distinct sources stating the same value: `1 − Π(1 − strength)`.
pub fn combined(strengths: impl IntoIterator<Item = Strength>) -> f64 {
    1.0 - strengths
        .into_iter()
        .map(|s| 1.0 - s.weight())
        .product::<f64>()
}

/// A value's score when a rival with support `rival` contradicts it: `support × (1 − rival / 2)`.
pub fn contested(support: f64, rival: f64) -> f64 {
    support * (1.0 - rival / 2.0)
}

impl Lead {
    /// A field's own score: the support of the sources that back it. The lead's confidence
    /// also weighs conflicts and counts the email twice, so it is not the mean of these.
    /// `None`: no source backs the field.
    pub fn field_score(&self, path: &str) -> Option<f64> {
        let verified = self.fields.get("email_verified") == Some(&serde_json::Value::Bool(true));
        let strengths: Vec<Strength> = self
            .sources_for(path)
            .map(|src| match src.kind {
                SourceKind::Web => Strength::Page,
                SourceKind::Dataset => Strength::Dataset,
                SourceKind::Provider if verified && path == "person.email" => {
                    Strength::VerifiedEmail
                }
                SourceKind::Provider => Strength::Provider,
                SourceKind::Synthetic => Strength::PatternGuess,
            })
            .collect();
        (!strengths.is_empty()).then(|| combined(strengths))
    }
}
