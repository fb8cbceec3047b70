//! Parsing again after an edit without running comrak over the whole
//! issue: what comrak found is kept in top-level pieces, and an edit that
//! stays inside one piece re-parses only that piece.
//!
//! A piece starts at a top-level ATX heading in column 1. Every block
//! before such a heading has ended (had one run on, the heading would be
//! inside it), so comrak reads the text before it alone as it reads it in
//! the issue. An edit re-parses its piece alone when the piece still opens
//! with a heading and, unless it is the last, still ends with a blank line
//! after a block that cannot run on (not a fenced code block, not an HTML
//! block that ends only at its own marker, at the top level or last in a
//! list or block quote): the next piece's heading then still closes
//! everything in it, where the end of the text would. Those blocks take
//! in the blank line, and comrak ends them at the end of the text on
//! another line than before a heading. One thing crosses pieces: link reference
//! definitions. A reference in one piece may resolve to a definition in
//! another, so an edit is re-parsed alone only when no label the piece may
//! use is among those the other pieces may define, and, where a label it
//! may define is among those another may use, when comrak reads the same
//! definitions in it before and after the edit ([`definitions`]). Labels
//! are compared on [`Labels`], a superset of what comrak would match.
//! Anything else, and any edit that reaches past its piece, parses the
//! whole text again.
//!
//! The lowering after comrak (links, events, sections, ...) always runs
//! over the whole text: it is the rules' input, and the cheaper part.

use std::sync::Arc;

use super::Issue;
use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

use super::parse::{Blocks, collect_blocks, comrak_options, lower};
use crate::text::LineIndex;

/// comrak's findings for one text, in pieces. The language server keeps
/// the last one of each open document with the text it was made from.
#[derive(Clone, Debug, Default)]
pub struct Pieces {
    pieces: Vec<Piece>,
    reparsed: usize,
}

#[derive(Clone, Debug)]
struct Piece {
    start: usize,
    len: usize,
    /// Shared by every later `Pieces` the piece is kept in unchanged.
    found: Arc<Found>,
}

/// What comrak found in a piece, and the link labels it may define or use.
#[derive(Debug)]
struct Found {
    /// Ranges counted from the piece's start.
    blocks: Blocks,
    defines: Labels,
    uses: Labels,
}

impl Pieces {
    /// How many bytes comrak read to make this: the whole text after a
    /// full parse, one piece's after an edit re-parsed in place.
    pub fn reparsed_bytes(&self) -> usize {
        self.reparsed
    }

    fn merged(&self) -> Blocks {
        let mut all = Blocks::default();
        for p in &self.pieces {
            all.extend_moved(&p.found.blocks, p.start);
        }
        all
    }
}

/// Parses `text` whole, as [`super::parse`] does, and keeps comrak's
/// findings in pieces for [`reparse`].
pub fn parse_pieces(text: &str) -> (Issue, Pieces) {
    let idx = LineIndex::new(text);
    let (blocks, outline) = collect_blocks(text, &idx, true);
    let pieces = Pieces {
        pieces: cut(text, 0, blocks, &outline.cuts),
        reparsed: text.len(),
    };
    let issue = lower(text, idx, pieces.merged());
    (issue, pieces)
}

/// Parses `new`, the text `old` became, reusing `kept` (made from `old`)
/// for every piece the change did not touch. Gives what [`super::parse`]
/// gives for `new`, with the pieces for the next edit.
pub fn reparse(old: &str, kept: &Pieces, new: &str) -> (Issue, Pieces) {
    match reparse_piece(old, kept, new) {
        Some(pieces) => {
            let issue = lower(new, LineIndex::new(new), pieces.merged());
            (issue, pieces)
        }
        None => parse_pieces(new),
    }
}

/// The pieces of `new` with the one piece the change falls in parsed
/// again, or `None` when the change cannot be parsed in place.
fn reparse_piece(old: &str, kept: &Pieces, new: &str) -> Option<Pieces> {
    let total: usize = kept.pieces.iter().map(|p| p.len).sum();
    if kept.pieces.is_empty() || total != old.len() {
        return None;
    }
    if old == new {
        return Some(Pieces {
            pieces: kept.pieces.clone(),
            reparsed: 0,
        });
    }
    let (from, old_to, new_to) = changed(old.as_bytes(), new.as_bytes());
    let i = kept.pieces.partition_point(|p| p.start <= from) - 1;
    let piece = &kept.pieces[i];
    let end = piece.start + piece.len;
    if old_to > end {
        return None;
    }
    let new_end = end - old_to + new_to;
    let text = &new[piece.start..new_end];
    let last = i + 1 == kept.pieces.len();
    let idx = LineIndex::new(text);
    let (blocks, outline) = collect_blocks(text, &idx, true);
    if (i > 0 && !outline.opens_with_heading) || (!last && !outline.ends_closed) {
        return None;
    }
    let fresh = cut(text, piece.start, blocks, &outline.cuts);
    let others = || {
        kept.pieces
            .iter()
            .enumerate()
            .filter(move |&(j, _)| j != i)
            .map(|(_, p)| p)
    };
    let defined = || {
        fresh
            .iter()
            .map(|p| &p.found.defines)
            .chain(std::iter::once(&piece.found.defines))
    };
    let used = || fresh.iter().map(|p| &p.found.uses);
    if others().any(|other| used().any(|u| u.meets(&other.found.defines))) {
        return None;
    }
    // A label this piece may define and another may use: the other piece
    // reads the same only if the definitions did not change.
    if others().any(|other| defined().any(|d| d.meets(&other.found.uses)))
        && definitions(&old[piece.start..end])? != definitions(text)?
    {
        return None;
    }
    let grown = new_end as isize - end as isize;
    let mut pieces = Vec::with_capacity(kept.pieces.len() + fresh.len());
    pieces.extend(kept.pieces[..i].iter().cloned());
    pieces.extend(fresh);
    pieces.extend(kept.pieces[i + 1..].iter().map(|p| {
        Piece {
            start: p
                .start
                .checked_add_signed(grown)
                .expect("a later piece moves with the edit"),
            ..p.clone()
        }
    }));
    Some(Pieces {
        pieces,
        reparsed: text.len(),
    })
}

/// The pieces of `text` (which starts at byte `at` of the issue) cut at
/// `cuts` (offsets within `text`).
fn cut(text: &str, at: usize, blocks: Blocks, cuts: &[usize]) -> Vec<Piece> {
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(cuts.iter().copied())
        .chain(std::iter::once(text.len()))
        .collect();
    blocks
        .split(cuts)
        .into_iter()
        .zip(bounds.windows(2))
        .map(|(blocks, w)| {
            let (defines, uses) = Labels::scan(&text[w[0]..w[1]]);
            Piece {
                start: at + w[0],
                len: w[1] - w[0],
                found: Arc::new(Found {
                    blocks,
                    defines,
                    uses,
                }),
            }
        })
        .collect()
}

/// Where two texts differ: from the end of their common prefix to the
/// start of their common suffix, in each (`from`, `old_to`, `new_to`).
fn changed(old: &[u8], new: &[u8]) -> (usize, usize, usize) {
    let prefix = common_run(old, new, false);
    let suffix = common_run(&old[prefix..], &new[prefix..], true);
    (prefix, old.len() - suffix, new.len() - suffix)
}

/// How many bytes `a` and `b` share from their starts (or, `backwards`,
/// from their ends): compared 32 bytes at a time, then byte by byte.
fn common_run(a: &[u8], b: &[u8], backwards: bool) -> usize {
    const CHUNK: usize = 32;
    let n = a.len().min(b.len());
    let (a, b) = if backwards {
        (&a[a.len() - n..], &b[b.len() - n..])
    } else {
        (&a[..n], &b[..n])
    };
    let span = |i: usize, len: usize| {
        if backwards {
            n - i - len..n - i
        } else {
            i..i + len
        }
    };
    let mut i = 0;
    while i + CHUNK <= n && a[span(i, CHUNK)] == b[span(i, CHUNK)] {
        i += CHUNK;
    }
    while i < n && a[span(i, 1)] == b[span(i, 1)] {
        i += 1;
    }
    i
}

/// Each `[label]` of `text`, from a `[` to the next unescaped `]` with no
/// unescaped `[` between (as comrak reads a link label), and whether a `:`
/// follows it (a definition's label).
fn label_spans(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let b = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = memchr::memchr(b'[', &b[at..]) {
            let open = at + found;
            let mut j = open + 1;
            loop {
                match b.get(j) {
                    None => {
                        at = b.len();
                        break;
                    }
                    Some(b'\\') => j += 2,
                    Some(b'[') => {
                        at = j;
                        break;
                    }
                    Some(b']') => {
                        at = j + 1;
                        return Some((&text[open + 1..j], b.get(j + 1) == Some(&b':')));
                    }
                    Some(_) => j += 1,
                }
            }
        }
        None
    })
}

/// The labels `text` defines, exactly as comrak reads the text: each
/// `[label]:` in it is tried as a full reference `[n][label]` in a
/// paragraph after it, which comrak makes a link only if the label is
/// defined. The labels are given as written (comrak matches them
/// case-folded, so equal lists mean equal definitions, not the converse).
/// `None` when the probe cannot tell: a label over several lines, or a
/// text whose end would take the probe paragraph in.
fn definitions(text: &str) -> Option<Vec<&str>> {
    let mut labels: Vec<&str> = label_spans(text)
        .filter(|&(_, defining)| defining)
        .map(|(label, _)| label)
        .collect();
    labels.sort_unstable();
    labels.dedup();
    if labels.iter().any(|l| l.contains(['\n', '\r'])) {
        return None;
    }
    let mut probe =
        String::with_capacity(text.len() + 16 + labels.iter().map(|l| l.len() + 12).sum::<usize>());
    probe.push_str(text);
    // An inline link first: always a link, so its absence says the
    // paragraph was taken in by the text.
    probe.push_str("\n\n[probe](/)\n");
    for (n, label) in labels.iter().enumerate() {
        probe.push_str(&format!("[{n}][{label}]\n"));
    }
    let arena = Arena::new();
    let root = parse_document(&arena, &probe, &comrak_options());
    let paragraph = root.last_child()?;
    fn link_text<'a>(node: &'a comrak::nodes::AstNode<'a>) -> Option<String> {
        matches!(node.data().value, NodeValue::Link(_)).then(|| {
            node.children()
                .filter_map(|c| match &c.data().value {
                    NodeValue::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect()
        })
    }
    let mut links = paragraph.children().filter_map(link_text);
    if !matches!(paragraph.data().value, NodeValue::Paragraph) || links.next()? != "probe" {
        return None;
    }
    Some(
        links
            .filter_map(|t| labels.get(t.parse::<usize>().ok()?).copied())
            .collect(),
    )
}

/// Link labels a piece of text may define (`[label]:`) or use (any
/// `[label]`), each reduced to a key that labels comrak would match always
/// share: the label case-folded as comrak folds it, with only its letters
/// and digits kept. (comrak matches labels trimmed, with runs of
/// whitespace made one space, and case-folded; folding maps a character
/// on its own, never to or from whitespace, so dropping everything but
/// letters and digits after it keeps any two labels comrak matches equal.)
#[derive(Clone, Debug, Default)]
struct Labels {
    keys: Vec<Box<str>>,
}

impl Labels {
    /// The labels of `text` (see [`label_spans`]), those followed by `:`
    /// counted as definitions too.
    fn scan(text: &str) -> (Labels, Labels) {
        let (mut defines, mut uses) = (Labels::default(), Labels::default());
        for (label, defining) in label_spans(text) {
            if defining {
                defines.add(label);
            }
            uses.add(label);
        }
        for set in [&mut defines, &mut uses] {
            set.keys.sort_unstable();
            set.keys.dedup();
        }
        (defines, uses)
    }

    fn add(&mut self, label: &str) {
        let key: String = if label.is_ascii() {
            label
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|c| char::from(c.to_ascii_lowercase()))
                .collect()
        } else {
            caseless::default_case_fold_str(label)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        self.keys.push(key.into());
    }

    /// Whether a label of `self` might match one of `other`.
    fn meets(&self, other: &Labels) -> bool {
        let (small, big) = if self.keys.len() <= other.keys.len() {
            (self, other)
        } else {
            (other, self)
        };
        small.keys.iter().any(|k| big.keys.binary_search(k).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a full parse of `text` gives, to compare models by.
    fn full(text: &str) -> String {
        format!("{:?}", super::super::parse(text))
    }

    /// Applies `edit` to `text`, re-parses from `kept`, and checks the
    /// model against a full parse. Returns the new text and pieces.
    fn step(text: &str, kept: &Pieces, at: usize, del: usize, ins: &str) -> (String, Pieces) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + del).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut new = text.to_string();
        new.replace_range(at..end, ins);
        let (issue, pieces) = reparse(text, kept, &new);
        assert_eq!(
            format!("{issue:?}"),
            full(&new),
            "after {text:?} -> {new:?}"
        );
        (new, pieces)
    }

    const DOC: &str = "Title: This Week in Rust 1\nDate: 2024-11-20\n\nHello and welcome.\n\n\
        ## Updates from Rust Community\n\n* [A post](https://a.example/post)\n* [Another](https://b.example/)\n\n\
        ## Crate of the Week\n\nThis week's crate is [foo](https://c.example/) ([suggest one][submit]).\n\n\
        [submit]: https://users.rust-lang.org/t/crate-of-the-week/2704\n\n\
        ## Upcoming Events\n\n### Virtual\n\n* 2024-11-21 | Virtual | [Meetup](https://m.example/1)\n    \
        * [**Talk**](https://m.example/t)\n\n### Europe\n\n* 2024-11-22 | Berlin, DE | [Rust Berlin](https://m.example/2)\n\n\
        ## Jobs\n\nPlease see the latest [Who's Hiring thread](https://j.example/).\n";

    #[test]
    fn the_pieces_start_at_top_level_headings() {
        let (_, pieces) = parse_pieces(DOC);
        let starts: Vec<&str> = pieces
            .pieces
            .iter()
            .map(|p| DOC[p.start..].lines().next().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "Title: This Week in Rust 1",
                "## Updates from Rust Community",
                "## Crate of the Week",
                "## Upcoming Events",
                "### Virtual",
                "### Europe",
                "## Jobs"
            ]
        );
        assert_eq!(pieces.reparsed_bytes(), DOC.len());
    }

    #[test]
    fn typing_in_a_section_reparses_that_section_alone() {
        let (_, kept) = parse_pieces(DOC);
        let at = DOC.find("Berlin, DE").unwrap();
        let (new, pieces) = step(DOC, &kept, at, 0, "x");
        let europe = &new[new.find("### Europe").unwrap()..new.find("## Jobs").unwrap()];
        assert_eq!(pieces.reparsed_bytes(), europe.len());
        // A new heading typed into a piece makes a piece of its own.
        let at = new.find("## Jobs").unwrap();
        let (_, pieces) = step(&new, &pieces, at, 0, "### Asia\n\nSoon.\n\n");
        assert_eq!(pieces.pieces.len(), kept.pieces.len() + 1);
        assert!(pieces.reparsed_bytes() < new.len() / 4);
    }

    #[test]
    fn what_may_reach_other_pieces_parses_the_whole_text() {
        let (_, kept) = parse_pieces(DOC);
        let europe = DOC.find("* 2024-11-22").unwrap();
        let jobs = DOC.find("## Jobs").unwrap();
        for (at, del, ins, why) in [
            (
                europe,
                0,
                "```\n",
                "an open fence runs on into the next piece",
            ),
            (
                europe,
                0,
                "<!--\n",
                "an open comment runs on into the next piece",
            ),
            (
                jobs - 2,
                0,
                "\n  ```",
                "an open fence in a list item takes in the blank line",
            ),
            (
                jobs - 2,
                0,
                "\n> <!--",
                "an open comment in a block quote takes in the blank line",
            ),
            (
                europe,
                0,
                "[submit]\n\n",
                "a reference to another piece's definition",
            ),
            (
                europe,
                0,
                "[foo]: /x\n\n",
                "a definition another piece may use",
            ),
            (
                jobs - 1,
                1,
                "",
                "the blank line before the next heading goes",
            ),
            (jobs, 3, "", "the piece's heading is no longer one"),
            (jobs - 10, 12, "", "the edit reaches past its piece"),
        ] {
            let (new, pieces) = step(DOC, &kept, at, del, ins);
            assert_eq!(pieces.reparsed_bytes(), new.len(), "{why}");
        }
    }

    #[test]
    fn a_piece_whose_definitions_another_uses_reparses_alone_while_they_hold() {
        let doc = "## Upcoming Events\n\nSee the [calendar][cal].\n\n### Europe\n\n\
            * 2024-11-22 | Berlin, DE | [Rust Berlin](https://m.example/2)\n\n\
            [cal]: https://cal.example/\n\n## Jobs\n\nNone.\n";
        let (_, kept) = parse_pieces(doc);
        let at = doc.find("Berlin, DE").unwrap();
        let (new, pieces) = step(doc, &kept, at, 0, "x");
        let europe = new.find("### Europe").unwrap()..new.find("## Jobs").unwrap();
        assert_eq!(pieces.reparsed_bytes(), europe.len());
        // Without its blank line the definition is a lazy continuation of
        // the list item's paragraph, and the reference above is text.
        let at = new.find("[cal]:").unwrap() - 1;
        let (new, pieces) = step(&new, &pieces, at, 1, "");
        assert_eq!(pieces.reparsed_bytes(), new.len());
    }

    /// Lines that make or break the boundaries between pieces.
    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "",
            "",
            "",
            "# Title",
            "## Section",
            "### Sub",
            " ## Indented",
            "Setext\n---",
            "text with [a link](https://x.example/) and `code`",
            "* item",
            "- [ref]",
            "    indented code",
            "```",
            "```rust",
            "~~~",
            "<!-- comment",
            "-->",
            "<!-- whole -->",
            "<pre>",
            "</pre>",
            "<div>",
            "> quote",
            "| a | b |\n|---|---|",
            "[ref]: https://r.example/",
            "[Ref]",
            "[other][ref]",
            "## [ref]",
            "\\[ref]",
            "1. first",
            "  * nested",
            "\t# tab",
            "  ```",
            "> ```",
            "  <!-- open",
            "> * quoted item",
            "      code in an item",
        ])
    }

    fn snippet() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "",
            "x",
            " ",
            "\n",
            "\n\n",
            "#",
            "## ",
            "`",
            "```\n",
            "<!--",
            "-->",
            "<pre>\n",
            "[ref]",
            "[ref]: /u\n",
            "]",
            "[",
            "* ",
            "\n\n## H\n\n",
            "\r\n",
            "é",
            "\\",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        /// However a text is edited, re-parsing it from the last pieces
        /// gives the model a full parse gives.
        #[test]
        fn reparsing_agrees_with_a_full_parse(
            lines in prop::collection::vec(line(), 0..40),
            edits in prop::collection::vec((0.0..1.0f64, 0usize..12, snippet()), 1..6),
        ) {
            let mut text = lines.join("\n");
            let (_, mut kept) = parse_pieces(&text);
            for (at, del, ins) in edits {
                let at = (at * text.len() as f64) as usize;
                let (new, pieces) = step(&text, &kept, at, del, ins);
                text = new;
                kept = pieces;
            }
        }
    }
}
