#!/usr/bin/env python3
"""tests/tools/check-site.py: check a static site made by `pond export` (the demo's, say).

    check-site.py SITE_DIR

Parses every *.html below SITE_DIR (Python's html.parser, nothing else) and checks that

  - each page has <meta name="viewport">, a <title>, no <script> and nothing fetched from the
    network (no http:, https: or // in href or src);
  - every local href and src is URL-escaped (no blank, quote, <, > or non-ASCII character in it)
    and, unescaped and taken relative to the page, names a file inside SITE_DIR;
  - each <svg> has a viewBox, a <title>, a title text (class "title"), a unit (class "unit"),
    at least two numeric value ticks (class "tick y") and two date ticks (class "tick x"), and
    at least one mean line (<polyline class="mean"> with two or more points, or a <circle
    class="dot"> for a lone bucket), every point inside the plot area that its axes bound.

Prints what it read, one tab-separated line each, for the caller to compare with the data:

    page    PATH    charts=N
    chart   PATH    TITLE   segments=N   ticks=LOW..HIGH   xticks=FIRST..LAST
    parquet PATH                          (each linked *.parquet, relative to SITE_DIR)

and exits 1 after listing every fault ("check-site: PAGE: what") when there is one.
"""
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

UNSAFE = re.compile(r"[\s\"'<>\\^`{|}]|[^\x00-\x7f]")


class Page(HTMLParser):
    """Collects the links, the head's facts and the charts of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []          # (tag, attribute, value)
        self.viewport = False
        self.head = {"title": ""}
        self.scripts = 0
        self.charts = []         # dicts, one per <svg>
        self._text_of = None     # where the text being read goes: (dict or list, key)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if key in a:
                self.links.append((tag, key, a[key] or ""))
        cls = (a.get("class") or "").split()
        chart = self.charts[-1] if self.charts and self.charts[-1]["open"] else None
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = True
        elif tag == "script":
            self.scripts += 1
        elif tag == "title":
            self._text_of = (chart, "svg_title") if chart is not None else (self.head, "title")
        elif tag == "svg":
            self.charts.append({"open": True, "viewBox": a.get("viewbox"), "svg_title": "",
                                "title": "", "unit": "", "yticks": [], "xticks": [],
                                "lines": [], "dots": 0, "hlines": [], "vlines": []})
        elif chart is not None and tag == "text":
            if "title" in cls:
                self._text_of = (chart, "title")
            elif "unit" in cls:
                self._text_of = (chart, "unit")
            elif "tick" in cls and "y" in cls:
                chart["yticks"].append("")
                self._text_of = (chart["yticks"], -1)
            elif "tick" in cls and "x" in cls:
                chart["xticks"].append("")
                self._text_of = (chart["xticks"], -1)
        elif chart is not None and tag == "polyline" and "mean" in cls:
            chart["lines"].append(a.get("points") or "")
        elif chart is not None and tag == "circle" and "dot" in cls:
            chart["dots"] += 1
        elif chart is not None and tag == "line" and "axis" in cls:
            try:
                x1, x2, y1, y2 = (float(a[k]) for k in ("x1", "x2", "y1", "y2"))
            except (KeyError, ValueError):
                return
            (chart["hlines"] if y1 == y2 else chart["vlines"]).append((x1, x2, y1, y2))

    def handle_endtag(self, tag):
        if tag == "svg" and self.charts:
            self.charts[-1]["open"] = False
        if tag in ("text", "title"):
            self._text_of = None

    def handle_data(self, data):
        if self._text_of is not None:
            where, key = self._text_of
            where[key] += data


def points(text):
    """'x,y x,y …' -> [(x, y), …]; ValueError when it is not that."""
    out = []
    for pair in text.split():
        x, y = pair.split(",")
        out.append((float(x), float(y)))
    return out


def check_chart(c, faults):
    """Appends what is wrong with one chart to faults; returns (title, segments)."""
    name = c["title"].strip() or c["svg_title"].strip() or "?"
    say = lambda what: faults.append("chart '%s': %s" % (name, what))
    if not c["viewBox"] or len(c["viewBox"].split()) != 4:
        say("no viewBox")
    if not c["svg_title"].strip():
        say("no <title>")
    if not c["title"].strip():
        say("no title text (class 'title')")
    if not c["unit"].strip():
        say("no unit on the value axis (class 'unit')")
    ys = [t.strip() for t in c["yticks"]]
    if len(ys) < 2 or not all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", t) for t in ys):
        say("value ticks are not two or more numbers: %r" % ys)
    xs = [t.strip() for t in c["xticks"]]
    if len(xs) < 2 or not all(re.search(r"[0-9]", t) and re.search(r"[A-Za-z]", t) for t in xs):
        say("time ticks are not two or more dates: %r" % xs)
    if not c["hlines"] or not c["vlines"]:
        say("no axis lines (class 'axis')")
        return name, 0
    x_lo, x_hi = sorted(c["hlines"][0][:2])
    y_lo, y_hi = sorted(c["vlines"][0][2:])
    for line in c["lines"]:
        try:
            pts = points(line)
        except ValueError:
            say("polyline points do not parse: %r" % line[:60])
            continue
        if len(pts) < 2:
            say("a polyline with fewer than two points")
        off = [p for p in pts if not (x_lo <= p[0] <= x_hi and y_lo <= p[1] <= y_hi)]
        if off:
            say("%d points outside the plot area, first %r" % (len(off), off[0]))
    if not c["lines"] and not c["dots"]:
        say("no mean line")
    return name, len(c["lines"]) + c["dots"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-site.py SITE_DIR")
    root = os.path.realpath(sys.argv[1])
    faults, report = [], []
    pages = sorted(os.path.relpath(os.path.join(d, f), root)
                   for d, _, files in os.walk(root) for f in files if f.endswith(".html"))
    if not pages:
        faults.append("%s: no pages" % root)
    for rel in pages:
        page = Page()
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            page.feed(f.read())
        page.close()
        bad = lambda what: faults.append("%s: %s" % (rel, what))
        if not page.viewport:
            bad('no <meta name="viewport">')
        if not page.head["title"].strip():
            bad("no <title>")
        if page.scripts:
            bad("has <script>")
        for tag, key, url in page.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if parts.scheme in ("http", "https", "") or url.startswith("//"):
                    bad("<%s %s> fetches from the network: %s" % (tag, key, url))
                continue
            if UNSAFE.search(url):
                bad("<%s %s> is not URL-escaped: %r" % (tag, key, url))
            if not parts.path:
                continue  # a link within the page (#id)
            target = os.path.realpath(os.path.join(root, os.path.dirname(rel), unquote(parts.path)))
            if not target.startswith(root + os.sep):
                bad("<%s %s> leaves the site: %s" % (tag, key, url))
            elif not os.path.isfile(target):
                bad("<%s %s> names no file: %s" % (tag, key, url))
            elif target.endswith(".parquet"):
                report.append("parquet\t%s" % os.path.relpath(target, root))
        report.append("page\t%s\tcharts=%d" % (rel, len(page.charts)))
        for c in page.charts:
            n = len(faults)
            name, segments = check_chart(c, faults)
            faults[n:] = ["%s: %s" % (rel, f) for f in faults[n:]]
            ys, xs = [t.strip() for t in c["yticks"]], [t.strip() for t in c["xticks"]]
            report.append("chart\t%s\t%s\tsegments=%d\tticks=%s..%s\txticks=%s..%s" %
                          (rel, name, segments, ys[0] if ys else "", ys[-1] if ys else "",
                           xs[0] if xs else "", xs[-1] if xs else ""))
    for line in sorted(set(report), key=report.index):
        print(line)
    for f in faults:
        print("check-site: %s" % f, file=sys.stderr)
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
