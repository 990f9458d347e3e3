"""hivescript.py - a hivexsh script written key by key (imported by
win_hives.py and win_art.py): Script(dir).key("A\\B", [(name, value)])
adds the keys of the path not yet added, then sets the values, given in
hivexsh's notation ("string:...", "dword:0x...", hexval(bytes, type))."""
import os


def hexval(b, t=3):
    return "hex:%d:%s" % (t, ",".join("%02x" % x for x in b))


class Script:
    def __init__(self, d):
        self.d = d
        self.lines = []
        self.made = set()

    def key(self, path, values=()):
        self.lines.append("cd \\")
        sofar = ""
        for part in path.split("\\"):
            sofar += "\\" + part
            if sofar.lower() not in self.made:
                self.made.add(sofar.lower())
                self.lines.append("add " + part)
            self.lines.append("cd " + part)
        if values:
            self.lines.append("setval %d" % len(values))
            for k, v in values:
                self.lines.append(k)
                self.lines.append(v)

    def write(self, name):
        with open(os.path.join(self.d, name), "w") as f:
            f.write("\n".join(self.lines + ["commit", ""]))
