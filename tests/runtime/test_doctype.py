"""TMX and TBX with a DOCTYPE, as translate-toolkit's po2tmx and csv2tbx write them, are imported;
hostile variants of the same files (entities, a DTD or entity fetched from a URL) are refused
with `path:line: message`, exit 1, nothing written and nothing fetched."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.memory import tmx
from pipeline.qa import glossary
from tests.conftest import copy_project, run_cli, snapshot

TOOLS = Path(sys.executable).parent
REFUSED_ENTITY = ("refused: the {kind} declares an entity ({name!r}), which could read other "
                  "files or expand without end; remove its <!ENTITY> declarations (a <!DOCTYPE> "
                  "alone is fine) and import again")
REFUSED_DTD = ("refused: the {kind}'s <!DOCTYPE> names its DTD at {url!r}, which a parser could "
               "fetch; name the DTD by its file name alone (or remove the <!DOCTYPE>) and "
               "import again")


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leaked "fetched">')

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """The URL of a real HTTP server on this machine that records every request it gets."""
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    # polled often, so that shutdown() does not wait out serve_forever's default half second
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _po2tmx(project: Path) -> bytes:
    out = project / "incoming/site.tmx"
    out.parent.mkdir(exist_ok=True)
    subprocess.run([str(TOOLS / "po2tmx"), "-l", "es", "--progress=none",
                    str(project / "locales/es/LC_MESSAGES/site.po"), str(out)], check=True,
                   capture_output=True)
    return out.read_bytes()


def _csv2tbx(project: Path) -> bytes:
    csv = project / "incoming/terms.csv"
    csv.parent.mkdir(exist_ok=True)
    csv.write_text('"comment","source","target"\n'
                   '"the band of tissue under the foot","plantar fascia","fascia plantar"\n',
                   encoding="utf-8")
    out = project / "incoming/terms.tbx"
    subprocess.run([str(TOOLS / "csv2tbx"), "--progress=none", str(csv), str(out)], check=True,
                   capture_output=True)
    return out.read_bytes()


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What po2tmx and csv2tbx write from the project, by kind: made once, for the hostile
    variants of every test below."""
    scratch = copy_project(tmp_path_factory.mktemp("doctype") / "project")
    return {"TMX": _po2tmx(scratch), "TBX": _csv2tbx(scratch)}


def test_po2tmx_writes_a_doctype_and_memory_import_keeps_its_units(project: Path) -> None:
    data = _po2tmx(project)
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    result = run_cli(project, "memory", "import", "incoming/site.tmx")
    assert result.returncode == 0
    kept = tmx.read(project / "memory/es.tmx", "en")
    assert any(unit.source == "Skip to content" and unit.target == "Saltar al contenido"
               for unit in kept)


def test_csv2tbx_writes_a_doctype_and_glossary_import_keeps_its_terms(project: Path) -> None:
    data = _csv2tbx(project)
    assert b"<!DOCTYPE martif PUBLIC" in data
    assert b'xml:lang="xx"' in data  # csv2tbx is told no language: the one of --lang
    result = run_cli(project, "glossary", "import", "incoming/terms.tbx", "--lang", "es")
    assert "1 read, 1 added" in result.stdout
    assert any((term.term, term.translation) == ("plantar fascia", "fascia plantar")
               for term in glossary.load(project, "es").terms)


def _hostile(data: bytes, root: str, url: str) -> list[tuple[str, bytes, int, str]]:
    """Variants of a real file's prolog, each entity used in its first text: (name, bytes, line
    refused, what is refused)."""
    text = b"<seg>" if root == "tmx" else b"<term>"
    head, _, body = data.partition(b"\n<" + root.encode())
    body = b"<" + root.encode() + body
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    laughs = b"".join(b'  <!ENTITY l%d "%s">\n' % (number, b"&l%d;" % (number - 1) * 10)
                      for number in range(1, 10))
    return [
        ("internal-entity", xml + b"<!DOCTYPE %s [\n  <!ENTITY name \"Achilles\">\n]>\n" %
         root.encode() + body.replace(text, text + b"&name;", 1), 3, "'name'"),
        ("external-entity", xml + b'<!DOCTYPE %s [\n<!ENTITY secret SYSTEM "%s/secret">\n]>\n' %
         (root.encode(), url.encode()) + body.replace(text, text + b"&secret;", 1), 3,
         "'secret'"),
        ("billion-laughs", xml + b'<!DOCTYPE %s [\n  <!ENTITY l0 "lol">\n%s]>\n' %
         (root.encode(), laughs) + body.replace(text, text + b"&l9;", 1), 3, "'l0'"),
        ("parameter-entity", xml + b'<!DOCTYPE %s [\n\n<!ENTITY %% p SYSTEM "%s/p.dtd">\n%%p;\n]>'
         b"\n" % (root.encode(), url.encode()) + body, 4, "'p'"),
        ("external-dtd", xml + b'<!DOCTYPE %s SYSTEM "%s/evil.dtd">\n' %
         (root.encode(), url.encode()) + body, 2, f"{url}/evil.dtd"),
        ("doctype-path", xml + b"\n" + head.split(b"\n", 1)[1].replace(
            b'"tmx14.dtd"', b'"/etc/passwd"').replace(b'"TBXcdv04.dtd"', b'"../../x.dtd"')
         + b"\n" + body, 3, ""),
    ]


@pytest.mark.parametrize("variant", ["internal-entity", "external-entity", "billion-laughs",
                                     "parameter-entity", "external-dtd", "doctype-path"])
@pytest.mark.parametrize("kind", ["TMX", "TBX"])
def test_a_hostile_doctype_is_refused_with_its_line_and_nothing_is_written_or_fetched(
        project: Path, server: str, real: dict[str, bytes], kind: str, variant: str) -> None:
    root = "tmx" if kind == "TMX" else "martif"
    name, data, line, what = next(item for item in _hostile(real[kind], root, server)
                                  if item[0] == variant)
    path = f"incoming/{name}.{kind.lower()}"
    (project / "incoming").mkdir()
    (project / path).write_bytes(data)
    run_cli(project, "extract")  # the cache made, so that the snapshot below sees every change
    before = {folder: snapshot(project / folder) for folder in ("memory", "glossary", "locales")}
    verb = ("memory", "import", path) if kind == "TMX" else ("glossary", "import", path,
                                                              "--lang", "es")
    result = run_cli(project, *verb, check=False)
    if variant == "external-dtd":
        message = REFUSED_DTD.format(kind=kind, url=what)
    elif variant == "doctype-path":
        message = REFUSED_DTD.format(kind=kind, url="/etc/passwd" if kind == "TMX"
                                     else "../../x.dtd")
    else:
        message = REFUSED_ENTITY.format(kind=kind, name=what.strip("'"))
    assert (result.returncode, result.stderr) == (1, f"{path}:{line}: {message}\n")
    assert {folder: snapshot(project / folder)
            for folder in ("memory", "glossary", "locales")} == before
    assert _Recorder.requests == []
