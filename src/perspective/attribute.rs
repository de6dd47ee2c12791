use crate::domain::{Label, Scores};
use std::fmt;

/// Perspective attribute names talkback answers, and the label each is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attribute {
    Toxicity,
    SevereToxicity,
    Insult,
    Profanity,
    Threat,
    IdentityAttack,
    Incitement,
    Abuse,
}

impl Attribute {
    pub const ALL: [Attribute; 8] = [
        Self::Toxicity,
        Self::SevereToxicity,
        Self::Insult,
        Self::Profanity,
        Self::Threat,
        Self::IdentityAttack,
        Self::Incitement,
        Self::Abuse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Toxicity => "TOXICITY",
            Self::SevereToxicity => "SEVERE_TOXICITY",
            Self::Insult => "INSULT",
            Self::Profanity => "PROFANITY",
            Self::Threat => "THREAT",
            Self::IdentityAttack => "IDENTITY_ATTACK",
            Self::Incitement => "INCITEMENT",
            Self::Abuse => "ABUSE",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The talkback label a platform's judgement on this attribute teaches.
    pub fn label(self) -> Label {
        match self {
            Self::Toxicity | Self::SevereToxicity | Self::Abuse => Label::Abuse,
            Self::Insult => Label::Insult,
            Self::Profanity => Label::Obscene,
            Self::Threat => Label::Threat,
            Self::IdentityAttack => Label::IdentityAttack,
            Self::Incitement => Label::Incitement,
        }
    }

    /// The probability for this attribute. SEVERE_TOXICITY has no head of its own: it is the
    /// probability of abuse that is also obscene, threatening or an identity attack, so it is
    /// never higher than TOXICITY, as in Perspective.
    pub fn score(self, scores: &Scores) -> Option<f32> {
        match self {
            Self::SevereToxicity => {
                let abuse = scores.get(Label::Abuse)?;
                let severe = [
                    Label::Obscene,
                    Label::Threat,
                    Label::IdentityAttack,
                    Label::Incitement,
                ]
                .into_iter()
                .filter_map(|l| scores.get(l))
                .fold(0.0f32, f32::max);
                Some(abuse * severe)
            }
            other => scores.get(other.label()),
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
