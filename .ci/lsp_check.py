#!/usr/bin/python3
"""The LSP client of .ci/lsp-check: opens the user project's files in a language server and checks what arrives.

    lsp_check.py [--no-fixes] APP MARKED -- SERVER-COMMAND...

APP is the user project (the files of MARKED with their markers stripped, restored); MARKED holds the
sources with `{|DPHnnnn:text|}` markers. For every marker the client checks that the server reports DPHnnnn
at exactly that range, and that `textDocument/codeAction` there offers the fix in EXPECTED_FIXES, if any
(--no-fixes: the actions are listed but not required). Exit status 1 on any miss.
Standard library only: JSON-RPC 2.0 over the server's stdio with Content-Length framing.
"""

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

# The DeepPhys code fix each id must offer, by the start of its title. Add a line when a fix ships.
EXPECTED_FIXES = {
    "DPH0001": "Make 'NotPartial' partial",
    "DPH0204": "Use Activation.Softmax",
    "DPH0302": "Use 'dense'",
    "DPH0401": "Use 'hidden'",
    "DPH0405": "Insert [Flatten]",
}

# Files opened with the marked text replaced by this (a correct network), then changed to the mistake by didChange.
CORRECT_FIRST = {"NegativeUnits.cs": "4"}

# What the client answers to workspace/configuration, by section. csharp-ls runs the project's analyzers (the
# package's DiagnosticAnalyzer among them) only with csharp.analyzersEnabled, false by default.
SETTINGS = {"csharp": {"analyzersEnabled": os.environ.get("LSP_CHECK_ANALYZERS", "true") == "true"}}

MARKER = re.compile(r"\{\|(DPH\d{4}):(.*?)\|\}", re.S)
TIMEOUT = float(os.environ.get("LSP_CHECK_TIMEOUT", "240"))


def strip(marked):
    """The text without markers, and each marker's (id, start offset, end offset) in it."""
    text, marks, last = [], [], 0
    length = 0
    for m in MARKER.finditer(marked):
        text.append(marked[last:m.start()])
        length += m.start() - last
        marks.append((m.group(1), length, length + len(m.group(2))))
        text.append(m.group(2))
        length += len(m.group(2))
        last = m.end()
    text.append(marked[last:])
    return "".join(text), marks


def position(text, offset):
    """LSP position (zero-based line, UTF-16 character) of a character offset."""
    before = text[:offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1:]
    return {"line": line, "character": len(column.encode("utf-16-le")) // 2}


def fmt(r):
    return "%d:%d-%d:%d" % (r["start"]["line"] + 1, r["start"]["character"] + 1, r["end"]["line"] + 1, r["end"]["character"] + 1)


class Server:
    """A language server on stdio: requests with ids, notifications kept per method, server requests answered."""

    def __init__(self, command, cwd, trace):
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(trace + ".stderr", "wb"))
        self.trace = open(trace, "w")
        self.next_id = 0
        self.responses = {}
        self.pushed = {}  # uri -> diagnostics of the last publishDiagnostics
        self.log = []
        self.lock = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()

    def send(self, message):
        message["jsonrpc"] = "2.0"
        body = json.dumps(message).encode()
        self.trace.write("%.3f --> %s\n" % (time.monotonic(), body.decode()))
        self.trace.flush()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    with self.lock:
                        self.lock.notify_all()
                    return
                line = line.decode().strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.trace.write("%.3f <-- %s\n" % (time.monotonic(), body.decode()))
            self.trace.flush()
            self.dispatch(json.loads(body))

    def dispatch(self, message):
        method = message.get("method")
        if method is None:
            with self.lock:
                self.responses[message["id"]] = message
                self.lock.notify_all()
        elif "id" in message:
            # A request from the server: workspace/configuration wants one value per item; the rest want null.
            items = message.get("params", {}).get("items") if method == "workspace/configuration" else None
            result = [SETTINGS.get(item.get("section")) for item in items] if items is not None else None
            self.send({"id": message["id"], "result": result})
        elif method == "textDocument/publishDiagnostics":
            with self.lock:
                self.pushed[message["params"]["uri"]] = message["params"]["diagnostics"]
                self.lock.notify_all()
        elif method in ("window/logMessage", "window/showMessage"):
            self.log.append(message["params"]["message"])

    def request(self, method, params, timeout=60):
        self.next_id += 1
        request_id = self.next_id
        self.send({"id": request_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.lock:
            while request_id not in self.responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise TimeoutError("%s: no answer in %d s" % (method, timeout))
                self.lock.wait(remaining)
            response = self.responses.pop(request_id)
        if "error" in response:
            raise RuntimeError("%s: %s" % (method, response["error"]))
        return response["result"]

    def notify(self, method, params):
        self.send({"method": method, "params": params})


class Document:
    def __init__(self, app, marked_path):
        self.name = marked_path.name
        self.text, self.marks = strip(marked_path.read_text())
        self.path = (app / self.name).resolve()
        self.uri = self.path.as_uri()
        assert self.path.read_text() == self.text, "%s on disk differs from the marked source" % self.path

    def expected(self):
        for id, start, end in self.marks:
            yield id, {"start": position(self.text, start), "end": position(self.text, end)}


def diagnostics(server, pull, document):
    """The server's current diagnostics of a document: pulled when the server supports it, else the last pushed."""
    if pull:
        report = server.request("textDocument/diagnostic", {"textDocument": {"uri": document.uri}}, timeout=120)
        return report.get("items", [])
    with server.lock:
        return list(server.pushed.get(document.uri, []))


def wait_for(server, pull, document, done, deadline):
    """Polls (once a second) until done(diagnostics) or the deadline; returns the last diagnostics."""
    while True:
        found = diagnostics(server, pull, document)
        if done(found) or time.monotonic() >= deadline:
            return found
        if pull:
            time.sleep(1)
        else:
            with server.lock:
                server.lock.wait(1)


def dph(found):
    return [d for d in found if str(d.get("code", "")).startswith("DPH")]


def main():
    separator = sys.argv.index("--")
    options = [a for a in sys.argv[1:separator] if a.startswith("--")]
    app, marked = (Path(a) for a in sys.argv[1:separator] if not a.startswith("--"))
    app = app.resolve()
    check_fixes = "--no-fixes" not in options
    trace = str(app.parent / "lsp-rpc.log")
    started = time.monotonic()
    server = Server(sys.argv[separator + 1:], app, trace)
    init = server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": app.as_uri(),
        "rootPath": str(app),
        "workspaceFolders": [{"uri": app.as_uri(), "name": app.name}],
        "capabilities": {
            "workspace": {"configuration": True, "workspaceFolders": True},
            "textDocument": {
                "synchronization": {"didSave": True},
                "publishDiagnostics": {"relatedInformation": True},
                "diagnostic": {"dynamicRegistration": False},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "refactor"]}}},
            },
        },
    }, timeout=120)
    capabilities = init["capabilities"]
    pull = "diagnosticProvider" in capabilities
    sync = capabilities.get("textDocumentSync", 1)
    sync = sync.get("change", 1) if isinstance(sync, dict) else sync
    server.notify("initialized", {})
    print("lsp-check: %s, %s diagnostics, %s sync" % (
        init.get("serverInfo", {}).get("name", "server") + " " + init.get("serverInfo", {}).get("version", ""),
        "pull (textDocument/diagnostic)" if pull else "push (textDocument/publishDiagnostics)", {1: "full", 2: "incremental"}.get(sync, sync)))

    # The files changed after opening go last, so the project is loaded when their correct text is checked.
    documents = sorted((Document(app, path) for path in marked.glob("*.cs")), key=lambda d: (d.name in CORRECT_FIRST, d.name))
    for document in documents:
        text = document.text
        if document.name in CORRECT_FIRST:
            _, start, end = document.marks[0]
            text = text[:start] + CORRECT_FIRST[document.name] + text[end:]
        server.notify("textDocument/didOpen", {"textDocument": {"uri": document.uri, "languageId": "csharp", "version": 1, "text": text}})

    deadline = started + TIMEOUT
    rows, misses, fix_misses = [], 0, 0
    for document in documents:
        if not document.marks:
            continue
        if document.name in CORRECT_FIRST:
            # Correct as opened: once the server answers for it, no DPH; then the mistake arrives by didChange.
            before = dph(wait_for(server, pull, document, lambda found: False, min(deadline, time.monotonic() + 5)))
            misses += bool(before)
            rows.append((document.name + " as opened", "no DPH", "", ", ".join(d["code"] + "@" + fmt(d["range"]) for d in before) or "(no DPH diagnostic)",
                         "", "MISS" if before else "ok"))
            _, start, end = document.marks[0]
            old = {"start": position(document.text, start), "end": position(document.text, start + len(CORRECT_FIRST[document.name]))}
            change = {"range": old, "text": document.text[start:end]} if sync == 2 else {"text": document.text}
            server.notify("textDocument/didChange", {"textDocument": {"uri": document.uri, "version": 2}, "contentChanges": [change]})
        for id, expected in document.expected():
            arrived = wait_for(server, pull, document, lambda found: any(d.get("code") == id and d["range"] == expected for d in found), deadline)
            at = [d for d in arrived if d.get("code") == id and d["range"] == expected]
            titles = []
            if at:
                actions = server.request("textDocument/codeAction", {
                    "textDocument": {"uri": document.uri}, "range": expected, "context": {"diagnostics": at, "only": None}}, timeout=120) or []
                titles = [action["title"] for action in actions]
            want = EXPECTED_FIXES.get(id)
            offered = [t for t in titles if want is not None and t.startswith(want)]
            ok = bool(at) and (want is None or bool(offered) or not check_fixes)
            misses += not ok
            fix_misses += bool(at) and not ok
            seen = ", ".join(d["code"] + "@" + fmt(d["range"]) for d in dph(arrived)) or "(no DPH diagnostic)"
            others = len(titles) - len(offered)
            fixes = "; ".join(offered + (["%d other action%s" % (others, "s" * (others != 1))] if others else [])) or "none"
            rows.append((document.name, id + "@" + fmt(expected), want or "(no fix yet)", seen, fixes, "ok" if ok else "MISS"))

    heads = ("file", "expected", "fix expected", "DPH arrived (id@line:col-line:col)", "fix offered", "")
    widths = [max(len(str(row[i])) for row in rows + [heads]) for i in range(len(heads))]
    for row in [heads, tuple("-" * w for w in widths)] + rows:
        print("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")
    print("lsp-check: %d of %d checks passed in %.0f s (protocol trace: %s)" % (len(rows) - misses, len(rows), time.monotonic() - started, trace))
    try:
        server.request("shutdown", None, timeout=10)
        server.notify("exit", None)
    except Exception:
        pass
    server.process.kill()
    if fix_misses:
        print("lsp-check: %d DeepPhys fix%s not offered. csharp-ls builds its code-fix providers by reflection from Roslyn's own "
              "Features and Workspaces assemblies and asks them about the semantic model's (compiler) diagnostics only: a "
              "package's CodeFixProvider is never loaded (docs/interop.md, 'Checking it in an editor')." % (fix_misses, "es" * (fix_misses != 1)), file=sys.stderr)
    if misses > fix_misses:
        print("lsp-check: server log (window/logMessage), last 40 lines:", file=sys.stderr)
        for line in server.log[-40:]:
            print("  " + line.replace("\n", "\n  "), file=sys.stderr)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
