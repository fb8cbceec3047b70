//! Exact spans of links in the source.
//!
//! comrak tells us where blocks are; its inline positions are not what a
//! quick fix can rely on, and a malformed link (`[video][Title](url)`,
//! `[Org](url)](url)`) is exactly what twirl must point at. So links are
//! found here by scanning the source text between code and comments, with
//! CommonMark's bracket and parenthesis balancing, and bounded look-ahead so
//! hostile input stays linear.

use super::LinkKind;
use crate::text::TextRange;

/// Longest link text or destination considered, in bytes. Real link texts
/// are far shorter; the bound keeps scanning linear on hostile input.
const MAX_TEXT: usize = 2048;
const MAX_DEST: usize = 4096;

/// A link found in the source, before it is given a role and a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawLink {
    pub kind: LinkKind,
    pub range: TextRange,
    pub text_range: TextRange,
    pub url_range: TextRange,
}

/// Finds links in `text`, skipping the sorted, non-overlapping `skip`
/// ranges (code blocks, HTML blocks, comments). Code spans inside a link's
/// text are stepped over with `code_spans`.
pub fn scan_links(text: &str, skip: &[TextRange], code_spans: &[TextRange]) -> Vec<RawLink> {
    let b = text.as_bytes();
    // Issues hold a link for every 50 bytes or so: room for most of them
    // without the list being copied as it grows.
    let mut out = Vec::with_capacity(b.len() / 64);
    let mut skip_i = 0;
    let mut i = 0;
    while i < b.len() {
        while skip_i < skip.len() && skip[skip_i].end <= i {
            skip_i += 1;
        }
        let next_skip = match skip.get(skip_i) {
            Some(r) if r.start <= i => {
                i = r.end;
                continue;
            }
            Some(r) => r.start,
            None => b.len(),
        };
        // Only `\`, `<` and `[` can start something: jump to the next one
        // before the next skipped range.
        match memchr::memchr3(b'\\', b'<', b'[', &b[i..next_skip]) {
            Some(n) => i += n,
            None => {
                i = next_skip;
                continue;
            }
        }
        match b[i] {
            b'\\' => i += 2,
            b'<' => match autolink(b, i) {
                Some(l) => {
                    i = l.range.end;
                    out.push(l);
                }
                None => i += 1,
            },
            b'[' => {
                if let Some(l) = definition(b, i) {
                    i = l.range.end;
                    out.push(l);
                } else if let Some(mut l) = inline(b, i, code_spans) {
                    if i > 0 && b[i - 1] == b'!' {
                        l.kind = LinkKind::Image;
                        l.range.start -= 1;
                    }
                    i = l.range.end;
                    out.push(l);
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn at_line_start(b: &[u8], i: usize) -> bool {
    let mut j = i;
    let mut spaces = 0;
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
        spaces += 1;
    }
    spaces <= 3 && (j == 0 || b[j - 1] == b'\n' || b[j - 1] == b'\r')
}

/// `[label]: destination` at the start of a line.
fn definition(b: &[u8], i: usize) -> Option<RawLink> {
    if !at_line_start(b, i) {
        return None;
    }
    let close =
        (i + 1..b.len().min(i + 1 + MAX_TEXT)).find(|&j| matches!(b[j], b']' | b'\n' | b'['))?;
    if b[close] != b']' || close == i + 1 || b.get(close + 1) != Some(&b':') {
        return None;
    }
    let mut k = close + 2;
    while k < b.len() && matches!(b[k], b' ' | b'\t') {
        k += 1;
    }
    let start = k;
    while k < b.len() && !b[k].is_ascii_whitespace() {
        k += 1;
    }
    let (us, ue) = if start < k && b[start] == b'<' && b[k - 1] == b'>' {
        (start + 1, k - 1)
    } else {
        (start, k)
    };
    Some(RawLink {
        kind: LinkKind::Definition,
        range: TextRange::new(i, k),
        text_range: TextRange::new(i + 1, close),
        url_range: TextRange::new(us, ue),
    })
}

/// `<scheme:...>`
fn autolink(b: &[u8], i: usize) -> Option<RawLink> {
    let mut j = i + 1;
    let scheme_start = j;
    while j < b.len()
        && j - scheme_start <= 32
        && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'+' | b'.' | b'-'))
    {
        j += 1;
    }
    if j - scheme_start < 2 || b.get(j) != Some(&b':') || !b[scheme_start].is_ascii_alphabetic() {
        return None;
    }
    let end = (j..b.len().min(j + MAX_DEST))
        .find(|&k| matches!(b[k], b'>' | b'<' | b' ' | b'\n' | b'\r' | b'\t'))?;
    if b[end] != b'>' {
        return None;
    }
    let url = TextRange::new(scheme_start, end);
    Some(RawLink {
        kind: LinkKind::Autolink,
        range: TextRange::new(i, end + 1),
        text_range: url,
        url_range: url,
    })
}

/// Whether a blank line starts right after the newline at `nl`.
fn blank_line_follows(b: &[u8], nl: usize) -> bool {
    let mut k = nl + 1;
    while k < b.len() && matches!(b[k], b' ' | b'\t' | b'\r') {
        if b[k] == b'\r' {
            return true;
        }
        k += 1;
    }
    k >= b.len() || b[k] == b'\n'
}

/// The first byte of `hay` that ends or changes the scan of a link text:
/// `\\`, `[`, `]` or a line end. `[`, `]` and line ends are found with
/// one vectorised search, and a `\\` only before the first of them
/// (escapes are rare in link texts).
fn text_stop(hay: &[u8]) -> Option<usize> {
    let first = memchr::memchr3(b'[', b']', b'\n', hay);
    let upto = first.unwrap_or(hay.len());
    memchr::memchr(b'\\', &hay[..upto]).or(first)
}

/// `[text](destination "title")` starting at the `[` at `i`.
/// The bytes that end or change the scan of a link destination: `\\`,
/// parentheses, and ASCII blanks and controls.
const URL_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = matches!(b, b'\\' | b'(' | b')') || b.is_ascii_whitespace() || b.is_ascii_control();
        c += 1;
    }
    t
};

fn inline(b: &[u8], i: usize, code_spans: &[TextRange]) -> Option<RawLink> {
    let limit = b.len().min(i + 1 + MAX_TEXT);
    let mut depth = 1;
    let mut j = i + 1;
    let mut span_i = code_spans.partition_point(|r| r.end <= j);
    let close = loop {
        if j >= limit {
            return None;
        }
        while span_i < code_spans.len() && code_spans[span_i].end <= j {
            span_i += 1;
        }
        let stop = match code_spans.get(span_i) {
            Some(r) if r.start <= j => {
                j = r.end;
                continue;
            }
            Some(r) => r.start.min(limit),
            None => limit,
        };
        // Skip ordinary bytes up to the next code span.
        match text_stop(&b[j..stop]) {
            Some(n) => j += n,
            None => {
                j = stop;
                continue;
            }
        }
        match b[j] {
            b'\\' => j += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
            }
            b'\n' if blank_line_follows(b, j) => {
                return None;
            }
            _ => {}
        }
        j += 1;
    };
    if b.get(close + 1) != Some(&b'(') {
        return None;
    }
    let mut k = close + 2;
    let dest_limit = b.len().min(k + MAX_DEST);
    while k < dest_limit && matches!(b[k], b' ' | b'\t') {
        k += 1;
    }
    if k < dest_limit && b[k] == b'\n' {
        k += 1;
        while k < dest_limit && matches!(b[k], b' ' | b'\t') {
            k += 1;
        }
    }
    let (url_start, url_end);
    if b.get(k) == Some(&b'<') {
        url_start = k + 1;
        let e = (url_start..dest_limit).find(|&m| matches!(b[m], b'>' | b'\n' | b'<'))?;
        if b[e] != b'>' {
            return None;
        }
        url_end = e;
        k = e + 1;
    } else {
        url_start = k;
        let mut parens = 0usize;
        while k < dest_limit {
            // Ordinary URL bytes, the most of them, in one step.
            if let Some(n) = b[k..dest_limit]
                .iter()
                .position(|&c| URL_STOP[usize::from(c)])
            {
                k += n;
            } else {
                k = dest_limit;
                break;
            }
            match b[k] {
                b'\\' => k += 1,
                b'(' => parens += 1,
                b')' if parens == 0 => break,
                b')' => parens -= 1,
                c if c.is_ascii_whitespace() || c.is_ascii_control() => break,
                _ => {}
            }
            k += 1;
        }
        k = k.min(dest_limit);
        url_end = k;
    }
    // Optional title.
    while k < dest_limit && matches!(b[k], b' ' | b'\t' | b'\n' | b'\r') {
        k += 1;
    }
    if k < dest_limit && matches!(b[k], b'"' | b'\'' | b'(') && k > url_end {
        let closer = if b[k] == b'(' { b')' } else { b[k] };
        let mut m = k + 1;
        while m < dest_limit && b[m] != closer {
            if b[m] == b'\\' {
                m += 1;
            }
            m += 1;
        }
        k = m + 1;
        while k < dest_limit && matches!(b[k], b' ' | b'\t' | b'\n' | b'\r') {
            k += 1;
        }
    }
    if b.get(k) != Some(&b')') {
        return None;
    }
    Some(RawLink {
        kind: LinkKind::Inline,
        range: TextRange::new(i, k + 1),
        text_range: TextRange::new(i + 1, close),
        url_range: TextRange::new(url_start, url_end),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// `text_stop` finds what a byte-by-byte walk finds.
        #[test]
        fn text_stop_is_the_first_stop_byte(
            hay in prop::collection::vec(
                prop::sample::select(vec![b'a', b' ', b'\\', b'[', b']', b'\n', b'\r', 0xC3]),
                0..80,
            )
        ) {
            let walk = hay.iter().position(|c| matches!(c, b'\\' | b'[' | b']' | b'\n'));
            prop_assert_eq!(text_stop(&hay), walk);
        }
    }

    fn links(text: &str) -> Vec<(LinkKind, &str, &str)> {
        scan_links(text, &[], &[])
            .into_iter()
            .map(|l| {
                (
                    l.kind,
                    &text[l.text_range.as_range()],
                    &text[l.url_range.as_range()],
                )
            })
            .collect()
    }

    #[test]
    fn nested_brackets_and_parentheses() {
        let t = "* [**[Tech Talk] Customize (How to use Rust)**](https://e.com/a_(b))";
        assert_eq!(
            links(t),
            vec![(
                LinkKind::Inline,
                "**[Tech Talk] Customize (How to use Rust)**",
                "https://e.com/a_(b)"
            )]
        );
    }

    #[test]
    fn prefix_without_space_is_a_bracket_then_a_link() {
        let t = "* [video][Title](https://e.com/v)";
        assert_eq!(
            links(t),
            vec![(LinkKind::Inline, "Title", "https://e.com/v")]
        );
    }

    #[test]
    fn malformed_organiser_link_leaves_the_tail() {
        let t = "[Rust-Saar](https://m.com/R/)](https://m.com/R/)";
        let found = scan_links(t, &[], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range, TextRange::new(0, 29));
    }

    #[test]
    fn definitions_autolinks_and_images() {
        let t = "[merged]: https://g.com/s?q=a\n![img](p.png) <https://x.org/y>";
        let kinds: Vec<_> = links(t).into_iter().map(|l| l.0).collect();
        assert_eq!(
            kinds,
            vec![LinkKind::Definition, LinkKind::Image, LinkKind::Autolink]
        );
    }

    #[test]
    fn unclosed_brackets_stay_linear_and_find_later_links() {
        let t = format!("{}[a](b)", "[".repeat(10_000));
        assert_eq!(links(&t).len(), 1);
    }
}
