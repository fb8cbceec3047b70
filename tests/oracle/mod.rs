//! The render oracle: what readers see against what the author saw.
//!
//! The site renders an issue with Python-Markdown 3.7; authors preview it
//! as CommonMark, which is how twirl parses it (comrak). The oracle cuts a
//! text into blocks (see [`blocks`]), renders each alone with both, reduces
//! both HTMLs to what readers notice (`render.py` says what it drops) and
//! reports the blocks whose reductions differ.
//!
//! Python runs here only, as a test tool: one `render.py` process serves a
//! whole run. It is `$TWIRL_MARKDOWN_PYTHON`, else the venv `setup.sh`
//! makes (`.ci/run` runs it). Outside CI a missing Python-Markdown 3.7
//! skips the test with a note; with `CI` set it fails.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::ops::Range;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use comrak::Options;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/oracle/render.py");
const MARKDOWN_VERSION: &str = "3.7";
/// Where `setup.sh` makes its venv by default.
const DEFAULT_VENV: &str = "/opt/twirl-md";

/// A run of non-blank lines. Blank lines inside fenced code (at any
/// indentation, so also in a list item) or inside an HTML comment do not
/// end a block, nor do blank lines before an indented line (a list item's
/// later paragraph, nested list or code): each renderer reads those with
/// what comes before them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Bytes of the block's lines, the last line's terminator excluded.
    pub range: Range<usize>,
    /// First and last line, 1-based.
    pub lines: (usize, usize),
}

/// The blocks of `text`, after its metadata header (the leading
/// `Key: value` lines, which the site reads as metadata and never shows).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let mut header = true;
    let mut gap = false;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let end = start + line.len();
        let blank = line.trim().is_empty();
        if header {
            header = i == 0 && is_meta(line) || i > 0 && (is_meta(line) || is_meta_more(line));
            if header {
                continue;
            }
            if blank && i > 0 {
                continue;
            }
        }
        if blank && fence.is_none() && !in_comment {
            gap = true;
            continue;
        }
        if gap && !line.starts_with([' ', '\t']) {
            out.extend(current.take());
        }
        gap = false;
        let block = current.get_or_insert(Block {
            range: start..end,
            lines: (i + 1, i + 1),
        });
        block.range.end = end;
        block.lines.1 = i + 1;
        match fence {
            Some(f) if closes_fence(line, f) => fence = None,
            Some(_) => {}
            None if !in_comment => fence = opens_fence(line),
            None => {}
        }
        if fence.is_none() {
            in_comment = comment_open_after(line, in_comment);
        }
    }
    out.extend(current);
    out
}

/// Python-Markdown's `meta`: `Key: value`, up to three spaces before.
fn is_meta(line: &str) -> bool {
    let l = line.trim_start_matches(' ');
    line.len() - l.len() <= 3
        && l.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// A `meta` value continued on a line indented four spaces.
fn is_meta_more(line: &str) -> bool {
    line.starts_with("    ") && !line.trim().is_empty()
}

fn opens_fence(line: &str) -> Option<(u8, usize)> {
    let l = line.trim_start();
    let c = *l.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = l.bytes().take_while(|&b| b == c).count();
    (n >= 3 && !(c == b'`' && l[n..].contains('`'))).then_some((c, n))
}

fn closes_fence(line: &str, (c, n): (u8, usize)) -> bool {
    let l = line.trim();
    l.len() >= n && l.bytes().all(|b| b == c)
}

/// Whether an HTML comment is open at the end of `line`.
fn comment_open_after(line: &str, mut open: bool) -> bool {
    let mut rest = line;
    loop {
        let (token, next) = if open { ("-->", false) } else { ("<!--", true) };
        match rest.find(token) {
            Some(at) => {
                rest = &rest[at + token.len()..];
                open = next;
            }
            None => return open,
        }
    }
}

/// A link reference definition: its lowercased `[label]`, where its line
/// starts, the line.
type Definition<'a> = (String, usize, &'a str);

/// The link reference definitions of `text` (lines `[label]: url`): a
/// block is rendered with those it uses, so that its reference links
/// render as in the whole issue.
fn definitions(text: &str) -> Vec<Definition<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let l = line.trim_start_matches(' ');
        if line.len() - l.len() <= 3 && l.starts_with('[') {
            if let Some(end) = l
                .find("]:")
                .filter(|&e| e > 1 && !l[1..e].contains(['[', ']']))
            {
                out.push((l[..=end].to_lowercase(), at, line));
            }
        }
        at += raw.len();
    }
    out
}

/// The text to render for `span`: its lines, then the definitions from
/// elsewhere in `text` that it uses.
fn with_definitions(text: &str, span: Range<usize>, defs: &[Definition<'_>]) -> String {
    let block = &text[span.clone()];
    let mut out = block.replace("\r\n", "\n");
    let lower = block.to_lowercase();
    let mut first = true;
    for (label, at, line) in defs {
        if !span.contains(at) && lower.contains(label.as_str()) {
            out.push_str(if first { "\n\n" } else { "\n" });
            out.push_str(line);
            first = false;
        }
    }
    out
}

/// twirl's comrak options, rendering raw HTML as the site and GitHub's
/// preview do (comrak's default leaves it out; parsing is the same).
fn commonmark_options() -> Options<'static> {
    let mut o = twirl_core::issue::comrak_options();
    o.render.r#unsafe = true;
    o
}

/// One block rendered both ways, reduced to what readers notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendering {
    pub site: String,
    pub commonmark: String,
}

/// A block that readers see differently from the author.
#[derive(Clone, Debug)]
pub struct Divergence {
    pub block: Block,
    pub text: String,
    pub site: String,
    pub commonmark: String,
    /// The lines where it starts: the fewest lines that diverge alone,
    /// ending at the first line where the block begins to diverge.
    pub cause: Cause,
}

/// Lines of a block that diverge alone, and their renderings.
#[derive(Clone, Debug)]
pub struct Cause {
    /// First and last line, 1-based.
    pub lines: (usize, usize),
    pub text: String,
    pub site: String,
    pub commonmark: String,
}

impl Divergence {
    /// What differs where the block starts to diverge, in a line.
    pub fn description(&self) -> String {
        describe(&self.cause.site, &self.cause.commonmark)
    }
}

/// What differs between two reduced renderings, in a line: the elements
/// each side has more of, the markup characters one side's text shows and
/// the other's not, else the first place they differ.
pub fn describe(site: &str, commonmark: &str) -> String {
    let (s, c) = (census(site), census(commonmark));
    let mut parts = Vec::new();
    let keys: std::collections::BTreeSet<&String> = s.0.keys().chain(c.0.keys()).collect();
    for k in keys {
        let (a, b) = (s.0.get(k).unwrap_or(&0), c.0.get(k).unwrap_or(&0));
        if a != b {
            parts.push(format!("<{k}> {a} vs {b}"));
        }
    }
    for ch in MARKUP.chars() {
        let (a, b) = (count(&s.1, ch), count(&c.1, ch));
        if a > b {
            parts.push(format!("site shows `{ch}` x{}", a - b));
        } else if b > a {
            parts.push(format!("CommonMark shows `{ch}` x{}", b - a));
        }
    }
    if parts.is_empty() {
        let at = site
            .bytes()
            .zip(commonmark.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        parts.push(format!(
            "after `{}`: site `{}` vs CommonMark `{}`",
            excerpt(site, at.saturating_sub(20), at),
            excerpt(site, at, at + 40),
            excerpt(commonmark, at, at + 40)
        ));
    }
    format!("site vs CommonMark: {}", parts.join(", "))
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.cause;
        let (a, b) = self.block.lines;
        writeln!(
            f,
            "lines {}-{} (block {a}-{b}): {}",
            c.lines.0,
            c.lines.1,
            self.description()
        )?;
        for line in c.text.lines() {
            writeln!(f, "    | {line}")?;
        }
        writeln!(f, "    site:       {}", c.site)?;
        write!(f, "    CommonMark: {}", c.commonmark)
    }
}

/// Markup characters that readers should not see in text.
const MARKUP: &str = "*_[]#`<>~\\";

fn count(s: &str, c: char) -> usize {
    s.matches(c).count()
}

/// Elements by tag name, and the text (entities undone), of a reduced
/// rendering.
fn census(reduced: &str) -> (BTreeMap<String, usize>, String) {
    let mut tags = BTreeMap::new();
    let mut text = String::new();
    let mut rest = reduced;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at + 1..end.saturating_sub(1)];
        if !tag.starts_with('/') {
            let name = tag.split(' ').next().unwrap_or("");
            *tags.entry(name.to_string()).or_insert(0) += 1;
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    (tags, text)
}

fn excerpt(s: &str, from: usize, to: usize) -> &str {
    let mut from = from.min(s.len());
    let mut to = to.min(s.len());
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    while !s.is_char_boundary(to) {
        to += 1;
    }
    &s[from..to]
}

/// A running `render.py`.
pub struct Oracle {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// Renderings by text. The corpus repeats many blocks (events carried
    /// over, footers, snapshots of one issue): the cache cuts the CPU time
    /// of a run over the whole corpus from 46 s to 25 s (user+sys, debug
    /// build, findings included).
    cache: HashMap<String, Rendering>,
}

impl Oracle {
    /// Starts `render.py`; `None` (with a note) outside CI when the Python
    /// it needs is missing, a panic in CI.
    pub fn start() -> Option<Oracle> {
        let python = std::env::var("TWIRL_MARKDOWN_PYTHON")
            .unwrap_or_else(|_| format!("{DEFAULT_VENV}/bin/python"));
        let probe = Command::new(&python)
            .args(["-c", "import markdown; print(markdown.__version__)"])
            .output();
        let problem = match &probe {
            Err(e) => format!("{python} does not run ({e})"),
            Ok(o) if !o.status.success() => format!(
                "{python} has no Python-Markdown ({})",
                String::from_utf8_lossy(&o.stderr)
                    .trim()
                    .lines()
                    .last()
                    .unwrap_or("")
            ),
            Ok(o) if String::from_utf8_lossy(&o.stdout).trim() != MARKDOWN_VERSION => format!(
                "{python} has Python-Markdown {}, not {MARKDOWN_VERSION}",
                String::from_utf8_lossy(&o.stdout).trim()
            ),
            Ok(_) => String::new(),
        };
        if !problem.is_empty() {
            let msg = format!(
                "{problem}: the render oracle needs Python-Markdown {MARKDOWN_VERSION}; \
                 `tests/oracle/setup.sh` makes a venv with it in {DEFAULT_VENV} (or \
                 $TWIRL_MARKDOWN_VENV), or set TWIRL_MARKDOWN_PYTHON to a Python that has it"
            );
            if std::env::var_os("CI").is_some() {
                panic!("{msg}");
            }
            eprintln!("skipped: {msg}");
            return None;
        }
        let mut child = Command::new(&python)
            .arg(SCRIPT)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{python} {SCRIPT}: {e}"));
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut hello = String::new();
        stdout.read_line(&mut hello).unwrap();
        let hello: serde_json::Value = serde_json::from_str(&hello)
            .unwrap_or_else(|e| panic!("{SCRIPT} did not start ({e}): {hello:?}"));
        assert_eq!(hello["markdown"], MARKDOWN_VERSION, "{SCRIPT}");
        Some(Oracle {
            child,
            stdin,
            stdout,
            cache: HashMap::new(),
        })
    }

    /// Renders Markdown texts, each alone, both ways.
    pub fn render(&mut self, texts: &[String]) -> Vec<Rendering> {
        let mut todo: Vec<&String> = texts
            .iter()
            .filter(|t| !self.cache.contains_key(*t))
            .collect();
        todo.sort();
        todo.dedup();
        if !todo.is_empty() {
            let options = commonmark_options();
            let pairs: Vec<(&str, String)> = todo
                .iter()
                .map(|t| (t.as_str(), comrak::markdown_to_html(t, &options)))
                .collect();
            let mut line = serde_json::to_string(&pairs).unwrap();
            line.push('\n');
            // One request line, read whole before the reply is written: no
            // pipe can fill while the other side waits.
            let stdin = self.stdin.as_mut().unwrap();
            stdin.write_all(line.as_bytes()).unwrap();
            stdin.flush().unwrap();
            let mut reply = String::new();
            self.stdout.read_line(&mut reply).unwrap();
            let out: Vec<[String; 2]> = serde_json::from_str(&reply)
                .unwrap_or_else(|e| panic!("{SCRIPT} replied with no JSON ({e}): {reply:?}"));
            assert_eq!(out.len(), todo.len(), "{SCRIPT} lost blocks");
            for (t, [site, commonmark]) in todo.into_iter().zip(out) {
                self.cache.insert(t.clone(), Rendering { site, commonmark });
            }
        }
        texts.iter().map(|t| self.cache[t].clone()).collect()
    }

    /// The blocks of `text` that the site renders differently from
    /// CommonMark.
    pub fn divergences(&mut self, text: &str) -> Vec<Divergence> {
        let defs = definitions(text);
        let blocks = blocks(text);
        let inputs: Vec<String> = blocks
            .iter()
            .map(|b| with_definitions(text, b.range.clone(), &defs))
            .collect();
        let renderings = self.render(&inputs);
        blocks
            .into_iter()
            .zip(renderings)
            .filter(|(_, r)| r.site != r.commonmark)
            .map(|(block, r)| Divergence {
                text: text[block.range.clone()].to_string(),
                cause: self.cause(text, &defs, &block),
                block,
                site: r.site,
                commonmark: r.commonmark,
            })
            .collect()
    }

    /// Where a divergent block starts to diverge: a line `k` whose prefix
    /// diverges and the one before not (by bisection), then the last line
    /// `j` such that lines `j..=k` alone diverge as that prefix does (the
    /// same [`describe`]: a shorter piece can diverge for another reason,
    /// as a table's rows without the paragraph line above them).
    fn cause(&mut self, text: &str, defs: &[Definition<'_>], block: &Block) -> Cause {
        let mut lines = Vec::new();
        let mut at = block.range.start;
        for line in text[block.range.clone()].split_inclusive('\n') {
            lines.push(at..at + line.trim_end_matches(['\n', '\r']).len());
            at += line.len();
        }
        let mut render = |span: Range<usize>| {
            let r = self.render(&[with_definitions(text, span, defs)]).remove(0);
            (r.site != r.commonmark).then(|| (describe(&r.site, &r.commonmark), r))
        };
        // The whole block (prefix `hi`) diverges; find the first prefix that does.
        let (mut lo, mut hi) = (0, lines.len() - 1);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if render(block.range.start..lines[mid].end).is_some() {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let k = hi;
        let (how, prefix) = render(block.range.start..lines[k].end).expect("the block diverges");
        let (j, Rendering { site, commonmark }) = (1..=k)
            .rev()
            .find_map(|j| match render(lines[j].start..lines[k].end) {
                Some((h, r)) if h == how => Some((j, r)),
                _ => None,
            })
            .unwrap_or((0, prefix));
        Cause {
            lines: (block.lines.0 + j, block.lines.0 + k),
            text: text[lines[j].start..lines[k].end].to_string(),
            site,
            commonmark,
        }
    }

    /// Panics, listing them, if any block of `text` renders differently on
    /// the site: for a fixture after `twirl fmt`, say.
    pub fn assert_site_matches_commonmark(&mut self, text: &str, what: &str) {
        let d = self.divergences(text);
        if !d.is_empty() {
            let list: Vec<String> = d.iter().map(|d| d.to_string()).collect();
            panic!(
                "{what}: {} block(s) render differently on the site:\n{}",
                d.len(),
                list.join("\n")
            );
        }
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        // Closing stdin ends render.py's loop.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The kinds of divergence, by construct: a name and what happens.
pub const CONSTRUCTS: &[(&str, &str)] = &[
    (
        "fenced-code-in-container",
        "fenced code inside a block quote or list item: the site shows the fences as text and \
         the code as a paragraph, `<T>` in it as an HTML tag",
    ),
    (
        "open-html-comment",
        "an HTML comment left open: the renderers hide different amounts of text",
    ),
    (
        "heading-without-space",
        "a line starting `#word` (`#122010, ...`): the site makes it a heading",
    ),
    (
        "heading-indented",
        "a heading whose `#` is not in column one: the site shows it as text",
    ),
    (
        "empty-list-item",
        "an empty list item: the site puts the next line in it",
    ),
    (
        "list-after-paragraph",
        "a list right after a paragraph line (no blank line): the site shows the items as text \
         run into the paragraph",
    ),
    (
        "list-indent",
        "a nested list or an item's paragraph indented by other than four spaces: the site \
         makes it a sibling (2-3 spaces) or nests it (6 spaces), unlike CommonMark",
    ),
    (
        "mixed-bullets",
        "`*`, `-` and `+` bullets mixed in one list: CommonMark starts a new list at each \
         change, the site keeps one",
    ),
    (
        "backslash-escape",
        "a backslash before a character the site does not escape (`\\<`): readers see the \
         backslash",
    ),
    (
        "attr-list",
        "`{...}` right after inline code: the site reads it as an attribute list and drops it",
    ),
    (
        "code-span-space",
        "a space at the edge of inline code: the site drops it (`a: `b -> `a:`b)",
    ),
    (
        "angle-brackets-as-html",
        "`<Word ...>` in text: the site passes it as an HTML tag, and readers do not see it",
    ),
    (
        "emphasis",
        "`*` or `_` read as emphasis by one renderer and shown by the other (`*const T`, \
         `***a**`)",
    ),
    (
        "link-syntax",
        "a link one renderer sees and the other shows as text (a control character or a \
         line break in its URL)",
    ),
    (
        "reference-definition",
        "a reference definition read differently: a label defined twice (the site links to \
         the last definition, CommonMark to the first), or one without a URL",
    ),
    (
        "raw-html-paragraph",
        "a line of raw HTML (`<img>`): the site wraps it in a paragraph",
    ),
    (
        "table",
        "a table right after a paragraph line: the site shows its rows as text",
    ),
    (
        "autolink-text",
        "an autolink `<mailto:...>`: the site shows the address without `mailto:`",
    ),
    ("other", "not classified"),
];

fn regex(re: &str) -> regex::Regex {
    regex::Regex::new(re).unwrap()
}

/// A list item line: (block quote prefix, indentation, marker).
fn list_item(line: &str) -> Option<(String, usize, String)> {
    static ITEM: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex(r"^((?:\s*>)*)( *)([*+-]|\d+[.)])(?:\s|$)"));
    let c = ITEM.captures(line)?;
    Some((c[1].trim().to_string(), c[2].len(), c[3].to_string()))
}

/// Which of [`CONSTRUCTS`] a divergence is, read off its cause.
pub fn construct(d: &Divergence) -> &'static str {
    let c = &d.cause;
    let lines: Vec<&str> = c.text.lines().collect();
    let any = |re: &str| {
        let re = regex(re);
        lines.iter().any(|l| re.is_match(l))
    };
    let (site, cm) = (census(&c.site), census(&c.commonmark));
    let tags = |side: &(BTreeMap<String, usize>, String), t: &str| *side.0.get(t).unwrap_or(&0);
    let shown = |side: &(BTreeMap<String, usize>, String), ch: char| count(&side.1, ch);
    if any(r"^(\s*>)+\s*(```|~~~)") || any(r"^ +(```|~~~)") {
        return "fenced-code-in-container";
    }
    if c.text.matches("<!--").count() > c.text.matches("-->").count() {
        return "open-html-comment";
    }
    if any(r"^#{1,6}[^#\s]") {
        return "heading-without-space";
    }
    if any(r"^ {1,3}#{1,6}(\s|$)") {
        return "heading-indented";
    }
    if any(r"^\s*([*+-]|\d+[.)])\s*$") {
        return "empty-list-item";
    }
    if let [.., prev, last] = lines[..] {
        if let Some((q, indent, marker)) = list_item(last) {
            match list_item(prev) {
                Some((pq, pindent, pmarker)) if pq == q => {
                    if indent == pindent && marker != pmarker {
                        return "mixed-bullets";
                    }
                    if indent % 4 != 0 {
                        return "list-indent";
                    }
                }
                None if !prev.trim().is_empty() => return "list-after-paragraph",
                _ => {}
            }
        }
    }
    if regex(r"\n[ \t]*\n {1,3}\S").is_match(&c.text) {
        return "list-indent";
    }
    if shown(&site, '\\') > shown(&cm, '\\') {
        return "backslash-escape";
    }
    if c.text.contains("`{") && shown(&cm, '{') > shown(&site, '{') {
        return "attr-list";
    }
    let edge = |s: &str| s.matches("<code> ").count() + s.matches(" </code>").count();
    if edge(&c.commonmark) > edge(&c.site) {
        return "code-span-space";
    }
    if shown(&cm, '<') > shown(&site, '<') {
        return "angle-brackets-as-html";
    }
    if ["em", "strong"]
        .iter()
        .any(|t| tags(&site, t) != tags(&cm, t))
        || ['*', '_']
            .iter()
            .any(|&ch| shown(&site, ch) != shown(&cm, ch))
    {
        return "emphasis";
    }
    if tags(&site, "a") != tags(&cm, "a") {
        return "link-syntax";
    }
    if any(r"^ {0,3}\[[^\]]+\]:") || hrefs(&c.site) != hrefs(&c.commonmark) {
        return "reference-definition";
    }
    if any(r"\*\*\*|___") {
        return "emphasis";
    }
    if any(r"^<[a-zA-Z]") && tags(&site, "p") != tags(&cm, "p") {
        return "raw-html-paragraph";
    }
    if tags(&site, "table") + tags(&cm, "table") > 0 {
        return "table";
    }
    if cm.1.matches("mailto:").count() > site.1.matches("mailto:").count() {
        return "autolink-text";
    }
    "other"
}

/// The link targets of a reduced rendering, in order.
fn hrefs(reduced: &str) -> Vec<&str> {
    reduced
        .split("<a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or(""))
        .collect()
}
