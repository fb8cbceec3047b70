//! Prints the parsed model of an issue: `cargo run -p twirl-core --example dump -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let src = twirl_core::decode(&bytes).expect("UTF-8 issue");
    let issue = twirl_core::parse(&src.text);
    let t = &src.text;
    let line = |o: usize| issue.line_index.line_of(o) + 1;
    for f in &issue.metadata.fields {
        println!("meta {} = {:?}", f.key, f.value);
    }
    for s in &issue.sections {
        println!(
            "section L{} h{} {:?} {:?} parent={:?}",
            line(s.heading.start),
            s.level,
            s.kind,
            s.title,
            s.parent
        );
    }
    if let Some(ev) = &issue.events {
        println!(
            "window {:?}",
            ev.window.as_ref().map(|w| &t[w.range.as_range()])
        );
        for r in &ev.regions {
            println!("region {:?} ({} events)", r.name, r.events.len());
            for e in &r.events {
                println!(
                    "  L{} {:?} loc={:?} orgs={} garbage={:?} nested={}",
                    line(e.line.start),
                    e.dates
                        .iter()
                        .map(|d| d.date.map(|d| d.to_string()))
                        .collect::<Vec<_>>(),
                    e.location.as_ref().map(|l| (
                        l.attendance,
                        l.places
                            .iter()
                            .map(|p| p.parts.iter().map(|r| &t[r.as_range()]).collect::<Vec<_>>())
                            .collect::<Vec<_>>()
                    )),
                    e.organizers.len(),
                    e.organizer_garbage
                        .iter()
                        .map(|r| &t[r.as_range()])
                        .collect::<Vec<_>>(),
                    e.nested.len()
                );
            }
        }
        println!("stray events: {}", ev.stray.len());
    }
    println!(
        "links {} community items {} cfp {} merged {:?}",
        issue.links.len(),
        issue.community.len(),
        issue.cfp_events.len(),
        issue.merged.as_ref().map(|m| &t[m.range.as_range()])
    );
    println!(
        "comments {} code {} tags {:?}",
        issue.comments.len(),
        issue.code.len(),
        issue.html_tags.iter().map(|h| &h.name).collect::<Vec<_>>()
    );
    println!(
        "list items {} suppressions {}",
        issue.list_items.len(),
        issue.suppressions.len()
    );
}
