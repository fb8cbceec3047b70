//! The outline of an issue: its header, its section tree, the regions of
//! the events section and each event (date and location, with the
//! organiser as detail).

use tower_lsp::lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind, Url};
use twirl_core::issue::{Event, Issue, SectionKind};
use twirl_core::{Encoding, TextRange};

use crate::convert::Lines;

struct Ctx<'a> {
    lines: Lines<'a>,
    issue: &'a Issue,
}

impl Ctx<'_> {
    fn symbol(
        &self,
        name: String,
        detail: Option<String>,
        kind: SymbolKind,
        range: TextRange,
        selection: TextRange,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        // LSP requires a non-empty name and a selection inside the range.
        let name = if name.trim().is_empty() {
            "(untitled)".to_string()
        } else {
            name
        };
        let range = range.cover(selection);
        #[allow(deprecated)]
        DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: self.lines.range(range),
            selection_range: self.lines.range(selection),
            children: (!children.is_empty()).then_some(children),
        }
    }

    fn slice(&self, r: TextRange) -> &str {
        self.lines.text.get(r.as_range()).unwrap_or("").trim()
    }

    fn event(&self, e: &Event) -> DocumentSymbol {
        let date = self.slice(e.date_field);
        let location = e.location.as_ref().map(|l| self.slice(l.range));
        let name = match (date.is_empty(), location) {
            (false, Some(l)) if !l.is_empty() => format!("{date} · {l}"),
            (false, _) => date.to_string(),
            (true, _) => self.slice(e.line).to_string(),
        };
        let organizers: Vec<&str> = e
            .organizers
            .iter()
            .filter_map(|&i| self.issue.links.get(i))
            .map(|l| l.text(self.lines.text))
            .collect();
        let detail = if !organizers.is_empty() {
            Some(organizers.join(" + "))
        } else {
            e.organizer_field.map(|r| self.slice(r).to_string())
        };
        self.symbol(name, detail, SymbolKind::EVENT, e.range, e.line, Vec::new())
    }

    fn section(&self, i: usize) -> DocumentSymbol {
        let s = &self.issue.sections[i];
        let mut children: Vec<DocumentSymbol> = Vec::new();
        let mut detail = None;
        if let Some(ev) = &self.issue.events {
            if ev.section == i {
                if let Some(w) = &ev.window {
                    detail = Some(self.slice(w.range).to_string());
                }
                children.extend(ev.stray.iter().map(|e| self.event(e)));
            }
            if let Some(region) = ev.regions.iter().find(|r| r.section == i) {
                let n = region.events.len();
                detail = Some(format!("{n} event{}", if n == 1 { "" } else { "s" }));
                children.extend(region.events.iter().map(|e| self.event(e)));
            }
        }
        children.extend(s.children.iter().map(|&c| self.section(c)));
        children.sort_by_key(|c| (c.range.start.line, c.range.start.character));
        let kind = match s.kind {
            SectionKind::Region => SymbolKind::NAMESPACE,
            SectionKind::Events => SymbolKind::MODULE,
            _ if s.level <= 2 => SymbolKind::MODULE,
            _ => SymbolKind::STRING,
        };
        self.symbol(s.title.clone(), detail, kind, s.range, s.heading, children)
    }
}

/// The nested outline.
pub fn document_symbols(text: &str, issue: &Issue, enc: Encoding) -> Vec<DocumentSymbol> {
    let index = &issue.line_index;
    let lines = Lines { text, index, enc };
    let cx = Ctx { lines, issue };
    let mut out = Vec::new();
    let meta = &issue.metadata;
    if !meta.fields.is_empty() {
        let title = meta
            .get("Title")
            .map(|f| f.value.trim().to_string())
            .unwrap_or_else(|| "Metadata".to_string());
        let detail = meta.get("Date").map(|f| f.value.trim().to_string());
        let fields = meta
            .fields
            .iter()
            .map(|f| {
                cx.symbol(
                    f.key.clone(),
                    Some(f.value.trim().to_string()),
                    SymbolKind::PROPERTY,
                    f.range,
                    f.range,
                    Vec::new(),
                )
            })
            .collect();
        let first = meta.fields[0].range;
        out.push(cx.symbol(
            title,
            detail,
            SymbolKind::FILE,
            meta.range.cover(first),
            first,
            fields,
        ));
    }
    for (i, s) in issue.sections.iter().enumerate() {
        if s.parent.is_none() {
            out.push(cx.section(i));
        }
    }
    out
}

/// The outline, flattened for clients without hierarchical symbols.
pub fn flat_symbols(symbols: Vec<DocumentSymbol>, uri: &Url) -> Vec<SymbolInformation> {
    fn walk(
        s: DocumentSymbol,
        container: Option<&str>,
        uri: &Url,
        out: &mut Vec<SymbolInformation>,
    ) {
        #[allow(deprecated)]
        out.push(SymbolInformation {
            name: s.name.clone(),
            kind: s.kind,
            tags: None,
            deprecated: None,
            location: Location::new(uri.clone(), s.range),
            container_name: container.map(str::to_string),
        });
        for c in s.children.unwrap_or_default() {
            walk(c, Some(&s.name), uri, out);
        }
    }
    let mut out = Vec::new();
    for s in symbols {
        walk(s, None, uri, &mut out);
    }
    out
}
