//! Bounded text: the one parse every free-text field and identifier shares. Trimmed, refused
//! when empty unless the field is optional, at most so many characters, and free of the control
//! characters the field does not allow.

use super::InvalidInput;

/// Which control characters a text may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Controls {
    /// Newline, carriage return and tab, which are ordinary in comments; every other control
    /// character (NUL above all) is refused because it breaks downstream tools and displays.
    Prose,
    /// None at all: identifiers and URLs are shown, compared and linked verbatim.
    None,
}

impl Controls {
    /// The character position of the first control character this rule refuses.
    fn first_refused(self, text: &str) -> Option<usize> {
        text.chars().position(|c| {
            c.is_control() && (self == Controls::None || !matches!(c, '\n' | '\r' | '\t'))
        })
    }
}

/// `raw` trimmed; refused when it is empty (unless `allow_empty`), longer than `max_chars`
/// characters, or carries a control character `controls` refuses.
pub(super) fn bounded_text(
    field: &'static str,
    raw: &str,
    max_chars: usize,
    allow_empty: bool,
    controls: Controls,
) -> Result<String, InvalidInput> {
    let trimmed = raw.trim();
    if trimmed.is_empty() && !allow_empty {
        return Err(InvalidInput::Empty { field });
    }
    let chars = trimmed.chars().count();
    if chars > max_chars {
        return Err(InvalidInput::TooLong {
            field,
            actual: chars,
            max: max_chars,
        });
    }
    if let Some(position) = controls.first_refused(trimmed) {
        return Err(InvalidInput::ControlCharacter { field, position });
    }
    Ok(trimmed.to_string())
}

/// Prose (line breaks and tabs allowed), as [`bounded_text`].
pub(super) fn checked_text(
    field: &'static str,
    raw: &str,
    max_chars: usize,
    allow_empty: bool,
) -> Result<String, InvalidInput> {
    bounded_text(field, raw, max_chars, allow_empty, Controls::Prose)
}

/// An optional field, as [`bounded_text`]: empty or blank is the same as none.
pub(super) fn optional_text(
    field: &'static str,
    raw: &str,
    max_chars: usize,
    controls: Controls,
) -> Result<Option<String>, InvalidInput> {
    let text = bounded_text(field, raw, max_chars, true, controls)?;
    Ok((!text.is_empty()).then_some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_line_breaks_and_identifiers_refuse_them() {
        assert_eq!(
            bounded_text("f", " a\tb\n ", 10, false, Controls::Prose).unwrap(),
            "a\tb"
        );
        assert_eq!(
            bounded_text("f", "a\tb", 10, false, Controls::None),
            Err(InvalidInput::ControlCharacter {
                field: "f",
                position: 1
            })
        );
        assert_eq!(
            bounded_text("f", "  ", 10, false, Controls::Prose),
            Err(InvalidInput::Empty { field: "f" })
        );
        assert_eq!(optional_text("f", "  ", 10, Controls::None), Ok(None));
        assert_eq!(
            optional_text("f", "abc", 2, Controls::Prose),
            Err(InvalidInput::TooLong {
                field: "f",
                actual: 3,
                max: 2
            })
        );
    }
}
