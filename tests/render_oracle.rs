//! The render oracle itself (`tests/oracle`): how it cuts blocks, and that
//! it tells the site's rendering from CommonMark's where they differ for
//! readers, and only there.

use crate::oracle::{self, Block, Oracle, blocks};

fn lines_of(text: &str) -> Vec<(usize, usize)> {
    blocks(text).iter().map(|b| b.lines).collect()
}

#[test]
fn blocks_are_runs_of_non_blank_lines_after_the_header() {
    let text =
        "Title: This Week in Rust 1\nNumber: 1\n\nA paragraph\non two lines.\n\n\n* a\n* b\n";
    assert_eq!(lines_of(text), [(4, 5), (8, 9)]);
    let b: Vec<Block> = blocks(text);
    assert_eq!(&text[b[0].range.clone()], "A paragraph\non two lines.");
    // No header: the first line is content.
    assert_eq!(lines_of("Hello world\n\nNext"), [(1, 1), (3, 3)]);
}

#[test]
fn a_blank_line_in_fenced_code_or_a_comment_does_not_end_a_block() {
    let text = "```\nlet a = 1;\n\nlet b = 2;\n```\n\ntext\n";
    assert_eq!(lines_of(text), [(1, 5), (7, 7)]);
    let text = "<!-- open\n\nstill in it -->\n\nafter <!-- x --> and <!-- y\n\n-->\n\nend";
    assert_eq!(lines_of(text), [(1, 3), (5, 7), (9, 9)]);
    // ``` with more backticks after it is inline code, not a fence.
    assert_eq!(lines_of("```a``` b\n\nc"), [(1, 1), (3, 3)]);
}

#[test]
fn a_blank_line_before_an_indented_line_does_not_end_a_block() {
    let text = "* item\n\n    more of it\n\n  * nested\n\n* next\n";
    assert_eq!(lines_of(text), [(1, 5), (7, 7)]);
}

fn oracle() -> Option<Oracle> {
    Oracle::start()
}

/// (construct, diverges, agrees): a construct of [`oracle::CONSTRUCTS`] as
/// found in the corpus, and the same text as it should be written.
const PAIRS: &[(&str, &str, &str)] = &[
    (
        "list-after-paragraph",
        "Approved this week:\n* [RFC 1](https://example.com/1)\n",
        "Approved this week:\n\n* [RFC 1](https://example.com/1)\n",
    ),
    (
        "list-indent",
        "* 2024-11-12 | Virtual | [Org](https://example.com/o)\n  * [**Talk**](https://example.com/t)\n",
        "* 2024-11-12 | Virtual | [Org](https://example.com/o)\n    * [**Talk**](https://example.com/t)\n",
    ),
    (
        "list-indent",
        "* [Report](https://example.com/r):\n  1 regression.\n\n  A speedup this week.\n",
        "* [Report](https://example.com/r):\n    1 regression.\n\n    A speedup this week.\n",
    ),
    ("heading-indented", " #### Compiler\n", "#### Compiler\n"),
    (
        "heading-without-space",
        "Fixed by PR\n#122010, a host LLVM update.\n",
        "Fixed by PR #122010,\na host LLVM update.\n",
    ),
    (
        "fenced-code-in-container",
        "* A change:\n\n    ```rust\n    fn f<T>() {}\n    ```\n",
        "* A change:\n\n        fn f<T>() {}\n",
    ),
    (
        "fenced-code-in-container",
        "> ```text\n> error[E0308]: mismatched types\n> ```\n",
        ">     error[E0308]: mismatched types\n",
    ),
    (
        "mixed-bullets",
        "* [a](https://example.com/a)\n- [b](https://example.com/b)\n",
        "* [a](https://example.com/a)\n* [b](https://example.com/b)\n",
    ),
    (
        "open-html-comment",
        "<!-- open\n\nmore text\n",
        "<!-- closed -->\n\nmore text\n",
    ),
    (
        "empty-list-item",
        "* \n**Cambrian Works**\n",
        "* **Cambrian Works**\n",
    ),
    (
        "backslash-escape",
        "* [impl Read for VecDeque\\<u8\\>](https://example.com/p)\n",
        "* [impl Read for `VecDeque<u8>`](https://example.com/p)\n",
    ),
    (
        "attr-list",
        "* [`Ipv`{4, 6}`Addr`s are comparable](https://example.com/p)\n",
        "* [`Ipv{4, 6}Addr`s are comparable](https://example.com/p)\n",
    ),
    (
        "code-span-space",
        "* [`rustc_ast_lowering: `stop lowering](https://example.com/p)\n",
        "* [`rustc_ast_lowering`: stop lowering](https://example.com/p)\n",
    ),
    (
        "angle-brackets-as-html",
        "* [Relax bounds on HashMap<K, V, S>](https://example.com/p)\n",
        "* [Relax bounds on `HashMap<K, V, S>`](https://example.com/p)\n",
    ),
    (
        "emphasis",
        "* [make *const (), *mut () okay for FFI](https://example.com/p)\n",
        "* [make `*const ()`, `*mut ()` okay for FFI](https://example.com/p)\n",
    ),
    (
        "table",
        "**Summary**:\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        "**Summary**:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    ),
    (
        "reference-definition",
        "See [the list][x].\n\n[x]: https://example.com/1\n[x]: https://example.com/2\n",
        "See [the list][x].\n\n[x]: https://example.com/1\n",
    ),
];

#[test]
fn each_construct_diverges_and_its_fix_agrees() {
    let Some(mut o) = oracle() else { return };
    for (construct, bad, good) in PAIRS {
        let d = o.divergences(bad);
        assert_eq!(d.len(), 1, "{construct} should diverge once:\n{bad}\n{d:?}");
        assert_eq!(oracle::construct(&d[0]), *construct, "{}", d[0]);
        o.assert_site_matches_commonmark(good, construct);
    }
}

#[test]
fn what_does_not_show_is_not_a_divergence() {
    let Some(mut o) = oracle() else { return };
    // Heading ids and toc anchors, codehilite's markup, loose and tight
    // items, whitespace, reference links defined elsewhere in the text,
    // comments, and a `Key: value` line that is not the header.
    let text = "Title: This Week in Rust 1\n\n\
        ## Updates from *Rust*  Community\n\n\
        ```rust\nfn main() { let v: Vec<u8> = vec![]; }\n```\n\n\
        * one\n\n* two <!-- a note -->\n\n\
        Note: see [the list][merged] and [this][].\n\n\
        [merged]: https://example.com/merged\n\
        [this]: https://example.com/this\n";
    o.assert_site_matches_commonmark(text, "a text without divergence");
}

#[test]
fn a_divergence_names_its_lines_and_what_differs() {
    let Some(mut o) = oracle() else { return };
    let text = "# Head\n\nIntro\n\nFCP this week:\n* [RFC 7](https://example.com/7)\n* [RFC 8](https://example.com/8)\n";
    let d = o.divergences(text);
    assert_eq!(d.len(), 1, "{d:?}");
    let d = &d[0];
    assert_eq!(d.block.lines, (5, 7));
    assert_eq!(d.cause.lines, (5, 6));
    assert_eq!(
        d.cause.text,
        "FCP this week:\n* [RFC 7](https://example.com/7)"
    );
    assert_eq!(&text[d.block.range.clone()], d.text);
    assert_eq!(
        d.site,
        "<p>FCP this week: * <a href=\"https://example.com/7\">RFC 7</a> * \
         <a href=\"https://example.com/8\">RFC 8</a></p>"
    );
    assert!(
        d.commonmark.starts_with("<p>FCP this week:</p><ul><li>"),
        "{}",
        d.commonmark
    );
    assert_eq!(
        d.description(),
        "site vs CommonMark: <li> 0 vs 1, <ul> 0 vs 1, site shows `*` x1"
    );
}
