//! From text to [`Issue`]: comrak finds the blocks and the section tree,
//! then each block's own source slice is scanned for exact spans.

use comrak::arena_tree::NodeEdge;
use comrak::nodes::{ListType, NodeValue, Sourcepos};
use comrak::{Arena, Options, parse_document};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

use super::links::scan_links;
use super::*;
use crate::text::{LineIndex, TextRange};

/// Parses an issue. Never fails: whatever does not parse is kept as raw
/// spans for the rules to report.
pub fn parse(text: &str) -> Issue {
    let line_index = LineIndex::new(text);
    let metadata = parse_metadata(text, &line_index);
    let mut blocks = collect_blocks(text, &line_index);

    let events = events_headings(text, &mut blocks.headings);
    let sections = build_sections(text, &blocks.headings);
    if let Some(events) = events {
        // Read line by line there: a nested title line under an event line
        // that became a heading is indented code to comrak, not to twirl.
        let in_events = |r: &TextRange| events.contains_range(*r);
        let indented: Vec<TextRange> = blocks.indented_code.drain(..).filter(in_events).collect();
        blocks.code.retain(|r| !indented.contains(r));
    }
    let skip = merge_ranges([&blocks.skip[..], &blocks.code[..]].concat());
    let mut links: Vec<Link> = scan_links(text, &skip, &blocks.code)
        .into_iter()
        .map(|raw| Link {
            kind: raw.kind,
            role: LinkRole::Other,
            text_range: raw.text_range,
            url_range: raw.url_range,
            range: raw.range,
            section: None,
        })
        .collect();

    let mut issue = Issue {
        metadata,
        sections,
        list_items: blocks.list_items,
        blocks: blocks.blocks,
        comments: merge_ranges(blocks.comments),
        code: merge_ranges(blocks.code),
        html_tags: blocks.html_tags,
        line_index,
        ..Issue::default()
    };
    debug_assert!(
        links.windows(2).all(|w| w[0].range.end <= w[1].range.start),
        "links are in document order and disjoint"
    );
    for link in &mut links {
        link.section = issue.section_at(link.range.start);
    }
    issue.links = links;
    issue.community = parse_community(text, &mut issue);
    issue.events = super::events::parse_events(text, &mut issue, &skip);
    issue.cfp_events = parse_cfp_events(text, &issue);
    issue.merged = parse_merged(text, &issue);
    issue.suppressions = parse_suppressions(text, &issue);
    issue
}

fn parse_metadata(text: &str, idx: &LineIndex) -> Metadata {
    let mut meta = Metadata::default();
    for line in 0..idx.line_count() {
        let Some(r) = idx.line_range(text, line) else {
            break;
        };
        let s = &text[r.as_range()];
        let Some((key, value)) = meta_field(s) else {
            break;
        };
        meta.fields.push(MetaField {
            key: s[key].to_string(),
            value: s[value.clone()].to_string(),
            range: r,
            value_range: TextRange::new(r.start + value.start, r.start + value.end),
        });
        meta.range = TextRange::new(0, r.end);
    }
    meta
}

/// `Key: value` (the key a letter, then letters, `_` and `-`; the value
/// without the blanks around it): the ranges of key and value in `line`.
fn meta_field(line: &str) -> Option<(Range<usize>, Range<usize>)> {
    static FIELD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([A-Za-z][A-Za-z_-]*):[ \t]*(.*?)[ \t]*$").unwrap());
    let c = FIELD.captures(line)?;
    Some((c.get(1)?.range(), c.get(2)?.range()))
}

/// `<!-- twirl-KIND ARGS -->`, the whole of a comment: KIND
/// (`disable-next-line`, `disable` or `enable`, ending at a word boundary)
/// and ARGS (no `>`, blanks around it dropped).
fn directive(comment: &str) -> Option<(&'static str, &str)> {
    static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^<!--\s*twirl-(disable-next-line|disable|enable)\b([^>]*?)\s*-->$").unwrap()
    });
    let c = DIRECTIVE.captures(comment)?;
    let kind = ["disable-next-line", "disable", "enable"]
        .into_iter()
        .find(|k| *k == &c[1])?;
    Some((kind, c.get(2)?.as_str()))
}

struct Heading {
    level: u8,
    title: String,
    range: TextRange,
}

/// What the lowering needs from comrak, as byte ranges of the text.
#[derive(Default)]
struct Blocks {
    headings: Vec<Heading>,
    /// Code blocks and code spans.
    code: Vec<TextRange>,
    /// The indented code blocks among `code`.
    indented_code: Vec<TextRange>,
    /// HTML blocks and inline comments: never scanned for links.
    skip: Vec<TextRange>,
    comments: Vec<TextRange>,
    list_items: Vec<ListItem>,
    html_tags: Vec<HtmlTag>,
    blocks: Vec<Block>,
}

/// comrak's options for reading an issue: what Pelican's Markdown renders.
pub fn comrak_options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o
}

/// Whole lines `first..=last` (1-based) as a byte range, terminator of the
/// last line excluded.
fn lines_range(text: &str, idx: &LineIndex, first: usize, last: usize) -> TextRange {
    let start = idx
        .line_start(first.saturating_sub(1))
        .unwrap_or(text.len());
    let end = idx
        .line_range(text, last.saturating_sub(1))
        .map_or(text.len(), |r| r.end);
    TextRange::new(start, end.max(start))
}

/// A comrak position (1-based line and byte column, end inclusive) as a
/// byte range, if it lies on char boundaries within the text.
fn inline_range(text: &str, idx: &LineIndex, sp: Sourcepos) -> Option<TextRange> {
    let start = idx.line_start(sp.start.line.checked_sub(1)?)? + sp.start.column.checked_sub(1)?;
    let end = idx.line_start(sp.end.line.checked_sub(1)?)? + sp.end.column;
    (start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end))
        .then(|| TextRange::new(start, end))
}

/// comrak's parse of `text`, reduced to [`Blocks`].
fn collect_blocks(text: &str, idx: &LineIndex) -> Blocks {
    let arena = Arena::new();
    let root = parse_document(&arena, text, &comrak_options());
    let mut out = Blocks::default();
    // For each node open in the walk: where it went in `out.blocks` (if it
    // is a block), and where its last child so far went.
    let mut open: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    for edge in root.traverse() {
        let node = match edge {
            NodeEdge::Start(node) => node,
            NodeEdge::End(_) => {
                let (closed, _) = open.pop().unwrap_or_default();
                if let Some(parent) = open.last_mut() {
                    parent.1 = closed;
                }
                continue;
            }
        };
        let data = node.data();
        let sp = data.sourcepos;
        let (parent, previous) = open.last().copied().unwrap_or_default();
        let at = block_kind(&data.value).map(|kind| {
            let (quotes, items, quote_in_item) = match parent.map(|p| &out.blocks[p]) {
                Some(p) if p.kind == BlockKind::BlockQuote => {
                    (p.quotes + 1, 0, p.quote_in_item || p.items > 0)
                }
                Some(p) if matches!(p.kind, BlockKind::Item { .. }) => {
                    (p.quotes, p.items + 1, p.quote_in_item)
                }
                Some(p) => (p.quotes, p.items, p.quote_in_item),
                None => (0, 0, false),
            };
            out.blocks.push(Block {
                kind,
                range: block_range(text, idx, sp),
                parent,
                previous,
                quotes,
                items,
                quote_in_item,
            });
            out.blocks.len() - 1
        });
        open.push((at, None));
        match &data.value {
            NodeValue::Heading(h) => {
                let mut title = String::new();
                for d in node.descendants().skip(1) {
                    match &d.data().value {
                        NodeValue::Text(t) => title.push_str(t),
                        NodeValue::Code(c) => title.push_str(&c.literal),
                        _ => {}
                    }
                }
                out.headings.push(Heading {
                    level: h.level,
                    title: title.trim().to_string(),
                    range: lines_range(text, idx, sp.start.line, sp.end.line),
                });
            }
            NodeValue::CodeBlock(c) => {
                let r = lines_range(text, idx, sp.start.line, sp.end.line);
                out.code.push(r);
                if !c.fenced {
                    out.indented_code.push(r);
                }
            }
            NodeValue::HtmlBlock(_) => {
                let r = lines_range(text, idx, sp.start.line, sp.end.line);
                out.skip.push(r);
                scan_html(text, r, &mut out);
            }
            NodeValue::HtmlInline(lit) => {
                let r = inline_range(text, idx, sp)
                    .filter(|r| &text[r.as_range()] == lit.as_str())
                    .or_else(|| find_in_block(text, idx, node, lit));
                if let Some(r) = r {
                    if lit.starts_with("<!--") {
                        out.skip.push(r);
                        out.comments.push(r);
                    } else if let Some(tag) = html_tag(lit, r) {
                        out.html_tags.push(tag);
                    }
                }
            }
            NodeValue::Code(_) => {
                if let Some(r) =
                    inline_range(text, idx, sp).filter(|r| text[r.as_range()].starts_with('`'))
                {
                    out.code.push(r);
                }
            }
            NodeValue::Item(list) => {
                if let Some((start, lr)) = block_start(text, idx, sp) {
                    let marker_at = lr.end - text[start..lr.end].trim_start().len();
                    let (marker, mlen) = match list.list_type {
                        ListType::Bullet => (list.bullet_char as char, 1),
                        ListType::Ordered => {
                            let digits = text[marker_at..lr.end]
                                .bytes()
                                .take_while(u8::is_ascii_digit)
                                .count();
                            let d = text
                                .as_bytes()
                                .get(marker_at + digits)
                                .copied()
                                .unwrap_or(b'.');
                            (d as char, digits + 1)
                        }
                    };
                    let marker_end = (marker_at + mlen).min(lr.end);
                    out.list_items.push(ListItem {
                        range: TextRange::new(start, lr.end),
                        marker,
                        marker_range: TextRange::new(marker_at, marker_end),
                        empty: node.first_child().is_none(),
                    });
                }
            }
            _ => {}
        }
    }
    out.headings.sort_by_key(|h| h.range.start);
    out.list_items.sort_by_key(|i| i.range.start);
    out.html_tags.sort_by_key(|t| t.range.start);
    out
}

/// What [`Block`] a comrak node is; `None` for the document, inlines, and
/// table rows and cells (a table is one block).
fn block_kind(value: &NodeValue) -> Option<BlockKind> {
    Some(match value {
        NodeValue::Document | NodeValue::TableRow(_) | NodeValue::TableCell => return None,
        NodeValue::Paragraph => BlockKind::Paragraph,
        NodeValue::Heading(h) => BlockKind::Heading { setext: h.setext },
        NodeValue::List(l) => BlockKind::List {
            bullet: (l.list_type == ListType::Bullet).then_some(l.bullet_char as char),
        },
        NodeValue::Item(l) => BlockKind::Item { padding: l.padding },
        NodeValue::BlockQuote => BlockKind::BlockQuote,
        NodeValue::CodeBlock(c) => BlockKind::CodeBlock { fenced: c.fenced },
        NodeValue::HtmlBlock(_) => BlockKind::HtmlBlock,
        NodeValue::Table(_) => BlockKind::Table,
        NodeValue::ThematicBreak => BlockKind::ThematicBreak,
        v if v.block() => BlockKind::Other,
        _ => return None,
    })
}

/// A block's comrak position as a [`Block::range`]. A block that ends
/// with a blank line (column 0) ends on the line before it.
fn block_range(text: &str, idx: &LineIndex, sp: Sourcepos) -> TextRange {
    let Some((start, _)) = block_start(text, idx, sp) else {
        return TextRange::empty(text.len());
    };
    let last = if sp.end.column == 0 {
        sp.end.line.saturating_sub(1)
    } else {
        sp.end.line
    };
    let end = lines_range(text, idx, last.max(sp.start.line), last.max(sp.start.line)).end;
    TextRange::new(start, end.max(start))
}

/// Where a comrak node starts (its line's start when the column is inside
/// a char), and the range of its first line.
fn block_start(text: &str, idx: &LineIndex, sp: Sourcepos) -> Option<(usize, TextRange)> {
    let lr = idx.line_range(text, sp.start.line.saturating_sub(1))?;
    let start = (lr.start + sp.start.column.saturating_sub(1)).min(lr.end);
    if text.is_char_boundary(start) {
        Some((start, lr))
    } else {
        Some((lr.start, lr))
    }
}

/// Finds `lit` in the lines of the block holding `node`, for inline nodes
/// whose position comrak got wrong.
fn find_in_block<'a>(
    text: &str,
    idx: &LineIndex,
    node: &'a comrak::nodes::AstNode<'a>,
    lit: &str,
) -> Option<TextRange> {
    let block = node.ancestors().find(|a| a.data().value.block())?;
    let sp = block.data().sourcepos;
    let r = lines_range(text, idx, sp.start.line, sp.end.line);
    text[r.as_range()]
        .find(lit)
        .map(|i| TextRange::new(r.start + i, r.start + i + lit.len()))
}

/// Comments and tags inside an HTML block.
fn scan_html(text: &str, block: TextRange, out: &mut Blocks) {
    let s = &text[block.as_range()];
    let (mut gt, mut nl) = (Next::new(b'>'), Next::new(b'\n'));
    let mut i = 0;
    while let Some(lt) = s[i..].find('<') {
        let at = i + lt;
        if s[at..].starts_with("<!--") {
            let end = s[at + 4..].find("-->").map_or(s.len(), |e| at + 4 + e + 3);
            out.comments
                .push(TextRange::new(block.start + at, block.start + end));
            i = end;
            continue;
        }
        let end = gt.find(s, at).map(|e| e + 1);
        match end {
            Some(end) if nl.find(s, at).is_none_or(|n| n >= end) || end - at < 512 => {
                if let Some(tag) = html_tag(
                    &s[at..end],
                    TextRange::new(block.start + at, block.start + end),
                ) {
                    out.html_tags.push(tag);
                }
                i = end;
            }
            _ => i = at + 1,
        }
    }
}

/// The first `byte` at or after an offset, searched for again only once
/// the offset has passed the one found: a run of `<` without a `>` after
/// them is scanned once, not once per `<`.
struct Next {
    byte: u8,
    found: Option<Option<usize>>,
}

impl Next {
    fn new(byte: u8) -> Next {
        Next { byte, found: None }
    }

    fn find(&mut self, s: &str, from: usize) -> Option<usize> {
        match self.found {
            Some(Some(at)) if at >= from => Some(at),
            Some(None) => None,
            _ => {
                let at = memchr::memchr(self.byte, &s.as_bytes()[from..]).map(|p| from + p);
                self.found = Some(at);
                at
            }
        }
    }
}

fn html_tag(lit: &str, range: TextRange) -> Option<HtmlTag> {
    let inner = lit.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(HtmlTag {
        name: name.to_ascii_lowercase(),
        range,
        closing,
    })
}

fn classify(title: &str, level: u8, parent: Option<SectionKind>) -> SectionKind {
    let t = title.trim().to_ascii_lowercase();
    let starts = |ps: &[&str]| ps.iter().any(|p| t.starts_with(p));
    use SectionKind::*;
    match parent {
        Some(Community) if starts(&["project/tooling"]) => ProjectToolingUpdates,
        Some(Community) => CommunityCategory,
        // `CFP - Speakers` was the section's name from late 2023 to mid 2024.
        Some(CallForParticipation)
            if starts(&[
                "cfp - events",
                "cfp-events",
                "cfp - speakers",
                "cfp-speakers",
            ]) =>
        {
            CfpEvents
        }
        Some(CallForParticipation) if starts(&["cfp - projects", "cfp-projects"]) => CfpProjects,
        Some(Events) if level >= 3 && !t.contains("rusty events between") => Region,
        _ if starts(&[
            "updates from rust community",
            "updates from the rust community",
        ]) =>
        {
            Community
        }
        _ if starts(&["crate of the week"]) => CrateOfTheWeek,
        _ if starts(&["call for testing", "calls for testing"]) => CallsForTesting,
        _ if starts(&["call for participation"]) => CallForParticipation,
        _ if starts(&["updates from the rust project", "updates from rust core"]) => RustProject,
        _ if starts(&["rust compiler performance triage"]) => PerfTriage,
        _ if starts(&["upcoming events"]) => Events,
        _ if t == "jobs" || starts(&["rust jobs"]) => Jobs,
        _ if starts(&["quote of the week"]) => QuoteOfTheWeek,
        _ => Other,
    }
}

/// The region names a heading of the events section may carry.
const REGION_NAMES: &[&str] = &[
    "virtual",
    "online",
    "africa",
    "asia",
    "europe",
    "north america",
    "oceania",
    "south america",
];

/// Whether `title` names an events region (`Europe`, `North America:`).
pub(crate) fn is_region_name(title: &str) -> bool {
    let t = title.trim().trim_end_matches(':').trim_end();
    REGION_NAMES.iter().any(|n| n.eq_ignore_ascii_case(t))
}

/// Keeps the Upcoming Events section whole, whatever Markdown made of its
/// lines: in it, a heading with the shape of an event line is an event line
/// typed with `#` (dropped from `headings`, so the events parser reads it
/// as a line), and a region name under the wrong number of `#`s is a region
/// (moved to level 3). Only another heading ends the section, which this
/// returns (from its heading on).
fn events_headings(text: &str, headings: &mut Vec<Heading>) -> Option<TextRange> {
    let at = headings
        .iter()
        .position(|h| h.level <= 2 && classify(&h.title, h.level, None) == SectionKind::Events)?;
    let level = headings[at].level;
    let start = headings[at].range.start;
    let mut end = text.len();
    let mut ended = false;
    let mut i = 0;
    headings.retain_mut(|h| {
        i += 1;
        if i <= at + 1 || ended {
            return true;
        }
        if super::events::has_event_shape(strip_atx(&text[h.range.as_range()])) {
            return false;
        }
        if is_region_name(&h.title) {
            h.level = 3;
        } else if h.level <= level {
            ended = true;
            end = h.range.start;
        }
        true
    });
    Some(TextRange::new(start, end))
}

/// The text of an ATX heading line after its `#`s and spaces.
fn strip_atx(line: &str) -> &str {
    let s = line.trim_start_matches(' ');
    if !s.starts_with('#') {
        return line;
    }
    s.trim_start_matches('#').trim_start_matches([' ', '\t'])
}

fn build_sections(text: &str, headings: &[Heading]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(headings.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let end = headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text.len(), |n| n.range.start);
        while let Some(&top) = stack.last() {
            if sections[top].level < h.level {
                break;
            }
            stack.pop();
        }
        let parent = stack.last().copied();
        let kind = classify(&h.title, h.level, parent.map(|p| sections[p].kind));
        let idx = sections.len();
        if let Some(p) = parent {
            sections[p].children.push(idx);
        }
        sections.push(Section {
            level: h.level,
            title: h.title.clone(),
            kind,
            heading: h.range,
            range: TextRange::new(h.range.start, end.max(h.range.end)),
            parent,
            children: Vec::new(),
        });
        stack.push(idx);
    }
    sections
}

fn merge_ranges(mut v: Vec<TextRange>) -> Vec<TextRange> {
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<TextRange> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The word of a `[Word]` (two to eight ASCII letters) at the start of
/// `s`: the shape of a community link's prefix (`[video]`, `[ZH]`).
pub(crate) fn bracketed_word(s: &str) -> Option<&str> {
    let (word, _) = s.strip_prefix('[')?.split_once(']')?;
    let letters = (2..=8).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphabetic());
    letters.then_some(word)
}

fn parse_community(text: &str, issue: &mut Issue) -> Vec<CommunityItem> {
    for i in 0..issue.links.len() {
        let link = &issue.links[i];
        if link.kind != LinkKind::Definition
            && link.section.is_some_and(|s| {
                issue.sections[issue.top_section(s)].kind == SectionKind::Community
            })
        {
            issue.links[i].role = LinkRole::Community;
        }
    }
    let mut items = Vec::new();
    for item in &issue.list_items {
        let Some(section) = issue.section_at(item.range.start) else {
            continue;
        };
        if issue.sections[issue.top_section(section)].kind != SectionKind::Community
            || issue.in_code_or_comment(item.range)
        {
            continue;
        }
        let line = &text[..item.range.end];
        let after_blanks = |at: usize| line.len() - line[at..].trim_start().len();
        let mut at = after_blanks(item.marker_range.end);
        let mut prefixes = Vec::new();
        // Links are in document order: the first one at or after `at`.
        let first_link = Some(issue.links.partition_point(|l| l.range.start < at)).filter(|&i| {
            issue
                .links
                .get(i)
                .is_some_and(|l| l.range.start < item.range.end)
        });
        while let Some(word) = bracketed_word(&line[at..]) {
            let r = TextRange::new(at, at + word.len() + 2);
            // `[Title](url)` is the link itself, not a prefix.
            if first_link.is_some_and(|l| issue.links[l].range.start == r.start) {
                break;
            }
            prefixes.push((text[r.as_range()].to_string(), r));
            at = after_blanks(r.end);
        }
        items.push(CommunityItem {
            range: item.range,
            prefixes,
            link: first_link,
            section,
        });
    }
    items
}

pub(super) fn date_fields(text: &str, range: TextRange) -> Vec<DateField> {
    let s = &text[range.as_range()];
    find_dates(s)
        .map(|m| DateField {
            date: parse_date(&s[m.clone()]),
            range: TextRange::new(range.start + m.start, range.start + m.end),
        })
        .collect()
}

/// Whether a CFP line's field names the closing date: `closes`, `closing`,
/// `closed` or `clos` ending a word (any case), with no digit or `|` after it.
fn says_closes(field: &str) -> bool {
    static CLOSES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)clos(?:es|ing|ed)?\b[^|0-9]*$").unwrap());
    CLOSES.is_match(field)
}

fn parse_cfp_events(text: &str, issue: &Issue) -> Vec<CfpEvent> {
    let mut out = Vec::new();
    for (_, s) in issue.sections_of(SectionKind::CfpEvents) {
        for item in issue
            .list_items
            .iter()
            .filter(|i| s.range.contains(i.range.start))
        {
            if issue.in_code_or_comment(item.range) {
                continue;
            }
            let dates = date_fields(text, item.range);
            if dates.is_empty() {
                continue;
            }
            let mut closes = None;
            let mut event_dates = Vec::new();
            for d in dates {
                let before = &text[item.range.start..d.range.start];
                let field = before.rsplit('|').next().unwrap_or(before);
                if closes.is_none() && says_closes(field) {
                    closes = Some(d);
                } else {
                    event_dates.push(d);
                }
            }
            out.push(CfpEvent {
                range: item.range,
                closes,
                event_dates,
            });
        }
    }
    out
}

fn parse_merged(text: &str, issue: &Issue) -> Option<MergedRange> {
    let def = issue
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Definition && l.text(text).eq_ignore_ascii_case("merged"))?;
    let url = &text[def.url_range.as_range()];
    let field = |r: std::ops::Range<usize>| DateField {
        date: parse_date(&url[r.clone()]),
        range: TextRange::new(def.url_range.start + r.start, def.url_range.start + r.end),
    };
    let (start, end) = merged_dates(url).map(|(a, b)| (field(a), field(b))).unzip();
    Some(MergedRange {
        range: def.url_range,
        start,
        end,
    })
}

/// The two dates of the first `merged:A..B` (`:` may be `%3A`; any case)
/// in a GitHub search URL.
fn merged_dates(url: &str) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    static MERGED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)merged(?:%3A|:)([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\.\.([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})",
        )
        .unwrap()
    });
    let c = MERGED.captures(url)?;
    Some((c.get(1)?.range(), c.get(2)?.range()))
}

fn parse_suppressions(text: &str, issue: &Issue) -> Vec<Suppression> {
    let mut out: Vec<Suppression> = Vec::new();
    let mut open: Vec<(usize, Vec<String>, TextRange)> = Vec::new();
    for &c in &issue.comments {
        let Some((kind, args)) = directive(&text[c.as_range()]) else {
            continue;
        };
        let rules: Vec<String> = args
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        match kind {
            "disable-next-line" => {
                let line = issue.line_index.line_of(c.end);
                let covers = issue
                    .line_index
                    .line_range(text, line + 1)
                    .unwrap_or(TextRange::empty(text.len()));
                out.push(Suppression {
                    range: c,
                    rules,
                    covers,
                });
            }
            "disable" => open.push((c.end, rules, c)),
            _ => {
                // `twirl-enable X` closes the latest `disable` naming X (or
                // any `disable` when it names nothing).
                let pos = open.iter().rposition(|(_, r, _)| {
                    rules.is_empty() || r == &rules || r.iter().any(|x| rules.contains(x))
                });
                if let Some(p) = pos {
                    let (start, rules, range) = open.remove(p);
                    out.push(Suppression {
                        range,
                        rules,
                        covers: TextRange::new(start, c.start),
                    });
                }
            }
        }
    }
    out.extend(open.into_iter().map(|(start, rules, range)| Suppression {
        range,
        rules,
        covers: TextRange::new(start, text.len()),
    }));
    out.sort_by_key(|s| s.range.start);
    out
}

#[cfg(test)]
mod tests {
    use super::{bracketed_word, directive, merged_dates, meta_field};
    use crate::issue::BlockKind;

    /// Each block's kind, text up to its line's end, parent and previous
    /// sibling, as comrak reads the text.
    #[test]
    fn blocks_are_comraks_tree() {
        let text = "Approved:\n* a\n  * b\n\n>  quoted\n> ```\n> x\n> ```\n\n| t |\n|---|\n";
        let issue = super::parse(text);
        let got: Vec<(BlockKind, &str, Option<usize>, Option<usize>)> = issue
            .blocks
            .iter()
            .map(|b| {
                let s = &text[b.range.as_range()];
                (b.kind, s.lines().next().unwrap(), b.parent, b.previous)
            })
            .collect();
        let item = BlockKind::Item { padding: 2 };
        let list = BlockKind::List { bullet: Some('*') };
        assert_eq!(
            got,
            [
                (BlockKind::Paragraph, "Approved:", None, None),
                (list, "* a", None, Some(0)),
                (item, "* a", Some(1), None),
                (BlockKind::Paragraph, "a", Some(2), None),
                (list, "* b", Some(2), Some(3)),
                (item, "* b", Some(4), None),
                (BlockKind::Paragraph, "b", Some(5), None),
                (BlockKind::BlockQuote, ">  quoted", None, Some(1)),
                (BlockKind::Paragraph, "quoted", Some(7), None),
                (
                    BlockKind::CodeBlock { fenced: true },
                    "```",
                    Some(7),
                    Some(8)
                ),
                (BlockKind::Table, "| t |", None, Some(7)),
            ]
        );
        // An item's range runs to the end of its last line.
        assert_eq!(&text[issue.blocks[2].range.as_range()], "* a\n  * b");
    }

    #[test]
    fn line_readers() {
        assert_eq!(meta_field("Date: 2024-11-06 \t"), Some((0..4, 6..16)));
        assert_eq!(meta_field("1a: b"), None);
        assert_eq!(
            directive("<!-- twirl-disable-next-line placeholder  -->"),
            Some(("disable-next-line", " placeholder"))
        );
        assert_eq!(directive("<!-- twirl-disabled -->"), None);
        assert_eq!(directive("<!-- twirl-disable a > b -->"), None);
        assert_eq!(bracketed_word("[ZH] [x](y)"), Some("ZH"));
        assert_eq!(bracketed_word("[abcdefghi]"), None);
        assert!(super::says_closes("CFP Closes on "));
        assert!(!super::says_closes("closes 2024"));
        assert!(!super::says_closes("Submissions close "));
        assert_eq!(
            merged_dates("q=is%3Amerged+MERGED%3A2024-10-29..2024-11-05"),
            Some((23..33, 35..45))
        );
        assert_eq!(merged_dates("merged:2024-10-29.."), None);
    }

    #[test]
    fn blocks_count_the_quotes_and_items_around_them() {
        let issue = crate::issue::parse("> * a\n>     * b\n\n* c\n\n    > * d\n");
        let items: Vec<_> = issue
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Item { padding: 2 })
            .map(|b| (b.quotes, b.items, b.quote_in_item))
            .collect();
        assert_eq!(
            items,
            [(1, 0, false), (1, 1, false), (0, 0, false), (1, 0, true)]
        );
    }
}
