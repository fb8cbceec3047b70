//! Reading the new event entries of `twirl events merge` (the CLI's and
//! the language server's): the Meetup collector's JSON, parsed here so the
//! core keeps no JSON types, or Markdown; and an issue's events written in
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
        let regions: BTreeMap<String, Vec<JsonEvent>> =
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
                let ev = CollectorEvent::from(ev);
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
            let events: Vec<JsonEvent> = events.into_iter().map(JsonEvent::from).collect();
            format!(
                "{}:{}",
                serde_json::to_string(&region).expect("a string"),
                serde_json::to_string(&events).expect("plain data")
            )
        })
        .collect();
    format!("{{{}}}", regions.join(","))
}

/// One event of the collector's JSON.
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEvent {
    name: String,
    location: String,
    date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    url: String,
    #[serde(rename = "virtual", default)]
    is_virtual: bool,
    organizer_name: String,
    organizer_url: String,
    #[serde(default)]
    duplicate: bool,
}

impl From<JsonEvent> for CollectorEvent {
    fn from(e: JsonEvent) -> Self {
        CollectorEvent {
            name: e.name,
            location: e.location,
            date: e.date,
            end_date: e.end_date,
            url: e.url,
            is_virtual: e.is_virtual,
            organizer_name: e.organizer_name,
            organizer_url: e.organizer_url,
            duplicate: e.duplicate,
        }
    }
}

impl From<CollectorEvent> for JsonEvent {
    fn from(e: CollectorEvent) -> Self {
        JsonEvent {
            name: e.name,
            location: e.location,
            date: e.date,
            end_date: e.end_date,
            url: e.url,
            is_virtual: e.is_virtual,
            organizer_name: e.organizer_name,
            organizer_url: e.organizer_url,
            duplicate: e.duplicate,
        }
    }
}
