//! `twirl.mergeEvents [uri, file...]`: `twirl events merge` on a draft open
//! in the editor, from its text there. The merge goes back as an edit of
//! the buffer (`workspace/applyEdit`: one change the user can undo), and
//! the command answers with the merge's summary for the editor to show.

use super::*;

pub const MERGE_EVENTS_COMMAND: &str = "twirl.mergeEvents";

impl Backend {
    pub(super) async fn merge_events(&self, args: &[Value]) -> Result<Option<Value>> {
        let usage = || Error::invalid_params("twirl.mergeEvents takes [uri, file...]");
        let uri = args.first().and_then(uri_arg).ok_or_else(usage)?;
        let files: Vec<PathBuf> = args[1..]
            .iter()
            .map(|a| {
                let s = a.as_str()?;
                match s.strip_prefix("file:") {
                    Some(_) => Url::parse(s).ok()?.to_file_path().ok(),
                    None => Some(PathBuf::from(s)),
                }
            })
            .collect::<Option<_>>()
            .filter(|f: &Vec<PathBuf>| !f.is_empty())
            .ok_or_else(usage)?;
        let p = self.prepared(&uri).await?;
        let enc = self.enc();
        let name = uri.to_string();
        let (version, edits, summary) = blocking("merge events", move || {
            let mut new = twirl_workspace::NewEvents::default();
            for f in &files {
                let source = twirl_workspace::read_issue(f).map_err(failed)?;
                new.read(&f.display().to_string(), &source.text)
                    .map_err(failed)?;
            }
            let path = p.path.as_deref();
            let merged =
                twirl_core::events_merge::merge(&p.doc.text, &p.settings, path, &new.entries)
                    .map_err(failed)?;
            let mut summary = merged.summary;
            summary.refused.splice(0..0, new.refused);
            let edits = edits_to(&p.doc, &merged.text, enc);
            let verb = if edits.is_empty() {
                "unchanged"
            } else {
                "merged"
            };
            let report = summary.report(path.unwrap_or(&name), verb);
            Ok((p.doc.version, edits, report))
        })
        .await?;
        if !edits.is_empty() {
            let edit = self.workspace_edit(&uri, version, edits);
            match self.client.apply_edit(edit).await {
                Ok(r) if r.applied => {}
                Ok(r) => {
                    let why = r.failure_reason.unwrap_or_default();
                    return Err(failed(format!("the merge was not applied {why}")));
                }
                Err(e) => return Err(failed(format!("applying the merge failed: {}", e.message))),
            }
        }
        Ok(Some(Value::String(summary)))
    }
}
