"""The site's renderer, for twirl's render oracle (tests/oracle/mod.rs).

Renders Markdown as this-week-in-rust.org does (Python-Markdown 3.7 with
the extensions and settings of the site's pelicanconf.py) and reduces HTML
to what readers see, so that two renderings can be compared as strings.

Protocol: first prints {"markdown": VERSION}. Then, for each request line
(a JSON array of [markdown, commonmark_html] pairs), prints one line: a
JSON array of [site, commonmark] pairs, both reduced.

codehilite runs without Pygments: Pygments only changes the markup of a
code block (its wrapper and token spans), which the reduction drops.
"""

import html
import json
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown

SITE = markdown.Markdown(
    extensions=["extra", "meta", "toc", "codehilite"],
    extension_configs={
        "codehilite": {"css_class": "highlight", "use_pygments": False},
        "toc": {"anchorlink": True},
    },
    output_format="html5",
)


def site_html(text):
    SITE.reset()
    # A leading blank line: `meta` would read a first `Key: value` line as
    # the document's metadata.
    return SITE.convert("\n" + text)


# Tags that start a line of their own: whitespace next to them never shows.
BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div",
    "dl", "dt", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"}
# The attributes readers notice: where a link goes, what an image is, the
# number a list starts at.
KEEP = {"a": ("href",), "img": ("src", "alt"), "ol": ("start",)}
SPACE = re.compile(r"\s+")


class Reduce(HTMLParser):
    """HTML to what shows: tags without ids, classes or styles (a link's
    address percent-decoded); comments,
    codehilite's wrappers (`div`, `span`) and toc's heading anchors dropped;
    `<p>` directly in `<li>` dropped (a loose item reads like a tight one);
    `<code>` in `<pre>` dropped; whitespace collapsed, and none next to a
    block tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []  # ("tag", str, is_block) or ("text", str, False)
        self.stack = []  # (tag, kept)

    def parent(self):
        for tag, kept in reversed(self.stack):
            if kept:
                return tag
        return None

    def kept(self, tag, attrs):
        if tag in ("div", "span"):
            return False
        if tag == "a" and "toclink" in (dict(attrs).get("class") or ""):
            return False
        if tag == "p" and self.parent() == "li":
            return False
        if tag == "code" and self.parent() == "pre":
            return False
        return True

    def handle_starttag(self, tag, attrs):
        kept = self.kept(tag, attrs)
        if kept:
            a = dict(attrs)
            if "href" in a:
                # `%C2%A7` and `§`, `%5B` and `[`: the same address.
                a["href"] = unquote(a["href"] or "")
            shown = "".join(
                f' {k}="{html.escape(a[k] or "")}"'
                for k in KEEP.get(tag, ())
                if k in a and not (tag == "ol" and k == "start" and a[k] == "1")
            )
            self.out.append(("tag", f"<{tag}{shown}>", tag in BLOCK))
        if tag not in VOID:
            self.stack.append((tag, kept))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                kept = self.stack[i][1]
                del self.stack[i:]
                if kept:
                    self.out.append(("tag", f"</{tag}>", tag in BLOCK))
                return
        # A close tag with no open one shows nothing in a browser either.

    def handle_data(self, data):
        self.out.append(("text", data, False))

    def result(self):
        self.close()
        runs = []  # adjacent text merged
        for item in self.out:
            if item[0] == "text" and runs and runs[-1][0] == "text":
                runs[-1] = ("text", runs[-1][1] + item[1], False)
            else:
                runs.append(item)
        parts = []
        for i, item in enumerate(runs):
            if item[0] == "tag":
                parts.append(item[1])
                continue
            text = SPACE.sub(" ", item[1])
            if i == 0 or runs[i - 1][2]:
                text = text.lstrip()
            if i + 1 == len(runs) or runs[i + 1][2]:
                text = text.rstrip()
            if text:
                parts.append(html.escape(text, quote=False))
        return "".join(parts)


def reduce(html_text):
    r = Reduce()
    r.feed(html_text)
    return r.result()


def main():
    out = sys.stdout
    out.write(json.dumps({"markdown": markdown.__version__}) + "\n")
    out.flush()
    for line in sys.stdin.buffer:  # UTF-8 whatever the locale
        pairs = json.loads(line)
        res = [[reduce(site_html(md)), reduce(cm)] for md, cm in pairs]
        out.write(json.dumps(res) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
