#!/usr/bin/env python3
"""mime-oracle.py - Python's email package as the oracle for `petrel parse`.

Usage:
    mime-oracle.py dump FILE
        print what Python's email package (policy=default) understands of
        one message, in the shape of `petrel parse` (a subset of it)
    mime-oracle.py diff --petrel PETREL --allow LIST [--report FILE]
                        NAME=DIR [NAME=DIR ...]
        run `petrel parse` and the oracle over every file below each DIR
        (skipping *.out renders), compare, and print a summary per set.
        Exit 1 if petrel failed on a message or a difference is not in the
        allow-list.

What is compared: the decoded Subject; From, To and Cc as lists of
(display name, address, group); the part tree (depth-first list of
(depth, content type)); for each part the charset, disposition and
filename; for each leaf the SHA-256 of its decoded bytes
(get_payload(decode=True)); and when Python's get_body(("plain",)) is the
part petrel shows, its text (get_content(), CRLF read as LF): that checks
the charset conversion.  When the trees differ the per-part fields are
not compared (they would not line up); the tree difference is reported.

Raw 8-bit bytes in headers (RFC 6532 UTF-8, or legacy charsets) reach
Python as surrogate escapes; the oracle turns them back into bytes and
reads them as UTF-8 if valid, else windows-1252, as petrel does.  Nothing
else is normalised.

The allow-list (one entry a line, '#' comments): FILE-GLOB FIELD-GLOB
REASON.  FILE is "SET/relative/path", FIELD is subject, from, to, cc,
tree, text, or PATH:charset|disposition|filename|sha256 (PATH as petrel
prints it, e.g. 1.2).  Every entry needs a reason.  A difference whose
cause the comparison recognises carries it as a tag, so that an entry can
allow that cause and nothing else:
    text:8bit-under-ascii    8-bit text labelled us-ascii or unlabelled
    text:utf8-under-western  valid UTF-8 labelled ISO-8859-1/windows-1252
    text:unknown-charset     a charset Python does not know
    from:ew-blank            (to, cc) names equal but for blanks
    from:comment-name        (to, cc) petrel took a comment as the name
A petrel failure (exit status, crash, stderr, output not UTF-8 JSON) is
never allowed.  Python standard library only.
"""

import argparse
import email
import email.policy
import fnmatch
import hashlib
import json
import os
import subprocess
import sys


def fix_text(s):
    """Surrogate-escaped raw bytes back to text (UTF-8, else cp1252)."""
    if s is None:
        return None
    s = str(s)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    raw = s.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def oracle_addresses(msg, name):
    """An address header as a list of {name, addr, group}."""
    h = msg[name]
    if h is None:
        return []
    out = []
    for g in h.groups:
        gname = fix_text(g.display_name) if g.display_name is not None else None
        if gname is not None and not g.addresses:
            out.append({"name": None, "addr": None, "group": gname})
        for a in g.addresses:
            out.append({"name": fix_text(a.display_name) or None,
                        "addr": fix_text(a.addr_spec) or None,
                        "group": gname})
    return out


def guarded(fn, *args):
    """Run fn; an exception becomes a marker string (Python's own bug)."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - the oracle must not die
        return "<oracle error: %s: %s>" % (type(e).__name__, e)


def oracle_leaf(part):
    """Size and SHA-256 of a leaf's decoded bytes."""
    data = part.get_payload(decode=True)
    if data is None:
        data = b""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "raw": data}


def oracle_walk(part, path, depth, out, paths):
    """Append part and its children (depth-first) to out."""
    paths[id(part)] = path
    e = {"path": path, "depth": depth,
         "type": guarded(part.get_content_type),
         "charset": guarded(lambda: fix_text(part.get_content_charset())),
         "disposition": guarded(part.get_content_disposition),
         "filename": guarded(lambda: fix_text(part.get_filename())),
         "size": None, "sha256": None}
    out.append(e)
    if part.is_multipart():
        for i, sub in enumerate(part.get_payload(), 1):
            oracle_walk(sub, "%s.%d" % (path, i), depth + 1, out, paths)
    else:
        leaf = guarded(oracle_leaf, part)
        if isinstance(leaf, dict):
            e.update(leaf)
        else:
            e["sha256"] = leaf


def oracle(data):
    """What Python's email package understands of one message."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    res = {}
    for name in ("from", "to", "cc"):
        res[name] = guarded(oracle_addresses, msg, name)
    res["subject"] = guarded(lambda: fix_text(msg["subject"])
                             if msg["subject"] is not None else None)
    parts, paths = [], {}
    oracle_walk(msg, "1", 0, parts, paths)
    res["parts"] = parts
    res["text_part"], res["text"] = None, None
    body = guarded(msg.get_body, ("plain",))
    if body is not None and not isinstance(body, str):
        res["text_part"] = paths.get(id(body))
        text = guarded(body.get_content)
        if isinstance(text, str):
            text = fix_text(text).replace("\r\n", "\n")
        res["text"] = text
    return res


# -- comparison ----------------------------------------------------------

def show(v):
    """A short printable form of a value."""
    s = json.dumps(v, ensure_ascii=True)
    return s if len(s) <= 300 else s[:300] + "..."


def show_pair(a, b):
    """Both values; long strings only around where they first differ."""
    if isinstance(a, str) and isinstance(b, str) and \
            max(len(a), len(b)) > 100:
        i = 0
        while i < min(len(a), len(b)) and a[i] == b[i]:
            i += 1
        lo = max(0, i - 30)
        return ("@%d: %s" % (i, show(a[lo:i + 40])),
                "@%d: %s" % (i, show(b[lo:i + 40])))
    return show(a), show(b)


ASCII_LABELS = (None, "us-ascii", "ascii")
WESTERN_LABELS = ("iso-8859-1", "latin1", "windows-1252", "cp1252")


def text_tag(theirs):
    """Why a text difference may be expected: ":" + a tag, or ""."""
    t = theirs["text"]
    if isinstance(t, str) and t.startswith("<oracle error: LookupError"):
        return ":unknown-charset"
    part = [p for p in theirs["parts"] if p["path"] == theirs["text_part"]]
    raw = part[0].get("raw") if part else None
    if raw is None or raw.isascii():
        return ""
    cs = part[0]["charset"]
    if cs in ASCII_LABELS:
        return ":8bit-under-ascii"
    if cs in WESTERN_LABELS:
        try:
            raw.decode("utf-8")
            return ":utf8-under-western"
        except UnicodeDecodeError:
            pass
    return ""


def address_tag(mine, theirs):
    """Why an address list difference may be expected: ":" + tag, or ""."""
    if not isinstance(mine, list) or not isinstance(theirs, list) or \
            len(mine) != len(theirs):
        return ""
    tags = set()
    for a, b in zip(mine, theirs):
        if a == b:
            continue
        if a["addr"] != b["addr"] or a["group"] != b["group"]:
            return ""
        an, bn = a["name"] or "", b["name"] or ""
        if an and bn and "".join(an.split()) == "".join(bn.split()):
            tags.add(":ew-blank")
        elif an and not bn:
            tags.add(":comment-name")
        else:
            return ""
    return tags.pop() if len(tags) == 1 else ""


def compare(mine, theirs):
    """The list of (field, petrel value, oracle value) that differ.  A
    field may carry a tag naming a known cause (text:8bit-under-ascii)."""
    diffs = []
    if mine.get("subject") != theirs["subject"]:
        diffs.append(("subject", mine.get("subject"), theirs["subject"]))
    for name in ("from", "to", "cc"):
        if mine.get(name) != theirs[name]:
            diffs.append((name + address_tag(mine.get(name), theirs[name]),
                          mine.get(name), theirs[name]))
    if theirs["text_part"] is not None and \
            mine.get("text_part") == theirs["text_part"] and \
            not mine.get("text_html") and mine.get("text") != theirs["text"]:
        diffs.append(("text" + text_tag(theirs), mine.get("text"),
                      theirs["text"]))
    mp, tp = mine.get("parts", []), theirs["parts"]
    ms = [(p["depth"], p["type"]) for p in mp]
    ts = [(p["depth"], p["type"]) for p in tp]
    if ms != ts:
        diffs.append(("tree", ["%d %s" % x for x in ms],
                      ["%d %s" % x for x in ts]))
        return diffs
    for a, b in zip(mp, tp):
        for f in ("charset", "disposition", "filename"):
            if a.get(f) != b[f]:
                diffs.append(("%s:%s" % (a["path"], f), a.get(f), b[f]))
        if a.get("sha256") is not None and b["sha256"] is not None and \
                a["sha256"] != b["sha256"]:
            diffs.append(("%s:sha256" % a["path"],
                          "%s (%d bytes)" % (a["sha256"][:16], a["size"]),
                          "%s (%d bytes)" % (b["sha256"][:16], b["size"])))
    return diffs


def load_allow(path):
    """Read the allow-list: [(file glob, field glob, reason, line)]."""
    entries = []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            cols = line.split(None, 2)
            if len(cols) < 3 or not cols[2].strip():
                sys.exit("%s:%d: entry without a reason" % (path, no))
            if cols[1] == "petrel-error":
                sys.exit("%s:%d: petrel errors cannot be allowed" % (path, no))
            entries.append((cols[0], cols[1], cols[2], no))
    return entries


def run_petrel(petrel, path):
    """Run `petrel parse`; (result dict, None) or (None, error text)."""
    try:
        p = subprocess.run([petrel, "parse", path], capture_output=True,
                           timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    if p.returncode != 0:
        return None, "exit status %d: %s" % (
            p.returncode, p.stderr.decode("utf-8", "replace")[:500])
    if p.stderr:
        return None, "wrote to stderr: %s" % p.stderr.decode(
            "utf-8", "replace")[:500]
    try:
        res = json.loads(p.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return None, "output is not UTF-8 JSON: %s" % e
    if not isinstance(res.get("text"), str) or not isinstance(
            res.get("parts"), list) or not res["parts"]:
        return None, "output lacks text or parts"
    return res, None


def corpus_files(root):
    """Every message file below root, sorted, holdout never included."""
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "holdout")
        for f in sorted(files):
            if f.endswith(".out") or f.endswith(".md") or f.startswith("."):
                continue
            if f in ("known-differences.txt", "maildirfolder"):
                continue
            out.append(os.path.join(d, f))
    return out


class Tally:
    """Counts and report lines of one comparison run."""

    def __init__(self, allow):
        self.allow = allow
        self.used = set()
        self.lines = []
        self.n = {"messages": 0, "allowed": 0, "unlisted": 0, "errors": 0}

    def error(self, rel, text):
        """petrel failed on a message: never allowed."""
        self.n["errors"] += 1
        self.lines.append("PETREL-ERROR %s: %s" % (rel, text))

    def diff(self, rel, field, a, b):
        """One difference: allowed by the list, or not."""
        a, b = show_pair(a, b)
        hit = [e for e in self.allow if fnmatch.fnmatchcase(rel, e[0])
               and fnmatch.fnmatchcase(field, e[1])]
        if hit:
            self.n["allowed"] += 1
            self.used.update(e[3] for e in hit)
            self.lines.append("allowed %s %s: petrel=%s oracle=%s (%s)"
                              % (rel, field, a, b, hit[0][2]))
        else:
            self.n["unlisted"] += 1
            self.lines.append("DIFF %s %s: petrel=%s oracle=%s"
                              % (rel, field, a, b))

    def summary(self, name):
        """The one-line count."""
        return ("%s: %d messages compared, %d differences allowed, "
                "%d unlisted, %d petrel errors" % (
                    name, self.n["messages"], self.n["allowed"],
                    self.n["unlisted"], self.n["errors"]))


def compare_file(tally, petrel, rel, path):
    """Run both sides on one message and record what differs."""
    tally.n["messages"] += 1
    mine, err = run_petrel(petrel, path)
    if err is not None:
        tally.error(rel, err)
        return
    with open(path, "rb") as f:
        data = f.read()
    try:
        theirs = oracle(data)
    except Exception as e:  # noqa: BLE001 - a difference to list
        tally.diff(rel, "oracle", None, "%s: %s" % (type(e).__name__, e))
        return
    for field, a, b in compare(mine, theirs):
        tally.diff(rel, field, a, b)


def diff_main(argv):
    """The diff command: compare every message, print the summary."""
    ap = argparse.ArgumentParser(prog="mime-oracle.py diff")
    ap.add_argument("--petrel", required=True)
    ap.add_argument("--allow", required=True)
    ap.add_argument("--report")
    ap.add_argument("sets", nargs="+", metavar="NAME=DIR")
    args = ap.parse_args(argv)
    tally = Tally(load_allow(args.allow))
    names = set()
    for spec in args.sets:
        name, _, root = spec.partition("=")
        names.add(name)
        before = dict(tally.n)
        files = corpus_files(root)
        if not files:
            tally.error(name, "no messages in %s" % root)
        for path in files:
            rel = "%s/%s" % (name, os.path.relpath(path, root))
            compare_file(tally, args.petrel, rel, path)
        part = Tally([])
        part.n = {k: tally.n[k] - before[k] for k in tally.n}
        print(part.summary(name))
    for e in tally.allow:
        set_name = e[0].split("/", 1)[0]
        if e[3] not in tally.used and (set_name in names or "*" in set_name):
            tally.lines.append("note: allow-list line %d (%s %s) matched "
                               "nothing" % (e[3], e[0], e[1]))
    for line in tally.lines:
        if not line.startswith("allowed"):
            print(line)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write("\n".join(tally.lines) + "\n")
    failed = tally.n["unlisted"] + tally.n["errors"]
    print(tally.summary("total") + (": FAIL" if failed else ": ok"))
    return 1 if failed else 0


def main():
    """Dispatch dump / diff."""
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        with open(sys.argv[2], "rb") as f:
            res = oracle(f.read())
        for p in res["parts"]:
            p.pop("raw", None)
        json.dump(res, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    if len(sys.argv) > 2 and sys.argv[1] == "diff":
        return diff_main(sys.argv[2:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
