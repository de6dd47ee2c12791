//! What the load generator posts and the seeder stores: a few news-comment shapes, clean,
//! rude and inciting, short and long.

pub const COMMENTS: &[&str] = &[
    "Thanks for the reporting, the timeline of the evening makes the whole thing much clearer.",
    "I live two streets away and we heard the sirens for an hour. Stay safe everyone, and look \
     after the elderly neighbours who cannot reach the shelters in time.",
    "The council should publish the full budget before the vote, not after it. Voters deserve to \
     see where the money for the new bus lanes is coming from and what will be cut to pay for it.",
    "You are a complete idiot and everyone here knows it.",
    "Someone should go to his house and shoot him, that would end this.",
    "Interesting piece, though I think the minister's figures on housing are optimistic.",
    "What a load of rubbish. The reporter clearly did not talk to a single resident.",
    "Wipe them all out, every last one of them, they deserve nothing else.",
];

/// A clap value parser for counts that must be at least 1.
pub fn at_least_one(v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{v}`: expected a whole number >= 1")),
    }
}
