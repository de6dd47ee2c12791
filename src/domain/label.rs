use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What the classifier scores. `Abuse` and `Incitement` drive decisions; the finer labels explain
/// them and map onto Perspective's attributes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Abuse,
    Incitement,
    Insult,
    Obscene,
    Threat,
    IdentityAttack,
}

impl Label {
    pub const ALL: [Label; 6] = [
        Label::Abuse,
        Label::Incitement,
        Label::Insult,
        Label::Obscene,
        Label::Threat,
        Label::IdentityAttack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Abuse => "abuse",
            Label::Incitement => "incitement",
            Label::Insult => "insult",
            Label::Obscene => "obscene",
            Label::Threat => "threat",
            Label::IdentityAttack => "identity_attack",
        }
    }

    /// Stable position of the label in fixed-size per-label arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "unknown label `{0}` (expected one of abuse, incitement, insult, obscene, threat, identity_attack)"
)]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLabel(s.to_string()))
    }
}
