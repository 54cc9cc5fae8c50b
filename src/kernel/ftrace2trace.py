#!/usr/bin/env python3
"""Convert one guest console log of src/kernel/record into a recording.

  ftrace2trace.py LOG PROVENANCE OUT

LOG holds the function_graph trace (options funcgraph-proc and
funcgraph-tail, no durations) between TDISP-TRACE-BEGIN/END, the
names ftrace accepted between TDISP-FILTER-BEGIN/END and the pid->comm
table between TDISP-CMDLINES-BEGIN/END. PROVENANCE holds "key: value"
lines. OUT gets the format of results/kernel/README.md: provenance,
"# task tN: comm", "@ marker", "tN <2 spaces per level>name", every
line at most 72 columns. Nesting is among the recorded calls only, per
task, from the graph's "{" and "}" lines.
"""
import re
import sys

WIDTH = 72
# " 1)  tdisp-d-85    |  name() {"  (cpu, comm-pid, then the graph text)
LINE = re.compile(r"^\s*\d+\)\s+(.*?)-(\d+)\s+\|(.*)$")
# gcc clones keep the function's name before the first dot
CLONE = re.compile(r"\.(isra|constprop|part|cold|lto_priv)\.\d+.*$")


def section(lines, name):
    out, inside = [], False
    for l in lines:
        if l == "TDISP-%s-BEGIN" % name:
            inside = True
        elif l == "TDISP-%s-END" % name:
            inside = False
        elif inside:
            out.append(l)
    return out


def wrap(key, words):
    """'# key: a b c' lines, each at most WIDTH columns."""
    out, cur = [], "# %s:" % key
    pieces = []
    for w in words:
        # a digest longer than a line goes in 32-character pieces
        while len(w) > WIDTH - len(key) - 3:
            pieces.append(w[:32])
            w = w[32:]
        pieces.append(w)
    for w in pieces:
        if len(cur) + 1 + len(w) > WIDTH:
            out.append(cur)
            cur = "# %s:" % key
        cur += " " + w
    out.append(cur)
    return out


def convert(log_lines, prov):
    # The serial console can interleave a printk with the filter dump: keep identifiers only.
    filt = sorted({n for n in (CLONE.sub("", l.split()[0]) for l in section(log_lines, "FILTER")
                               if l.strip() and not l.startswith("#"))
                   if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n)})
    comms = {}
    for l in section(log_lines, "CMDLINES"):
        parts = l.split(None, 1)
        if len(parts) == 2:
            comms[parts[0]] = parts[1].strip()
    tags, stacks, body = {}, {}, []
    for raw in section(log_lines, "TRACE"):
        m = LINE.match(raw)
        if not m:
            continue  # header, context-switch and blank lines
        comm, pid, text = m.group(1).strip(), m.group(2), m.group(3).strip(" |")
        if text.startswith("/*") and text.endswith("*/"):
            note = text[2:-2].strip()
            if note.startswith("tdisp: "):
                body.append("@ " + note[len("tdisp: "):])
            continue
        if text.startswith("}"):
            st = stacks.get(pid, [])
            tail = re.match(r"\}\s*/\*\s*(\S+)\s*\*/", text)
            name = CLONE.sub("", tail.group(1)) if tail else None
            if name and name in st:
                while st and st.pop() != name:
                    pass
            elif st and not name:
                st.pop()
            continue
        m2 = re.match(r"([A-Za-z_][A-Za-z0-9_.]*)\(\)\s*(\{|;)", text)
        if not m2:
            continue  # irq arrows and the like
        name = CLONE.sub("", m2.group(1))
        if pid not in tags:
            tags[pid] = "t%d" % (len(tags) + 1)
        st = stacks.setdefault(pid, [])
        body.append("%s %s%s" % (tags[pid], "  " * len(st), name))
        if m2.group(2) == "{":
            st.append(name)
    out = []
    for k, v in prov:
        out.extend(wrap(k, v.split()))
    out.extend(wrap("filter", filt))
    for pid, tag in sorted(tags.items(), key=lambda kv: int(kv[1][1:])):
        comm = comms.get(pid, "?")
        out.append("# task %s: %s" % (tag, comm if pid != "0" else "<idle>"))
    out.extend(body)
    too_long = [l for l in out if len(l) > WIDTH]
    if too_long:
        raise SystemExit("ftrace2trace: line longer than %d columns: %s"
                         % (WIDTH, too_long[0]))
    return out


def main():
    log, provfile, dest = sys.argv[1:4]
    with open(log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    if not section(lines, "TRACE"):
        raise SystemExit("ftrace2trace: %s has no trace" % log)
    prov = []
    with open(provfile) as f:
        for l in f:
            k, _, v = l.rstrip("\n").partition(": ")
            prov.append((k, v))
    with open(dest, "w") as f:
        f.write("\n".join(convert(lines, prov)) + "\n")


if __name__ == "__main__":
    main()
