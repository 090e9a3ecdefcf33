#!/usr/bin/env python3
"""gen-mailbox.py - write a deterministic, realistic Maildir++ tree for tests.

Usage:
    gen-mailbox.py --out DIR/Maildir [-n 2000] [--seed 1] [--manifest FILE]
                   [--folder-count NAME=N ...] [--no-check]

--folder-count gives one folder an exact count instead of its share of -n
(e.g. a 20,000-message INBOX beside small other folders); --no-check skips
parsing every message back (five times faster; for big folders whose
manifest no test compares against).

The same (count, seed) always produces byte-identical files.  Python 3
standard library only.

What it makes:
  * folders INBOX, Archive, Lists, Sent and "Entwürfe" (stored on disk, as
    Dovecot's Maildir++ layout expects, as ".Entw&APw-rfe": modified UTF-7,
    RFC 3501 section 5.1.3);
  * per folder strictly increasing dates, so Dovecot (which numbers new files
    in the order of the timestamp in their name) gives UIDs in date order;
    the file mtime equals the Date header (Dovecot's INTERNALDATE);
  * From with and without display names, quoted names with commas, non-ASCII
    names as RFC 2047 words (UTF-8 and ISO-8859-1, Q and B), To/Cc,
    Date in several zones, Message-ID, In-Reply-To/References for replies,
    List-Id in "Lists";
  * about 10% non-ASCII subjects (UTF-8 Q and B, ISO-8859-1 Q and B, some
    folded over several encoded words);
  * bodies: text/plain (us-ascii or UTF-8 8bit), multipart/alternative
    (plain + html), text/plain ISO-8859-1 quoted-printable;
  * flags in the file names: most mail seen, some answered/flagged, all of
    Entwürfe are drafts, a few \\Deleted (not expunged) in Archive.  The
    three newest messages of every folder are always unseen (the UI tests
    rely on this); a few unseen ones are left in new/.

The manifest (JSON) lists per folder the count, the unseen count and, for
every message in UID order, its file, Message-ID, decoded subject, the
expected "FROM" column (display name, else address), the UTC date, its IMAP
flags and the first distinctive body line.  Every message is parsed back with
Python's email package before it is written, and the decoded subject must
match what the generator meant, so the manifest is what a correct client
shows.
"""

import argparse
import base64
import datetime
import email
import email.header
import email.policy
import email.utils
import json
import os
import random
import sys
import textwrap

HOST = "petrel-gen"

# (display name, folder share in percent).  Order is the order in the manifest.
FOLDERS = [
    ("INBOX", 40),
    ("Archive", 28),
    ("Lists", 20),
    ("Sent", 6),
    ("Entwürfe", 6),
]

ME_NAME = "Alice Example"
ME_ADDR = "alice@example.org"

FIRST = ["Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan",
         "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil",
         "Trent", "Victor", "Walter", "Yusuf", "Zoe", "Priya", "Kenji",
         "Mateo", "Lena", "Omar", "Fatima", "Sven", "Ingrid", "Tomas", "Ruth"]
LAST = ["Smith", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Taylor",
        "Moore", "Martin", "White", "Harris", "Clark", "Lewis", "Walker",
        "Young", "King", "Wright", "Lopez", "Hill", "Green", "Baker", "Nguyen",
        "Evans", "Turner", "Parker", "Collins", "Murphy", "Rivera"]
# Names that need RFC 2047; the first group fits in ISO-8859-1.
LATIN1_NAMES = ["Jürgen Müller", "François Lefèvre", "Åsa Öberg",
                "Inés Núñez", "Søren Kierkegård", "Zoë Brontë",
                "Björn Ärlig", "Renée Côté"]
UTF8_NAMES = ["Łukasz Wójcik", "Иван Петров", "山田太郎", "Ελένη Παπαδάκη",
              "Jiří Černý", "Nguyễn Văn An", "김민준", "Ayşe Şahin"]
DOMAINS = ["example.com", "example.net", "mail.example.com", "corp.example",
           "uni.example.edu", "dev.example.io", "shop.example.co.uk",
           "news.example.de"]

TOPICS = ["quarterly report", "server migration", "release 2.4", "budget review",
          "team offsite", "database backup", "security audit", "printer on floor 3",
          "new hire onboarding", "API rate limits", "conference travel",
          "holiday schedule", "invoice 2023-118", "design review", "build failures",
          "disk space on build01", "vendor contract", "customer feedback",
          "roadmap draft", "parking permits", "TLS certificate renewal",
          "code freeze", "support rota", "office move", "license renewal"]
SUBJECT_FORMS = ["{t}", "Question about the {t}", "Update: {t}", "{T} - next steps",
                 "Notes from today's {t} call", "Reminder: {t}", "FYI {t}",
                 "{T} (draft attached)", "Can we talk about the {t}?",
                 "Agenda for {t} meeting on {wd}"]
LISTS = [("petrel-dev", "petrel-dev.lists.example.org"),
         ("debian-user", "debian-user.lists.example.org"),
         ("dovecot", "dovecot.lists.example.org")]
# Non-ASCII subjects; the first group is representable in ISO-8859-1.
LATIN1_SUBJECTS = ["Grüße aus München", "Café crème et pâtisseries",
                   "Smörgåsbord på fredag", "Réunion à Genève: ordre du jour",
                   "Straße gesperrt, Umleitung über Nordring",
                   "Año nuevo, señal nueva", "Übergabe der Schlüssel",
                   "Naïve façade rénovée"]
UTF8_SUBJECTS = ["Привет из Москвы", "日本語のテスト", "Ελληνικά νέα",
                 "Zürich — Besprechung am Montag", "🎉 Release party on Friday",
                 "Przegląd kodu: żółć", "Čeština je krásná",
                 "Tiếng Việt có dấu", "한국어 제목 테스트",
                 "Ein sehr langer Betreff mit Umlauten äöü, der über mehrere "
                 "kodierte Wörter gefaltet werden muss – wirklich lang"]
WORDS = ("the a we should check whether our new plan for this quarter works "
         "with what finance asked and if not we can move it to next week "
         "please send me your numbers before friday so i can merge them "
         "into the sheet and circulate it to everyone on the team thanks "
         "again for the quick turnaround on the last round of fixes build "
         "server tests look green now except the flaky network one").split()
GERMAN = ["Vielen Dank für die schnelle Rückmeldung.",
          "Die Unterlagen für die Prüfung liegen im Büro.",
          "Können wir das Gespräch auf Donnerstag verschieben?",
          "Grüße an das ganze Team in Köln.",
          "Bitte prüfe die Änderungen bis übermorgen."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
# UTC offsets in minutes, plus how the zone is written.
ZONES = [(0, "+0000"), (60, "+0100"), (120, "+0200"), (-300, "-0500"),
         (-480, "-0800"), (330, "+0530"), (540, "+0900"), (0, "GMT"),
         (60, "+0100 (CET)"), (-240, "-0400 (EDT)")]

START = datetime.datetime(2023, 1, 2, 8, 0, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2025, 6, 28, 18, 0, tzinfo=datetime.timezone.utc)


def mutf7_encode(name):
    """Encode a folder name as IMAP modified UTF-7 (RFC 3501 5.1.3)."""
    out = []
    pending = []

    def flush():
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            b64 = base64.b64encode(raw).decode("ascii").rstrip("=")
            out.append("&" + b64.replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def q_encode_bytes(data):
    """The RFC 2047 'Q' form of some bytes (section 4.2, rule (3) subset)."""
    out = []
    for b in data:
        c = chr(b)
        if c == " ":
            out.append("_")
        elif c.isascii() and (c.isalnum() or c in "!*+-/"):
            out.append(c)
        else:
            out.append("=%02X" % b)
    return "".join(out)


def encode_words(text, charset, enc):
    """Encode text as RFC 2047 encoded words of at most 75 characters.

    Characters are never split across words (RFC 2047 section 5); the words
    are joined by folding whitespace, which decoders drop between words.
    """
    prefix = "=?%s?%s?" % (charset, enc)
    words = []
    chunk = ""

    def render(s):
        raw = s.encode(charset)
        if enc == "Q":
            body = q_encode_bytes(raw)
        else:
            body = base64.b64encode(raw).decode("ascii")
        return prefix + body + "?="

    for ch in text:
        if chunk and len(render(chunk + ch)) > 75:
            words.append(render(chunk))
            chunk = ""
        chunk += ch
    if chunk:
        words.append(render(chunk))
    return "\n ".join(words)


def fold_ascii(name, value):
    """Fold a plain ASCII header value at spaces to keep lines under 78."""
    line = name + ": "
    lines = []
    for word in value.split(" "):
        if len(line) + len(word) + 1 > 76 and line.strip() != name + ":":
            lines.append(line.rstrip())
            line = " "
        line += word + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


class Generator:
    """Builds all messages from one seeded random source."""

    def __init__(self, count, seed):
        self.count = count
        self.rng = random.Random(seed)
        self.seed = seed
        self.check = True

    # -- people ------------------------------------------------------------

    def person(self):
        """A (header text, expected FROM column, address) triple."""
        r = self.rng.random()
        first = self.rng.choice(FIRST)
        last = self.rng.choice(LAST)
        dom = self.rng.choice(DOMAINS)
        if r < 0.50:
            addr = "%s.%s@%s" % (first.lower(), last.lower(), dom)
            return "%s %s <%s>" % (first, last, addr), "%s %s" % (first, last), addr
        if r < 0.65:
            addr = "%s@%s" % (first.lower(), dom)
            return addr, addr, addr
        if r < 0.72:
            addr = "%s.%s@%s" % (first.lower(), last.lower(), dom)
            disp = "%s, %s" % (last, first)
            return '"%s" <%s>' % (disp, addr), disp, addr
        if r < 0.86:
            name = self.rng.choice(LATIN1_NAMES)
            addr = "user%d@%s" % (self.rng.randrange(1000), dom)
            cs = self.rng.choice(["ISO-8859-1", "UTF-8"])
            enc = self.rng.choice(["Q", "B"])
            return "%s <%s>" % (encode_words(name, cs, enc), addr), name, addr
        name = self.rng.choice(UTF8_NAMES)
        addr = "user%d@%s" % (self.rng.randrange(1000), dom)
        enc = self.rng.choice(["Q", "B"])
        return "%s <%s>" % (encode_words(name, "UTF-8", enc), addr), name, addr

    # -- subjects ----------------------------------------------------------

    def subject(self, folder, reply):
        """A (raw header value, decoded text) pair; ~10% non-ASCII."""
        if self.rng.random() < 0.10:
            if self.rng.random() < 0.45:
                text = self.rng.choice(LATIN1_SUBJECTS)
                cs = self.rng.choice(["ISO-8859-1", "UTF-8"])
            else:
                text = self.rng.choice(UTF8_SUBJECTS)
                cs = "UTF-8"
            enc = self.rng.choice(["Q", "B"])
            raw = encode_words(text, cs, enc)
            if reply:
                return "Re: " + raw, "Re: " + text
            return raw, text
        topic = self.rng.choice(TOPICS)
        form = self.rng.choice(SUBJECT_FORMS)
        text = form.format(t=topic, T=topic[0].upper() + topic[1:],
                           wd=self.rng.choice(WEEKDAYS))
        if folder == "Lists":
            text = "[%s] %s" % (self.cur_list[0], text)
        if reply:
            text = "Re: " + text
        return text, text

    # -- bodies ------------------------------------------------------------

    def sentence(self):
        """One made-up sentence of English-looking words."""
        n = self.rng.randint(6, 16)
        words = [self.rng.choice(WORDS) for _ in range(n)]
        words.append("#%d" % self.rng.randrange(100000))
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def paragraphs(self):
        """A list of wrapped paragraphs (each a list of lines <= 72 cols)."""
        paras = []
        for _ in range(self.rng.randint(1, 4)):
            text = " ".join(self.sentence() for _ in range(self.rng.randint(1, 4)))
            paras.append(textwrap.wrap(text, 72))
        return paras

    def body(self, greet_name, sender_first):
        """Headers and body of one message: (header lines, body, first line)."""
        paras = self.paragraphs()
        key_line = max(paras[0], key=len)
        lines = ["Hi %s," % greet_name, ""]
        for p in paras:
            lines.extend(p)
            lines.append("")
        lines.extend(["-- ", sender_first])
        kind = self.rng.random()
        if kind < 0.15:
            return self.body_latin1(lines, sender_first)
        text = "\n".join(lines) + "\n"
        if kind < 0.45:
            return self.body_alternative(text, paras), key_line
        hdr = ["MIME-Version: 1.0",
               "Content-Type: text/plain; charset=us-ascii",
               "Content-Transfer-Encoding: 7bit"]
        return (hdr, text), key_line

    def body_latin1(self, lines, sender_first):
        """A text/plain quoted-printable body with umlauts (ISO-8859-1)."""
        german = [self.rng.choice(GERMAN) for _ in range(self.rng.randint(1, 3))]
        key_line = max(german, key=len)
        text = "\n".join(lines[:2] + german + [""] + lines[2:]) + "\n"
        # the signature may name someone ISO-8859-1 cannot spell: then the
        # same quoted-printable body goes out as UTF-8
        charset = "ISO-8859-1"
        try:
            raw = text.encode("iso-8859-1")
        except UnicodeEncodeError:
            charset = "UTF-8"
            raw = text.encode("utf-8")
        out = []
        for line in raw.split(b"\n"):
            enc = ""
            for b in line:
                if b == 0x3D or b > 0x7E:
                    enc += "=%02X" % b
                else:
                    enc += chr(b)
            if enc.endswith(" "):
                enc = enc[:-1] + "=20"
            while len(enc) > 76:
                cut = 75
                while enc[cut - 2:cut].find("=") >= 0:
                    cut -= 1
                out.append(enc[:cut] + "=")
                enc = enc[cut:]
            out.append(enc)
        hdr = ["MIME-Version: 1.0",
               "Content-Type: text/plain; charset=" + charset,
               "Content-Transfer-Encoding: quoted-printable"]
        return (hdr, "\n".join(out)), key_line

    def body_alternative(self, text, paras):
        """A multipart/alternative body: text/plain then text/html."""
        boundary = "=_alt_%08x" % self.rng.getrandbits(32)
        html = "<html><body>" + "".join(
            "<p>%s</p>" % " ".join(p) for p in paras) + "</body></html>\n"
        hdr = ["MIME-Version: 1.0",
               'Content-Type: multipart/alternative; boundary="%s"' % boundary]
        body = ("This is a multi-part message in MIME format.\n\n"
                "--%s\nContent-Type: text/plain; charset=us-ascii\n"
                "Content-Transfer-Encoding: 7bit\n\n%s\n"
                "--%s\nContent-Type: text/html; charset=us-ascii\n"
                "Content-Transfer-Encoding: 7bit\n\n%s\n--%s--\n"
                % (boundary, text, boundary, html, boundary))
        return hdr, body

    # -- flags -------------------------------------------------------------

    def flags(self, folder, index, total, age_fraction):
        """Maildir info letters for one message (sorted, as Dovecot writes)."""
        f = set()
        newest = index >= total - 3
        if folder == "Entwürfe":
            f.add("D")
        seen_p = 0.97 if age_fraction < 0.8 else 0.6
        if folder in ("Sent",):
            seen_p = 1.0
        if not newest and self.rng.random() < seen_p:
            f.add("S")
        if folder != "Entwürfe" and "S" in f and self.rng.random() < 0.12:
            f.add("R")
        if self.rng.random() < 0.05:
            f.add("F")
        if folder == "Archive" and not newest and self.rng.random() < 0.01:
            f.add("T")
        return "".join(sorted(f))

    # -- one message -------------------------------------------------------

    def message(self, folder, fidx, index, total, when, history):
        """Render one message; returns (bytes, manifest entry)."""
        reply = bool(history) and self.rng.random() < 0.3
        if folder == "Lists":
            self.cur_list = self.rng.choice(LISTS)
        raw_subj, subj = self.subject(folder, reply)
        if folder in ("Sent", "Entwürfe"):
            frm_hdr = "%s <%s>" % (ME_NAME, ME_ADDR)
            frm_col, frm_addr = ME_NAME, ME_ADDR
            to_hdr, to_col, _ = self.person()
            greet = to_col.split(" ")[0].split(",")[0]
        else:
            frm_hdr, frm_col, frm_addr = self.person()
            to_hdr = "%s <%s>" % (ME_NAME, ME_ADDR)
            greet = "Alice"
        offset, zone = self.rng.choice(ZONES)
        local = when.astimezone(datetime.timezone(datetime.timedelta(minutes=offset)))
        date_hdr = local.strftime("%a, %d %b %Y %H:%M:%S ") + zone
        msgid = "<%d.%d.%08x@%s.example>" % (fidx, index, self.rng.getrandbits(32), HOST)
        hdrs = ["Return-Path: <%s>" % frm_addr,
                "Date: " + date_hdr,
                "From: " + frm_hdr,
                "To: " + to_hdr]
        if self.rng.random() < 0.2:
            cc_hdr = ", ".join(self.person()[0] for _ in range(self.rng.randint(1, 3)))
            hdrs.append(fold_ascii("Cc", cc_hdr) if cc_hdr.isascii() else "Cc: " + cc_hdr)
        if raw_subj.isascii() and "=?" not in raw_subj:
            hdrs.append(fold_ascii("Subject", raw_subj))
        else:
            hdrs.append("Subject: " + raw_subj)
        hdrs.append("Message-ID: " + msgid)
        if reply:
            parent = self.rng.choice(history[-20:])
            hdrs.append("In-Reply-To: " + parent)
            hdrs.append(fold_ascii("References", " ".join(history[-3:])))
        if folder == "Lists":
            hdrs.append("List-Id: <%s>" % self.cur_list[1])
        if self.rng.random() < 0.3:
            hdrs.append("User-Agent: petrel-gen/1.0")
        history.append(msgid)
        (mime_hdrs, body), key_line = self.body(greet, frm_col.split(" ")[0])
        data = ("\n".join(hdrs + mime_hdrs) + "\n\n" + body).encode("utf-8")
        entry = {"message_id": msgid, "subject": subj, "from": frm_col,
                 "date_utc": when.strftime("%Y-%m-%d %H:%M"),
                 "body_line": key_line}
        if self.check:
            check_message(data, entry)
        return data, entry


def decode_header_text(raw):
    """Unfold a raw header value and decode its RFC 2047 words (2047 s.6)."""
    unfolded = raw.replace("\r\n", "").replace("\n", "")
    return str(email.header.make_header(email.header.decode_header(unfolded)))


def from_column(raw):
    """What a client shows for a From header: display name, else address.

    The address is split first, then the display name decoded, so encoded
    words never get parsed as address syntax (RFC 2047 section 5 (3)).
    """
    unfolded = raw.replace("\r\n", "").replace("\n", "")
    name, addr = email.utils.parseaddr(unfolded)
    if name:
        return decode_header_text(name)
    return addr


def check_message(data, entry):
    """Parse a generated message back and insist it decodes as intended."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    subj = decode_header_text(msg["Subject"])
    if subj != entry["subject"]:
        raise SystemExit("gen-mailbox: subject self-check failed: %r != %r"
                         % (subj, entry["subject"]))
    shown = from_column(msg["From"])
    if shown != entry["from"]:
        raise SystemExit("gen-mailbox: from self-check failed: %r != %r"
                         % (shown, entry["from"]))
    modern = email.message_from_bytes(data, policy=email.policy.default)
    part = modern.get_body(preferencelist=("plain",))
    if entry["body_line"] not in part.get_content():
        raise SystemExit("gen-mailbox: body self-check failed for %s"
                         % entry["message_id"])
    when = email.utils.parsedate_to_datetime(msg["Date"])
    got = when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    if got != entry["date_utc"]:
        raise SystemExit("gen-mailbox: date self-check failed: %s != %s"
                         % (got, entry["date_utc"]))


IMAP_FLAG = {"S": "\\Seen", "R": "\\Answered", "F": "\\Flagged",
             "T": "\\Deleted", "D": "\\Draft"}
# petrel ls order: S A F D T = Seen Answered Flagged Deleted Draft
PETREL_LETTERS = [("\\Seen", "S"), ("\\Answered", "A"), ("\\Flagged", "F"),
                  ("\\Deleted", "D"), ("\\Draft", "T")]


def petrel_flags(imap_flags):
    """The FLAGS column `petrel ls` prints for a set of IMAP flags."""
    s = "".join(letter for flag, letter in PETREL_LETTERS if flag in imap_flags)
    return s or "-"


def folder_counts(count):
    """Split count over FOLDERS by their shares; every folder gets >= 4."""
    counts = [max(4, count * share // 100) for _, share in FOLDERS]
    counts[0] += count - sum(counts)
    if counts[0] < 4:
        raise SystemExit("gen-mailbox: need at least %d messages" % (4 * len(FOLDERS)))
    return counts


def folder_dir(root, name):
    """The Maildir++ directory for a folder (INBOX is the root itself)."""
    if name == "INBOX":
        return root
    return os.path.join(root, "." + mutf7_encode(name))


def make_dirs(path, subfolder):
    """Create cur/new/tmp (and the maildirfolder marker for subfolders)."""
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    if subfolder:
        with open(os.path.join(path, "maildirfolder"), "wb"):
            pass


def generate(root, count, seed, overrides=None, check=True):
    """Write the whole tree; return the manifest dictionary."""
    gen = Generator(count, seed)
    gen.check = check
    counts = folder_counts(count)
    for i, (name, _) in enumerate(FOLDERS):
        if overrides and name in overrides:
            counts[i] = overrides[name]
    span = (END - START).total_seconds()
    manifest = {"generator": "petrel gen-mailbox.py 1", "seed": seed,
                "count": count, "user_address": ME_ADDR, "folders": []}
    for fidx, ((name, _), n) in enumerate(zip(FOLDERS, counts)):
        path = folder_dir(root, name)
        make_dirs(path, name != "INBOX")
        # strictly increasing, distinct whole-minute times (the date column
        # has minute resolution), spread over the whole period
        step = span / n
        history = []
        msgs = []
        unseen = 0
        for i in range(n):
            secs = int(step * i + gen.rng.random() * step * 0.8)
            when = START + datetime.timedelta(seconds=secs - secs % 60)
            data, entry = gen.message(name, fidx, i, n, when, history)
            letters = gen.flags(name, i, n, i / n)
            ts = int(when.timestamp())
            base = "%d.M%06dP%dQ%d.%s,S=%d" % (ts, i, 1000 + fidx, i + 1, HOST, len(data))
            in_new = name == "INBOX" and "S" not in letters and i >= n - 2
            if in_new:
                fname = os.path.join("new", base)
                letters = ""
            else:
                fname = os.path.join("cur", base + ":2," + letters)
            full = os.path.join(path, fname)
            with open(full, "wb") as fh:
                fh.write(data)
            os.utime(full, (ts, ts))
            flags = sorted(IMAP_FLAG[c] for c in letters)
            if "S" not in letters:
                unseen += 1
            entry.update({"file": fname, "flags": flags,
                          "petrel_flags": petrel_flags(flags)})
            msgs.append(entry)
        manifest["folders"].append({
            "name": name, "mailbox": mutf7_encode(name),
            "dir": os.path.relpath(path, root), "count": n,
            "unseen": unseen, "messages": msgs})
    manifest["count"] = sum(counts)
    return manifest


def main():
    """Parse arguments, write the Maildir and the manifest."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="Maildir root to create (may exist but must hold no files)")
    ap.add_argument("-n", "--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--manifest", help="where to write the JSON manifest (default OUT/../manifest.json)")
    ap.add_argument("--folder-count", action="append", default=[], metavar="NAME=N",
                    help="exact message count for one folder (repeatable)")
    ap.add_argument("--no-check", action="store_true",
                    help="do not parse every message back (faster)")
    args = ap.parse_args()
    overrides = {}
    names = [name for name, _ in FOLDERS]
    for item in args.folder_count:
        name, _, n = item.rpartition("=")
        if name not in names or not n.isdigit() or int(n) < 4:
            sys.exit("gen-mailbox: --folder-count wants NAME=N with NAME in %s and N >= 4, not %r"
                     % (", ".join(names), item))
        overrides[name] = int(n)
    # an existing tree is fine as long as it holds no files (e.g. the empty
    # cur/new/tmp a server setup made): never mix two generations
    for _, _, files in os.walk(args.out):
        if files:
            sys.exit("gen-mailbox: %s already holds files" % args.out)
    os.makedirs(args.out, exist_ok=True)
    manifest = generate(args.out, args.count, args.seed, overrides, not args.no_check)
    out = args.manifest or os.path.join(os.path.dirname(os.path.abspath(args.out)), "manifest.json")
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    summary = ", ".join("%s %d (%d unseen)" % (f["name"], f["count"], f["unseen"])
                        for f in manifest["folders"])
    total = sum(f["count"] for f in manifest["folders"])
    print("gen-mailbox: %d messages in %s: %s" % (total, args.out, summary))


if __name__ == "__main__":
    main()
