//! Reading the new event entries of `twirl events merge` (the CLI's and
//! the language server's): the Meetup collector's JSON, parsed here into
//! the core's `CollectorEvent`, or Markdown; and an issue's events written in
//! the collector's shape.

use std::collections::BTreeMap;

use twirl_core::Issue;
use twirl_core::events_merge::{CollectorEvent, Named, NewEntry, list, read_markdown};

/// What NEW files hold.
#[derive(Clone, Debug, Default)]
pub struct NewEvents {
    pub entries: Vec<NewEntry>,
    /// Collector events that cannot be written in the issue's format, and
    /// why: the merge's summary names them.
    pub refused: Vec<(Named, Vec<String>)>,
}

impl NewEvents {
    /// Adds the entries of the NEW file `file` whose text is `text`: the
    /// collector's JSON when it starts with `{`, else Markdown. An error
    /// names the file and the line.
    pub fn read(&mut self, file: &str, text: &str) -> Result<(), String> {
        if !text.trim_start().starts_with('{') {
            let entries = read_markdown(file, text).map_err(|e| e.to_string())?;
            self.entries.extend(entries);
            return Ok(());
        }
        let regions: BTreeMap<String, Vec<CollectorEvent>> =
            serde_json::from_str(text).map_err(|e| {
                format!(
                    "{file}:{}:{}: neither event entries in Markdown nor the collector's JSON: {e}",
                    e.line(),
                    e.column()
                )
            })?;
        for (region, events) in regions {
            for (i, ev) in events.into_iter().enumerate() {
                let origin = format!("{file}: {region} #{}", i + 1);
                match ev.to_entry(origin.clone(), &region) {
                    Ok(entry) => self.entries.push(entry),
                    Err(why) => self.refused.push((
                        Named {
                            date: ev.date.clone(),
                            organizer: ev.organizer_name.clone(),
                            region: region.clone(),
                            origin,
                        },
                        vec![why],
                    )),
                }
            }
        }
        Ok(())
    }
}

/// The events of an issue as the collector's JSON, regions in the issue's
/// order (a JSON map would sort them).
pub fn collector_json(text: &str, issue: &Issue) -> String {
    let regions: Vec<String> = list(text, issue)
        .into_iter()
        .map(|(region, events)| {
            format!(
                "{}:{}",
                serde_json::to_string(&region).expect("a string"),
                serde_json::to_string(&events).expect("plain data")
            )
        })
        .collect();
    format!("{{{}}}", regions.join(","))
}
