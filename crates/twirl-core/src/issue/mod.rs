//! The typed model of one TWiR issue.
//!
//! Plain owned data with public fields: the comrak arena is gone by the time
//! anyone sees an [`Issue`], so the model is `Send + Sync` and can live in a
//! language server across `.await`s. Every element keeps its byte span in
//! the source; an element that did not parse cleanly is still here, with
//! what parsed and the span of the rest, so rules can say exactly what is
//! wrong.

mod dates;
mod events;
mod links;
mod parse;

pub use dates::{
    Date, ISSUE_424_DATE, add_days, date_prefix, days_between, find_dates, issue_number,
    parse_date, weekday_name, with_window_year,
};
pub(crate) use events::is_virtual;
pub(crate) use parse::bracketed_word;
pub use parse::{comrak_options, parse};

use crate::text::{LineIndex, TextRange};

/// A link's comparison key, filled on first use.
type LinkKey = std::sync::OnceLock<Option<Box<str>>>;

/// One issue document.
#[derive(Clone, Debug, Default)]
pub struct Issue {
    /// The `Key: value` header.
    pub metadata: Metadata,
    /// Every heading's section, in document order. Parents come before
    /// their children.
    pub sections: Vec<Section>,
    /// Every link, image and reference definition outside code and
    /// comments, in document order.
    pub links: Vec<Link>,
    /// Every list item comrak found, in document order.
    pub list_items: Vec<ListItem>,
    /// Every block as comrak reads it, parents before their children.
    pub blocks: Vec<Block>,
    /// The link items of the community section.
    pub community: Vec<CommunityItem>,
    /// The Upcoming Events section, if the issue has one.
    pub events: Option<EventsSection>,
    /// Event lines of the CFP - Events section.
    pub cfp_events: Vec<CfpEvent>,
    /// The `[merged]: ...merged:START..END` reference.
    pub merged: Option<MergedRange>,
    /// HTML comments (block and inline).
    pub comments: Vec<TextRange>,
    /// Code blocks and code spans.
    pub code: Vec<TextRange>,
    /// Raw HTML tags outside code and comments.
    pub html_tags: Vec<HtmlTag>,
    /// `<!-- twirl-disable ... -->` comments and what they cover.
    pub suppressions: Vec<Suppression>,
    /// Line starts of the text, for line and column conversions.
    pub line_index: LineIndex,
    /// Each link's comparison key ([`crate::normalize::normalize_url`]),
    /// computed on first use: three consumers (`duplicate-link`,
    /// `repeated-link`, the LinkIndex) ask for the same links.
    link_keys: std::sync::OnceLock<Box<[LinkKey]>>,
}

impl Issue {
    /// The comparison key of link `i` (`None` when it is no absolute http(s)
    /// URL), computed once per issue from its source `text`. Keys are for
    /// the links as they were at the first call; a link index past them
    /// has none.
    pub fn link_key(&self, text: &str, i: usize) -> Option<&str> {
        let keys = self
            .link_keys
            .get_or_init(|| (0..self.links.len()).map(|_| LinkKey::new()).collect());
        keys.get(i)?
            .get_or_init(|| {
                crate::normalize::normalize_url(self.links[i].url(text)).map(Into::into)
            })
            .as_deref()
    }

    /// The innermost section containing `offset`.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        // Sections are in document order and nest; the innermost one holding
        // the offset is the last one starting at or before it that contains it.
        let upto = self.sections.partition_point(|s| s.range.start <= offset);
        (0..upto)
            .rev()
            .find(|&i| self.sections[i].range.contains(offset))
    }

    /// The top-level (outermost) section of `section`.
    pub fn top_section(&self, mut section: usize) -> usize {
        while let Some(p) = self.sections[section].parent {
            section = p;
        }
        section
    }

    /// Whether `range` lies in code or a comment.
    pub fn in_code_or_comment(&self, range: TextRange) -> bool {
        covered_by(&self.code, range) || covered_by(&self.comments, range)
    }

    /// The sections of a kind.
    pub fn sections_of(&self, kind: SectionKind) -> impl Iterator<Item = (usize, &Section)> {
        self.sections
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.kind == kind)
    }

    /// Every event of every region, in document order.
    pub fn all_events(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().flat_map(|e| {
            e.stray
                .iter()
                .chain(e.regions.iter().flat_map(|r| &r.events))
        })
    }
}

fn covered_by(sorted: &[TextRange], range: TextRange) -> bool {
    let i = sorted.partition_point(|r| r.end <= range.start);
    sorted
        .get(i)
        .is_some_and(|r| r.start <= range.start && range.end <= r.end)
}

/// The `Key: value` header of an issue.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// The header's fields, in order.
    pub fields: Vec<MetaField>,
    /// The header's lines; empty when the issue has no header.
    pub range: TextRange,
}

impl Metadata {
    /// The field named `key` (any case).
    pub fn get(&self, key: &str) -> Option<&MetaField> {
        self.fields.iter().find(|f| f.key.eq_ignore_ascii_case(key))
    }
}

/// One `Key: value` line of the header.
#[derive(Clone, Debug)]
pub struct MetaField {
    /// The key as written.
    pub key: String,
    /// The value, blanks around it dropped.
    pub value: String,
    /// The whole line.
    pub range: TextRange,
    /// The value's bytes.
    pub value_range: TextRange,
}

/// What a section is, recognised from its title and place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// Updates from Rust Community.
    Community,
    /// A `###` sub-category of the community section.
    CommunityCategory,
    /// The editor-only Project/Tooling Updates sub-category.
    ProjectToolingUpdates,
    /// Crate of the Week.
    CrateOfTheWeek,
    /// Calls for Testing.
    CallsForTesting,
    /// Call for Participation.
    CallForParticipation,
    /// CFP - Projects.
    CfpProjects,
    /// CFP - Events.
    CfpEvents,
    /// Updates from the Rust Project.
    RustProject,
    /// Rust Compiler Performance Triage.
    PerfTriage,
    /// Upcoming Events.
    Events,
    /// A region of the events section (`### Europe`).
    Region,
    /// Jobs.
    Jobs,
    /// Quote of the Week.
    QuoteOfTheWeek,
    /// Any other section.
    Other,
}

/// A heading and what follows it up to the next heading of its level.
#[derive(Clone, Debug)]
pub struct Section {
    /// 1 to 6.
    pub level: u8,
    /// The heading's plain text (links unwrapped).
    pub title: String,
    /// What the section is.
    pub kind: SectionKind,
    /// The heading line(s).
    pub heading: TextRange,
    /// From the heading to the next heading of the same or a higher level.
    pub range: TextRange,
    /// Index in [`Issue::sections`] of the enclosing section.
    pub parent: Option<usize>,
    /// Indexes in [`Issue::sections`] of the sections directly under it.
    pub children: Vec<usize>,
}

impl Section {
    /// The range after the heading.
    pub fn body(&self) -> TextRange {
        TextRange::new(self.heading.end.min(self.range.end), self.range.end)
    }
}

/// How a link is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](url)`
    Inline,
    /// `![alt](url)`
    Image,
    /// `[label]: url`
    Definition,
    /// `<https://...>`
    Autolink,
}

/// What a link is for, which decides whether repeating it is a mistake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRole {
    /// The link of a community item.
    Community,
    /// An organiser link of an event line.
    EventOrganizer,
    /// A title link of an event's nested line.
    EventTitle,
    /// Any other link.
    Other,
}

/// A link, image or reference definition, with its spans.
#[derive(Clone, Debug)]
pub struct Link {
    /// How it is written.
    pub kind: LinkKind,
    /// What it is for.
    pub role: LinkRole,
    /// The text between the brackets (the label of a definition): see
    /// [`Link::text`].
    pub text_range: TextRange,
    /// The destination as written: see [`Link::url`].
    pub url_range: TextRange,
    /// The whole link.
    pub range: TextRange,
    /// The innermost section holding the link.
    pub section: Option<usize>,
}

impl Link {
    /// The text between the brackets (the label of a definition), read from
    /// the issue's source `text`.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.text_range.as_range()]
    }

    /// The destination as written, read from the issue's source `text`.
    pub fn url<'t>(&self, text: &'t str) -> &'t str {
        &text[self.url_range.as_range()]
    }
}

/// A list item as comrak reads it.
#[derive(Clone, Debug)]
pub struct ListItem {
    /// The item's first line, from its indentation on.
    pub range: TextRange,
    /// `*`, `-`, `+`, or `.`/`)` for an ordered list.
    pub marker: char,
    /// The marker's bytes.
    pub marker_range: TextRange,
    /// Whether the item has no content at all (a bare `*`).
    pub empty: bool,
}

/// A block as comrak reads it: what the CommonMark preview shows, which
/// the rendering rules hold against how the site (Python-Markdown) reads
/// the same lines.
#[derive(Clone, Debug)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// From the block's first character (an item's marker, a quote's `>`)
    /// to the end of its last line, terminator excluded.
    pub range: TextRange,
    /// Index in [`Issue::blocks`] of the quote, list or item holding it;
    /// `None` at the top level.
    pub parent: Option<usize>,
    /// Index in [`Issue::blocks`] of the block right before it in the same
    /// parent: what a list or table follows.
    pub previous: Option<usize>,
    /// How many block quotes hold the block.
    pub quotes: usize,
    /// How many list items hold the block inside its innermost quote.
    pub items: usize,
    /// Whether a quote around the block lies in a list item: the site
    /// reads such lines item first, so their columns are not comparable.
    pub quote_in_item: bool,
}

/// What a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A heading.
    Heading {
        /// Underlined (`===`, `---`) rather than `#`.
        setext: bool,
    },
    /// `bullet` is `*`, `-` or `+`, `None` for an ordered list.
    List {
        /// The bullet.
        bullet: Option<char>,
    },
    /// `padding`: the columns from the marker to the item's text.
    Item {
        /// The padding.
        padding: usize,
    },
    /// A block quote.
    BlockQuote,
    /// A code block.
    CodeBlock {
        /// Fenced rather than indented.
        fenced: bool,
    },
    /// An HTML block.
    HtmlBlock,
    /// A table.
    Table,
    /// A thematic break.
    ThematicBreak,
    /// Any other block.
    Other,
}

/// A `* [video] [Title](url)` item of the community section.
#[derive(Clone, Debug)]
pub struct CommunityItem {
    /// The item's line.
    pub range: TextRange,
    /// `[video]`, `[ZH]`, ... with their ranges, brackets included.
    pub prefixes: Vec<(String, TextRange)>,
    /// The index in [`Issue::links`] of the item's main link.
    pub link: Option<usize>,
    /// The section (sub-category) holding the item.
    pub section: usize,
}

/// The Upcoming Events section.
#[derive(Clone, Debug)]
pub struct EventsSection {
    /// Index in [`Issue::sections`].
    pub section: usize,
    /// The window line, if there is one.
    pub window: Option<EventWindow>,
    /// The region sub-sections, in order.
    pub regions: Vec<Region>,
    /// Event lines before the first region heading.
    pub stray: Vec<Event>,
}

/// `Rusty Events between START - END 🦀`
#[derive(Clone, Debug)]
pub struct EventWindow {
    /// The whole line.
    pub range: TextRange,
    /// The first date.
    pub start: Option<DateField>,
    /// The second date.
    pub end: Option<DateField>,
    /// The line was made a heading by mistake.
    pub is_heading: bool,
}

/// A date as written, and its value when it parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateField {
    /// The date, when it is one.
    pub date: Option<Date>,
    /// The date as written.
    pub range: TextRange,
}

/// A region of the events section (`### Europe`) and its events.
#[derive(Clone, Debug)]
pub struct Region {
    /// The heading's text.
    pub name: String,
    /// The heading line.
    pub heading: TextRange,
    /// The heading and its events.
    pub range: TextRange,
    /// The region's events, in order.
    pub events: Vec<Event>,
    /// Index in [`Issue::sections`].
    pub section: usize,
}

/// One event: its line and its nested title lines.
#[derive(Clone, Debug)]
pub struct Event {
    /// The event line and its nested lines, terminators included: what to
    /// move or delete as a block.
    pub range: TextRange,
    /// The event line, terminator excluded.
    pub line: TextRange,
    /// The event line's bullet, when it has one.
    pub bullet: Option<Bullet>,
    /// The first date field (`2024-11-09 - 2024-11-11`).
    pub date_field: TextRange,
    /// Every date written in the date field.
    pub dates: Vec<DateField>,
    /// The location field, when there is one.
    pub location: Option<Location>,
    /// The `|` separators between fields, with their surrounding spaces.
    pub separators: Vec<TextRange>,
    /// The organiser field (everything after the location).
    pub organizer_field: Option<TextRange>,
    /// Indexes in [`Issue::links`].
    pub organizers: Vec<usize>,
    /// Text of the organiser field that is neither a link nor a joiner.
    pub organizer_garbage: Vec<TextRange>,
    /// The nested title lines under the event line.
    pub nested: Vec<NestedLine>,
}

impl Event {
    /// The first date.
    pub fn start(&self) -> Option<Date> {
        self.dates.first().and_then(|d| d.date)
    }

    /// The last date (the start for a one-day event).
    pub fn end(&self) -> Option<Date> {
        self.dates.last().and_then(|d| d.date)
    }
}

/// A list bullet and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bullet {
    /// `*`, `-` or `+`.
    pub marker: char,
    /// The marker's bytes.
    pub range: TextRange,
    /// Columns of indentation before the marker.
    pub indent: usize,
}

/// How an event is attended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attendance {
    /// In one place.
    InPerson,
    /// Online.
    Virtual,
    /// In one place and online.
    Hybrid,
}

/// An event's location field.
#[derive(Clone, Debug)]
pub struct Location {
    /// The whole field.
    pub range: TextRange,
    /// How the event is attended.
    pub attendance: Attendance,
    /// `Virtual (`, `Virtual and In-Person (`, ...: the part before the places.
    pub prefix: Option<TextRange>,
    /// The places named, `;`-separated.
    pub places: Vec<Place>,
}

/// `City, ST, CC`: its comma-separated parts.
#[derive(Clone, Debug)]
pub struct Place {
    /// The place as written.
    pub range: TextRange,
    /// Its comma-separated parts, trimmed.
    pub parts: Vec<TextRange>,
}

/// A title line nested under an event line.
#[derive(Clone, Debug)]
pub struct NestedLine {
    /// The line, terminator excluded.
    pub range: TextRange,
    /// Its bullet, when it has one.
    pub bullet: Option<Bullet>,
    /// Columns of indentation before the bullet (or the text).
    pub indent: usize,
    /// Indexes in [`Issue::links`] of the title links.
    pub titles: Vec<usize>,
}

/// A line of the CFP - Events section.
#[derive(Clone, Debug)]
pub struct CfpEvent {
    /// The line.
    pub range: TextRange,
    /// The date the call closes, when the line names it.
    pub closes: Option<DateField>,
    /// The line's other dates.
    pub event_dates: Vec<DateField>,
}

/// The merged-PR search range.
#[derive(Clone, Debug)]
pub struct MergedRange {
    /// The definition's URL.
    pub range: TextRange,
    /// The first date.
    pub start: Option<DateField>,
    /// The second date.
    pub end: Option<DateField>,
}

/// A raw HTML tag.
#[derive(Clone, Debug)]
pub struct HtmlTag {
    /// Lower-case tag name without `<`, `/` and attributes.
    pub name: String,
    /// The tag, `<` to `>`.
    pub range: TextRange,
    /// Whether it is a closing tag (`</...>`).
    pub closing: bool,
}

/// A `twirl-disable` comment and what it turns off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment.
    pub range: TextRange,
    /// Rule names or codes; empty means every rule.
    pub rules: Vec<String>,
    /// What it silences.
    pub covers: TextRange,
}
