#!/usr/bin/env python3
"""dom_tables.py DOM.html - the tables and charts of a report as JSON.

Reads the DOM that headless Chromium dumps (--dump-dom) with Python's
html.parser (independent of irkit) and prints one JSON object:

  {"tables": {SECTION: [{"headers": [...], "rows": [[cell text, ...]]}]},
   "charts": [{"title": h3 text before it or "", "texts": [svg text ...]}]}

SECTION is the id of the h2 the table follows ("evidence", "yara", ...).
"""
import json
import sys
from html.parser import HTMLParser


class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.section = None
        self.tables = {}
        self.charts = []
        self.table = None
        self.cell = None
        self.row = None
        self.h3 = None
        self.last_h3 = ""
        self.svg = None
        self.svg_text = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h2":
            self.section = a.get("id")
            self.last_h3 = ""
        elif tag == "h3":
            self.h3 = ""
        elif tag == "table" and self.table is None:
            self.table = {"headers": [], "rows": []}
            self.depth = 0
        elif tag == "table":
            self.depth += 1
        elif self.table is not None and tag == "tr" and self.depth == 0:
            self.row = []
        elif self.table is not None and tag in ("td", "th") and self.depth == 0:
            self.cell = ""
        elif self.table is not None and tag == "br" and self.cell is not None:
            self.cell += "\n"
        elif tag == "svg":
            self.svg = {"title": self.last_h3, "texts": []}
        elif tag == "text" and self.svg is not None:
            self.svg_text = ""

    def handle_endtag(self, tag):
        if tag == "h3" and self.h3 is not None:
            self.last_h3 = self.h3.strip()
            self.h3 = None
        elif tag == "table" and self.table is not None:
            if self.depth > 0:
                self.depth -= 1
                return
            self.tables.setdefault(self.section, []).append(self.table)
            self.table = None
        elif tag in ("td", "th") and self.cell is not None and self.depth == 0:
            self.row.append((tag, self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.depth == 0:
            if all(t == "th" for t, _ in self.row):
                self.table["headers"] = [c for _, c in self.row]
            else:
                self.table["rows"].append([c for _, c in self.row])
            self.row = None
        elif tag == "text" and self.svg_text is not None:
            self.svg["texts"].append(self.svg_text)
            self.svg_text = None
        elif tag == "svg" and self.svg is not None:
            self.charts.append(self.svg)
            self.svg = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.h3 is not None:
            self.h3 += data
        if self.svg_text is not None:
            self.svg_text += data


def main():
    p = P()
    with open(sys.argv[1], encoding="utf-8") as f:
        p.feed(f.read())
    json.dump({"tables": p.tables, "charts": p.charts}, sys.stdout)


if __name__ == "__main__":
    main()
