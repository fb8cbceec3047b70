//! Byte ranges and the line index.
//!
//! Every span inside twirl is a byte range on a char boundary of the decoded
//! source. Humans want lines and columns, and LSP clients want UTF-16 or
//! UTF-8 code units; [`LineIndex`] converts at the edge, in one place.

use std::fmt;
use std::ops::Range;

/// A half-open byte range `start..end` into an issue's source.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl TextRange {
    /// The range `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        TextRange { start, end }
    }

    /// The empty range at `at`.
    pub const fn empty(at: usize) -> Self {
        TextRange { start: at, end: at }
    }

    /// Its length in bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether it holds no byte.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` is in it (its end excluded).
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether `other` lies within it.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two share a byte.
    pub fn intersects(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Shift a range that was relative to `base` into document coordinates.
    pub const fn offset(self, base: usize) -> Self {
        TextRange {
            start: self.start + base,
            end: self.end + base,
        }
    }

    /// The smallest range holding both.
    pub fn cover(self, other: TextRange) -> Self {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// As a `Range`, to slice with.
    pub fn as_range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Range<usize>> for TextRange {
    fn from(r: Range<usize>) -> Self {
        TextRange::new(r.start, r.end)
    }
}

/// How a column is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units, as LSP clients count by default.
    Utf16,
    /// Unicode scalar values, as humans (and the JSON report) count.
    Chars,
}

/// A 0-based line and a 0-based column in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 0-based line.
    pub line: u32,
    /// 0-based column.
    pub col: u32,
}

/// Line starts of a text, with a flag per line telling whether it is pure
/// ASCII (then every encoding agrees and conversion is a subtraction).
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as in CommonMark.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
    /// Whether the line (including its terminator) is ASCII.
    ascii: Vec<bool>,
    /// Chars and UTF-16 units before each multiple of [`CHUNK`] bytes, so
    /// that a column far into a long non-ASCII line counts at most
    /// `CHUNK` bytes, not the whole line: converting every finding on one
    /// line of mojibake was quadratic in the line's length. Counted on
    /// the first column asked for on a long line: most texts never need it.
    chunks: std::sync::OnceLock<Vec<Units>>,
    len: usize,
}

/// Chars and UTF-16 code units in a stretch of text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Units {
    chars: usize,
    utf16: usize,
}

impl Units {
    /// The units in `bytes`, a stretch of UTF-8 that may start or end
    /// inside a char: a char counts where its first byte is, and a 4-byte
    /// char is two UTF-16 units.
    fn of(bytes: &[u8]) -> Units {
        let mut u = Units::default();
        for &b in bytes {
            let starts_char = usize::from(b & 0xC0 != 0x80);
            u.chars += starts_char;
            u.utf16 += starts_char + usize::from(b >= 0xF0);
        }
        u
    }

    fn get(self, enc: Encoding) -> usize {
        match enc {
            Encoding::Chars => self.chars,
            Encoding::Utf16 => self.utf16,
            Encoding::Utf8 => unreachable!("bytes need no counting"),
        }
    }
}

const CHUNK: usize = 256;

/// Equal when the lines are: the counted chunks follow from the text.
impl PartialEq for LineIndex {
    fn eq(&self, other: &Self) -> bool {
        (&self.starts, &self.ascii, self.len) == (&other.starts, &other.ascii, other.len)
    }
}

impl Eq for LineIndex {}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex::new("")
    }
}

impl LineIndex {
    /// The line index of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Issues' lines average some 60 bytes: room for most without growing.
        let mut starts = Vec::with_capacity(bytes.len() / 48 + 1);
        starts.push(0);
        let mut ascii = Vec::with_capacity(bytes.len() / 48 + 1);
        let mut start = 0;
        // One search over the whole text, not one per line.
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if at < start {
                // The `\n` of a `\r\n` taken with its `\r`.
                continue;
            }
            let crlf = bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n');
            let next = at + 1 + usize::from(crlf);
            ascii.push(bytes[start..next].is_ascii());
            starts.push(next);
            start = next;
        }
        ascii.push(bytes[start..].is_ascii());
        LineIndex {
            starts,
            ascii,
            chunks: std::sync::OnceLock::new(),
            len: text.len(),
        }
    }

    /// The units in `text[start..end]` (both char boundaries), counting at
    /// most about `2 * CHUNK` bytes however long the stretch is.
    fn units_between(&self, text: &str, start: usize, end: usize, enc: Encoding) -> usize {
        let bytes = text.as_bytes();
        if end - start <= CHUNK {
            return Units::of(&bytes[start..end]).get(enc);
        }
        let chunks = self.chunks.get_or_init(|| {
            let mut chunks = vec![Units::default()];
            for chunk in bytes.chunks_exact(CHUNK) {
                let (last, more) = (chunks[chunks.len() - 1], Units::of(chunk));
                chunks.push(Units {
                    chars: last.chars + more.chars,
                    utf16: last.utf16 + more.utf16,
                });
            }
            chunks
        });
        let before = |at: usize| {
            let c = at / CHUNK;
            chunks[c].get(enc) + Units::of(&bytes[c * CHUNK..at]).get(enc)
        };
        before(end) - before(start)
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text has no line.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The byte range of 0-based `line`, terminator excluded.
    pub fn line_range(&self, text: &str, line: usize) -> Option<TextRange> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        Some(TextRange::new(start, end))
    }

    /// The 0-based line holding `offset` (the end of the text is on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Converts a byte offset into a line and column counted in `enc`.
    /// An offset past the end is clamped to the end; one inside a char is
    /// moved back to the char's start.
    pub fn line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = if self.ascii[line] || enc == Encoding::Utf8 {
            offset - start
        } else {
            self.units_between(text, start, offset, enc)
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Converts a line and column in `enc` back to a byte offset. Returns
    /// `None` when the line does not exist; a column past the end of its
    /// line, or inside a char, is an error too (`None`), since a client that
    /// sends one has lost track of the text.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> Option<usize> {
        let line = pos.line as usize;
        let range = self.line_range(text, line)?;
        let col = pos.col as usize;
        if self.ascii[line] || enc == Encoding::Utf8 {
            let off = range.start + col;
            return (off <= range.end && text.is_char_boundary(off)).then_some(off);
        }
        let s = &text[range.as_range()];
        let mut units = 0;
        for (i, ch) in s.char_indices() {
            if units >= col {
                return (units == col).then_some(range.start + i);
            }
            units += match enc {
                Encoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
        }
        (units == col).then_some(range.end)
    }
}

/// Whether a word may start right after `before`: its last character (if
/// any) is not a word character as regex's `\b` sees it.
pub(crate) fn word_starts_after(before: &str) -> bool {
    !before
        .chars()
        .next_back()
        .is_some_and(regex_syntax::is_word_character)
}

/// Whether `s` starts at a word boundary after a word character: its first
/// character (if any) is not a word character as regex's `\b` sees it.
pub(crate) fn word_ends_before(s: &str) -> bool {
    !s.chars()
        .next()
        .is_some_and(regex_syntax::is_word_character)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Line starts and ASCII flags are those of a plain walk over the
        /// text (`\n`, `\r\n` and a lone `\r` end a line).
        #[test]
        fn line_index_matches_a_plain_walk(s in "[a\r\né]{0,40}") {
            let b = s.as_bytes();
            let mut starts = vec![0];
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'\r' if b.get(i + 1) == Some(&b'\n') => {
                        i += 2;
                        starts.push(i);
                    }
                    b'\r' | b'\n' => {
                        i += 1;
                        starts.push(i);
                    }
                    _ => i += 1,
                }
            }
            let ends = starts[1..].iter().copied().chain([b.len()]);
            let ascii: Vec<bool> = starts.iter().zip(ends).map(|(&a, e)| b[a..e].is_ascii()).collect();
            let idx = LineIndex::new(&s);
            proptest::prop_assert_eq!(&idx.starts, &starts);
            proptest::prop_assert_eq!(&idx.ascii, &ascii);
        }
    }

    /// Up to three lines of up to 12,000 chars, most ASCII.
    fn long_lines() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![8 => Just("a"), 2 => Just("é"), 1 => Just("🦀")];
        let line = proptest::collection::vec(piece, 0..12_000).prop_map(|p| p.concat());
        proptest::collection::vec(line, 1..4).prop_map(|l| l.join("\n"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Columns on lines longer than a chunk, counted from the chunks'
        /// running totals, are those of counting the line itself.
        #[test]
        fn columns_on_long_lines_are_counted_exactly(s in long_lines(), at in 0.0..=1.0f64) {
            let idx = LineIndex::new(&s);
            let mut offset = (at * s.len() as f64) as usize;
            while !s.is_char_boundary(offset) {
                offset -= 1;
            }
            let start = s[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = &s[start..offset];
            let chars = idx.line_col(&s, offset, Encoding::Chars).col as usize;
            let utf16 = idx.line_col(&s, offset, Encoding::Utf16).col as usize;
            proptest::prop_assert_eq!(chars, line.chars().count());
            proptest::prop_assert_eq!(utf16, line.encode_utf16().count());
        }
    }

    #[test]
    fn line_starts_cover_every_terminator() {
        let text = "a\nb\r\nc\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_range(text, 1), Some(TextRange::new(2, 3)));
        assert_eq!(idx.line_range(text, 2), Some(TextRange::new(5, 6)));
        assert_eq!(idx.line_range(text, 3), Some(TextRange::new(7, 8)));
    }

    #[test]
    fn crab_and_umlaut_count_differently_per_encoding() {
        let text = "x\n🦀 Nürnberg end";
        let idx = LineIndex::new(text);
        let off = text.find("end").unwrap();
        let utf8 = idx.line_col(text, off, Encoding::Utf8);
        let utf16 = idx.line_col(text, off, Encoding::Utf16);
        let chars = idx.line_col(text, off, Encoding::Chars);
        assert_eq!((utf8.line, utf8.col), (1, 15));
        assert_eq!((utf16.line, utf16.col), (1, 12));
        assert_eq!((chars.line, chars.col), (1, 11));
        for (pos, enc) in [
            (utf8, Encoding::Utf8),
            (utf16, Encoding::Utf16),
            (chars, Encoding::Chars),
        ] {
            assert_eq!(idx.offset(text, pos, enc), Some(off));
        }
    }

    #[test]
    fn positions_inside_a_char_or_past_a_line_are_rejected() {
        let text = "🦀\nab";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 1 }, Encoding::Utf16),
            None
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf8),
            None
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 3 }, Encoding::Utf8),
            None
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 2 }, Encoding::Utf8),
            Some(7)
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 7, col: 0 }, Encoding::Utf8),
            None
        );
    }
}
