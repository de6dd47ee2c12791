use super::{Attribute, PerspectiveError};
use crate::domain::Scores;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Perspective refuses comments over 20 KB of UTF-8; clients rely on that bound.
pub const MAX_TEXT_BYTES: usize = 20 * 1024;

/// Languages accepted in `languages`. The model is trained on English; the others are the
/// languages Coral Talk sends for its locales, scored by the same character n-gram model.
pub const SUPPORTED_LANGUAGES: [&str; 5] = ["en", "es", "fr", "de", "pt"];

#[derive(Debug, Default, Deserialize)]
pub struct TextEntry {
    pub text: Option<String>,
    #[serde(rename = "type")]
    pub text_type: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeParameters {
    pub score_type: Option<String>,
    pub score_threshold: Option<f64>,
}

/// The request as Perspective clients send it. Unknown fields are ignored, as a drop-in
/// replacement must not break on fields added by newer clients.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyzeRequest {
    pub comment: Option<TextEntry>,
    pub requested_attributes: Option<BTreeMap<String, Option<AttributeParameters>>>,
    pub languages: Option<Vec<String>>,
    pub do_not_store: Option<bool>,
    pub span_annotations: Option<bool>,
    pub client_token: Option<String>,
    pub context: Option<serde_json::Value>,
    pub community_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestedAttribute {
    pub attribute: Attribute,
    pub threshold: Option<f32>,
}

/// An analyze request that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Analyze {
    pub text: String,
    pub attributes: Vec<RequestedAttribute>,
    pub languages: Vec<String>,
    pub do_not_store: bool,
    pub span_annotations: bool,
    pub client_token: Option<String>,
    pub community_id: Option<String>,
}

fn checked_text(comment: Option<TextEntry>) -> Result<String, PerspectiveError> {
    let entry =
        comment.ok_or_else(|| PerspectiveError::invalid_argument("comment.text is required."))?;
    if let Some(kind) = entry.text_type.as_deref()
        && kind != "PLAIN_TEXT"
        && kind != "HTML"
    {
        return Err(PerspectiveError::invalid_argument(format!(
            "comment.type `{kind}` is not supported (use PLAIN_TEXT)."
        )));
    }
    let text = entry
        .text
        .ok_or_else(|| PerspectiveError::invalid_argument("comment.text is required."))?;
    if text.trim().is_empty() {
        return Err(PerspectiveError::invalid_argument(
            "Comment text was too short.",
        ));
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(PerspectiveError::invalid_argument(format!(
            "Comment text too long: {} bytes, the limit is {MAX_TEXT_BYTES} bytes.",
            text.len()
        )));
    }
    Ok(text)
}

/// `en-US` and `en` are the same language to the model.
fn checked_languages(
    languages: Option<Vec<String>>,
    attributes: &[RequestedAttribute],
) -> Result<Vec<String>, PerspectiveError> {
    let languages = languages.unwrap_or_default();
    if languages.is_empty() {
        // Perspective detects the language when none is given; talkback's model is English.
        return Ok(vec!["en".to_string()]);
    }
    let mut out = Vec::with_capacity(languages.len());
    for raw in &languages {
        let primary = raw
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !SUPPORTED_LANGUAGES.contains(&primary.as_str()) {
            let first = attributes
                .first()
                .map_or("TOXICITY", |a| a.attribute.name());
            return Err(PerspectiveError::invalid_argument(format!(
                "Attribute {first} does not support request languages: {raw}"
            )));
        }
        if !out.contains(&primary) {
            out.push(primary);
        }
    }
    Ok(out)
}

impl AnalyzeRequest {
    pub fn validate(self) -> Result<Analyze, PerspectiveError> {
        let text = checked_text(self.comment)?;
        let requested = self.requested_attributes.unwrap_or_default();
        if requested.is_empty() {
            return Err(PerspectiveError::invalid_argument(
                "requestedAttributes must name at least one attribute.",
            ));
        }
        let mut attributes = Vec::with_capacity(requested.len());
        for (name, params) in requested {
            let attribute = Attribute::parse(&name).ok_or_else(|| {
                PerspectiveError::invalid_argument(format!(
                    "Unknown attribute: {name}. Supported: {}.",
                    Attribute::ALL.map(Attribute::name).join(", ")
                ))
            })?;
            let params = params.unwrap_or_default();
            if let Some(kind) = params.score_type.as_deref()
                && kind != "PROBABILITY"
            {
                return Err(PerspectiveError::invalid_argument(format!(
                    "Attribute {name}: scoreType `{kind}` is not supported (use PROBABILITY)."
                )));
            }
            let threshold = match params.score_threshold {
                Some(t) if !(0.0..=1.0).contains(&t) => {
                    return Err(PerspectiveError::invalid_argument(format!(
                        "Attribute {name}: scoreThreshold must be between 0 and 1."
                    )));
                }
                t => t.map(|t| t as f32),
            };
            attributes.push(RequestedAttribute {
                attribute,
                threshold,
            });
        }
        let languages = checked_languages(self.languages, &attributes)?;
        Ok(Analyze {
            text,
            attributes,
            languages,
            do_not_store: self.do_not_store.unwrap_or(false),
            span_annotations: self.span_annotations.unwrap_or(false),
            client_token: self.client_token,
            community_id: self.community_id,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreValue {
    pub value: f32,
    #[serde(rename = "type")]
    pub score_type: &'static str,
}

impl ScoreValue {
    fn probability(value: f32) -> Self {
        Self {
            value,
            score_type: "PROBABILITY",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanScore {
    pub begin: usize,
    pub end: usize,
    pub score: ScoreValue,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeScore {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub span_scores: Vec<SpanScore>,
    pub summary_score: ScoreValue,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyzeResponse {
    pub attribute_scores: BTreeMap<&'static str, AttributeScore>,
    pub languages: Vec<String>,
    pub detected_languages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

/// Sentence-sized pieces of `text` as character ranges, the unit Perspective scores spans on.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let ends_sentence = matches!(c, '.' | '!' | '?' | '\n')
            && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if ends_sentence {
            let mut end = i + 1;
            while end < chars.len() && chars[end].is_whitespace() {
                end += 1;
            }
            spans.push((start, end));
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if start < chars.len() {
        spans.push((start, chars.len()));
    }
    spans.retain(|&(b, e)| chars[b..e].iter().any(|c| !c.is_whitespace()));
    spans
}

impl Analyze {
    /// Build the response from the whole text's scores and a scoring function for sentences
    /// (the live model in production). Attributes under their `scoreThreshold` are left out, as
    /// Perspective does.
    pub fn respond(&self, whole: &Scores, score: impl Fn(&str) -> Scores) -> AnalyzeResponse {
        let sentences: Vec<((usize, usize), Scores)> = if self.span_annotations {
            let chars: Vec<char> = self.text.chars().collect();
            sentence_spans(&self.text)
                .into_iter()
                .map(|(b, e)| {
                    let piece: String = chars[b..e].iter().collect();
                    ((b, e), score(&piece))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut attribute_scores = BTreeMap::new();
        for requested in &self.attributes {
            let Some(value) = requested.attribute.score(whole) else {
                continue;
            };
            if requested.threshold.is_some_and(|t| value < t) {
                continue;
            }
            let span_scores = sentences
                .iter()
                .filter_map(|&((begin, end), ref s)| {
                    requested.attribute.score(s).map(|v| SpanScore {
                        begin,
                        end,
                        score: ScoreValue::probability(v),
                    })
                })
                .collect();
            attribute_scores.insert(
                requested.attribute.name(),
                AttributeScore {
                    span_scores,
                    summary_score: ScoreValue::probability(value),
                },
            );
        }
        AnalyzeResponse {
            attribute_scores,
            languages: self.languages.clone(),
            detected_languages: self.languages.clone(),
            client_token: self.client_token.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SummaryOnly {
    pub value: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedAttributeScore {
    pub summary_score: Option<SummaryOnly>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestRequest {
    pub comment: Option<TextEntry>,
    pub context: Option<serde_json::Value>,
    pub attribute_scores: Option<BTreeMap<String, SuggestedAttributeScore>>,
    pub languages: Option<Vec<String>>,
    pub community_id: Option<String>,
    pub client_token: Option<String>,
}

/// A platform's own judgement of a comment: a label for the learning loop.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub text: String,
    pub scores: Vec<(Attribute, f32)>,
    pub context: Option<String>,
    pub community_id: Option<String>,
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

impl SuggestRequest {
    pub fn validate(self) -> Result<Suggestion, PerspectiveError> {
        let text = checked_text(self.comment)?;
        let given = self.attribute_scores.unwrap_or_default();
        if given.is_empty() {
            return Err(PerspectiveError::invalid_argument(
                "attributeScores must not be empty.",
            ));
        }
        let mut scores = Vec::with_capacity(given.len());
        for (name, score) in given {
            let attribute = Attribute::parse(&name).ok_or_else(|| {
                PerspectiveError::invalid_argument(format!("Unknown attribute: {name}."))
            })?;
            let value = score.summary_score.and_then(|s| s.value).ok_or_else(|| {
                PerspectiveError::invalid_argument(format!(
                    "attributeScores.{name}.summaryScore.value is required."
                ))
            })?;
            if !(0.0..=1.0).contains(&value) {
                return Err(PerspectiveError::invalid_argument(format!(
                    "attributeScores.{name}.summaryScore.value must be between 0 and 1."
                )));
            }
            scores.push((attribute, value as f32));
        }
        checked_languages(self.languages, &[])?;
        Ok(Suggestion {
            text,
            scores,
            context: self.context.map(|c| c.to_string()),
            community_id: self.community_id,
            client_token: self.client_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Label;

    fn parse(json: &str) -> Result<Analyze, PerspectiveError> {
        serde_json::from_str::<AnalyzeRequest>(json)
            .unwrap()
            .validate()
    }

    #[test]
    fn coral_request_validates() {
        let a = parse(r#"{"comment":{"text":"hello"},"doNotStore":true,"requestedAttributes":{"TOXICITY":{}},"languages":["en"]}"#).unwrap();
        assert_eq!(a.attributes[0].attribute, Attribute::Toxicity);
        assert!(a.do_not_store);
        assert_eq!(a.languages, ["en"]);
    }

    #[test]
    fn refuses_what_perspective_refuses() {
        for (json, needle) in [
            (
                r#"{"comment":{"text":"hi"},"requestedAttributes":{"SPAM":{}}}"#,
                "Unknown attribute",
            ),
            (
                r#"{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}},"languages":["zh"]}"#,
                "does not support request languages: zh",
            ),
            (
                r#"{"comment":{},"requestedAttributes":{"TOXICITY":{}}}"#,
                "comment.text is required",
            ),
            (
                r#"{"requestedAttributes":{"TOXICITY":{}}}"#,
                "comment.text is required",
            ),
            (
                r#"{"comment":{"text":"hi"},"requestedAttributes":{}}"#,
                "at least one attribute",
            ),
        ] {
            let err = parse(json).unwrap_err();
            assert_eq!(err.status, "INVALID_ARGUMENT");
            assert!(
                err.message.contains(needle),
                "{} lacks {needle}",
                err.message
            );
        }
        let long = format!(
            r#"{{"comment":{{"text":"{}"}},"requestedAttributes":{{"TOXICITY":{{}}}}}}"#,
            "a".repeat(MAX_TEXT_BYTES + 1)
        );
        assert!(parse(&long).unwrap_err().message.contains("too long"));
    }

    #[test]
    fn responds_per_attribute_with_thresholds_and_spans() {
        let a = parse(r#"{"comment":{"text":"Nice story. You idiot!"},"requestedAttributes":{"TOXICITY":{},"THREAT":{"scoreThreshold":0.5}},"spanAnnotations":true,"clientToken":"t1"}"#).unwrap();
        let score = |text: &str| {
            let mut s = Scores::default();
            s.set(Label::Abuse, if text.contains("idiot") { 0.9 } else { 0.1 });
            s.set(Label::Threat, 0.2);
            s
        };
        let response = a.respond(&score(&a.text), score);
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(
            json["attributeScores"]["TOXICITY"]["summaryScore"]["value"],
            0.9f32 as f64
        );
        assert!(
            json["attributeScores"].get("THREAT").is_none(),
            "under threshold is left out"
        );
        let spans = &json["attributeScores"]["TOXICITY"]["spanScores"];
        assert_eq!(spans[0]["begin"], 0);
        assert_eq!(spans[0]["end"], 12);
        assert_eq!(spans[1]["begin"], 12);
        assert_eq!(spans[1]["end"], 22);
        assert_eq!(json["clientToken"], "t1");
    }

    #[test]
    fn severe_toxicity_never_exceeds_toxicity() {
        let mut s = Scores::default();
        s.set(Label::Abuse, 0.8);
        s.set(Label::Obscene, 0.9);
        assert!(
            Attribute::SevereToxicity.score(&s).unwrap() <= Attribute::Toxicity.score(&s).unwrap()
        );
    }
}
