//! The fix engine: apply fixes as edits on the original text, re-parse and
//! re-check, until nothing changes.
//!
//! `twirl fmt`, `twirl check --fix` and the editor's fix-all all call
//! [`fix_all`]; they differ only in the applicability they accept.

use crate::config::Settings;
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::linkindex::LinkIndex;
use crate::rules::lint;
use crate::source::LineEnding;
use crate::text::TextRange;
use std::collections::BTreeMap;

/// How many rounds of fixing before giving up.
pub const MAX_ROUNDS: usize = 12;

/// Why fixing a text failed.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    /// Fixes kept changing the text; `rules` were still fixing.
    #[error("fixes did not settle after {MAX_ROUNDS} rounds (rules still fixing: {})", rules.join(", "))]
    NoConvergence {
        /// The rules whose fixes still changed the text.
        rules: Vec<&'static str>,
    },
}

/// The text after fixing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixOutcome {
    /// The fixed text.
    pub text: String,
    /// Fixes applied, by rule name, in order.
    pub applied: Vec<&'static str>,
}

/// Applies sorted, non-overlapping edits to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.new_text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Picks the fixes of `diagnostics` at or above `min` whose edits overlap no
/// fix picked before, and returns their edits merged in order.
fn select_fixes(diagnostics: &[Diagnostic], min: Applicability) -> (Vec<Edit>, Vec<&Diagnostic>) {
    let mut chosen: Vec<&Diagnostic> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    let mut with_fix: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability >= min && !f.edits.is_empty())
        })
        .collect();
    with_fix.sort_by_key(|d| {
        let r = d.fix.as_ref().map(|f| f.range()).unwrap_or_default();
        (r.start, r.end)
    });
    // The picked edits' ends by their starts. Picked edits never overlap
    // (an empty edit overlaps one that holds its offset, or one at the
    // same offset), so an edit overlaps one of them only if it overlaps
    // the last to start before it or the first to start at or after it.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let overlaps = |taken: &BTreeMap<usize, usize>, e: TextRange| {
        let before = taken.range(..e.start).next_back();
        let after = taken.range(e.start..).next();
        before.is_some_and(|(_, &end)| end > e.start)
            || after.is_some_and(|(&start, _)| start < e.end || start == e.start)
    };
    for d in with_fix {
        let fix = d.fix.as_ref().expect("filtered on fixes");
        if fix.edits.iter().any(|e| overlaps(&taken, e.range)) {
            continue;
        }
        for e in &fix.edits {
            let end = taken.entry(e.range.start).or_insert(e.range.end);
            *end = (*end).max(e.range.end);
        }
        edits.extend(fix.edits.iter().cloned());
        chosen.push(d);
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    (edits, chosen)
}

/// Writes new line breaks in the text's own style.
fn with_line_ending(edits: &mut [Edit], ending: LineEnding) {
    if ending == LineEnding::Lf {
        return;
    }
    for e in edits {
        if e.new_text.contains('\n') && !e.new_text.contains('\r') {
            e.new_text = e.new_text.replace('\n', ending.as_str());
        }
    }
}

/// `settings` without the rules that never offer a fix: they cannot change
/// what the engine does, so they are not run.
fn fixable(settings: &Settings) -> Settings {
    let mut fixable = settings.clone();
    fixable.disable_unfixable();
    fixable
}

/// One round of fixing: `text` with every fix at or above `min` that
/// `keep` accepts and that does not overlap an earlier one applied, and
/// the rules whose fixes were applied; `None` when no fix changes the
/// text. Inserted line breaks are written as `ending` (the original
/// text's, in every round).
pub(crate) fn fix_round(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    min: Applicability,
    ending: LineEnding,
    keep: impl Fn(&Diagnostic) -> bool,
) -> Option<(String, Vec<&'static str>)> {
    let mut diags = lint(text, &fixable(settings), path, index);
    diags.retain(|d| keep(d));
    let (mut edits, chosen) = select_fixes(&diags, min);
    if edits.is_empty() {
        return None;
    }
    with_line_ending(&mut edits, ending);
    let next = apply_edits(text, &edits);
    (next != text).then(|| (next, chosen.iter().map(|d| d.rule.name).collect()))
}

/// Applies every fix at or above `min` until the text stops changing.
pub fn fix_all(
    text: &str,
    settings: &Settings,
    path: Option<&str>,
    index: Option<&LinkIndex>,
    min: Applicability,
) -> Result<FixOutcome, FixError> {
    let ending = LineEnding::detect(text);
    let mut current = text.to_string();
    let mut applied = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let Some((next, rules)) = fix_round(&current, settings, path, index, min, ending, |_| true)
        else {
            return Ok(FixOutcome {
                text: current,
                applied,
            });
        };
        applied.extend(rules);
        current = next;
    }
    let diags = lint(&current, &fixable(settings), path, index);
    let (_, chosen) = select_fixes(&diags, min);
    let mut rules: Vec<&'static str> = chosen.iter().map(|d| d.rule.name).collect();
    rules.sort_unstable();
    rules.dedup();
    Err(FixError::NoConvergence { rules })
}
