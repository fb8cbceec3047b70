//! Turning a file's bytes into text twirl can work on, without losing them.
//!
//! An issue is UTF-8. A leading BOM and the line-ending style are remembered
//! so that the formatter writes them back as they were. Anything else that is
//! not UTF-8 text is refused with the byte offset where it goes wrong, so the
//! user knows where to look and no tool ever rewrites a file it misread.

use thiserror::Error;

/// The line endings a text uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
    /// Lone carriage returns (classic Mac), which CommonMark still reads as
    /// line ends.
    Cr,
}

impl LineEnding {
    /// The line ending's characters.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }

    /// The style of the first line ending in `text` (LF when there is none).
    pub fn detect(text: &str) -> LineEnding {
        let b = text.as_bytes();
        match b.iter().position(|&c| c == b'\n' || c == b'\r') {
            Some(i) if b[i] == b'\n' => LineEnding::Lf,
            Some(i) if b.get(i + 1) == Some(&b'\n') => LineEnding::CrLf,
            Some(_) => LineEnding::Cr,
            None => LineEnding::Lf,
        }
    }
}

/// A decoded issue: its text without the BOM, and how to write it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The text, without a BOM.
    pub text: String,
    /// Whether the file started with a BOM.
    pub bom: bool,
    /// The line ending the text mostly uses.
    pub line_ending: LineEnding,
}

impl Source {
    /// The bytes to write for `text` (the BOM is put back if there was one).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// Why a file's bytes are not an issue twirl can read.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error(
        "file is UTF-16 ({0}); twirl reads UTF-8 only: convert it with `iconv -f UTF-16 -t UTF-8`"
    )]
    /// The file starts with a UTF-16 byte order mark (its endianness).
    Utf16(&'static str),
    #[error(
        "file is UTF-32 ({0}); twirl reads UTF-8 only: convert it with `iconv -f UTF-32 -t UTF-8`"
    )]
    /// The file starts with a UTF-32 byte order mark (its endianness).
    Utf32(&'static str),
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8 at byte {offset} (line {line}, column {column})")]
    InvalidUtf8 {
        /// Byte offset.
        offset: usize,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    #[error(
        "NUL byte at byte {offset} (line {line}, column {column}): this looks like a binary file"
    )]
    /// A NUL byte: a binary file.
    Nul {
        /// Byte offset.
        offset: usize,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl DecodeError {
    /// The byte offset the error points at, if any.
    pub fn offset(&self) -> Option<usize> {
        match self {
            DecodeError::Utf16(_) | DecodeError::Utf32(_) => Some(0),
            DecodeError::InvalidUtf8 { offset, .. } | DecodeError::Nul { offset, .. } => {
                Some(*offset)
            }
        }
    }
}

fn line_col_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// Decode a file's bytes. Never guesses an encoding: only UTF-8 (with an
/// optional BOM) is accepted.
pub fn decode(bytes: &[u8]) -> Result<Source, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Err(DecodeError::Utf32("little-endian BOM"));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(DecodeError::Utf32("big-endian BOM"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(DecodeError::Utf16("little-endian BOM"));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16("big-endian BOM"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let (line, column) = line_col_of(bytes, offset);
            return Err(DecodeError::InvalidUtf8 {
                offset,
                line,
                column,
            });
        }
    };
    if let Some(offset) = memchr::memchr(0, bytes) {
        let (line, column) = line_col_of(bytes, offset);
        return Err(DecodeError::Nul {
            offset,
            line,
            column,
        });
    }
    let bom = text.starts_with('\u{feff}');
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(Source {
        text: text.to_string(),
        bom,
        line_ending: LineEnding::detect(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_remembered() {
        let src = decode(b"\xEF\xBB\xBFTitle: x\r\nNumber: 1\r\n").unwrap();
        assert!(src.bom);
        assert_eq!(src.line_ending, LineEnding::CrLf);
        assert!(src.text.starts_with("Title"));
        assert_eq!(src.encode(&src.text)[..3], [0xEF, 0xBB, 0xBF]);
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        let err = decode(b"ok\nab\xFFcd").unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidUtf8 {
                offset: 5,
                line: 2,
                column: 3
            }
        );
    }

    #[test]
    fn utf16_and_nul_are_refused() {
        assert!(matches!(decode(b"\xFF\xFEa\0"), Err(DecodeError::Utf16(_))));
        assert_eq!(
            decode(b"\xFF\xFE\0\0a\0\0\0"),
            Err(DecodeError::Utf32("little-endian BOM"))
        );
        assert_eq!(
            decode(b"\0\0\xFE\xFF\0\0\0a"),
            Err(DecodeError::Utf32("big-endian BOM"))
        );
        assert!(matches!(
            decode(b"a\0b"),
            Err(DecodeError::Nul { offset: 1, .. })
        ));
    }
}
