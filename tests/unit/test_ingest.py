"""Readers turn text, HTML, JSON Lines, folders and stdin into Articles, or coded Failures."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest

from newsledger.errors import BadMetadata, BadOption, Failure
from newsledger.ingest import (
    DateOrder,
    InputFormat,
    Metadata,
    ReadOptions,
    article_id,
    count_items,
    iter_files,
    parse_date,
    parse_fields,
    read,
)
from newsledger.model import Article

BODY = "The minister said on Monday that talks would resume.\nOfficials declined to comment."
HTML = (
    "<html><head><title>Talks to resume</title>"
    '<meta property="og:site_name" content="The Daily Example">'
    '<meta name="date" content="2021-03-04"></head>'
    "<body><nav>Home | World</nav><article><h1>Talks to resume</h1>"
    "<p>The minister said on Monday that talks would resume after a pause of several weeks.</p>"
    "<p>Officials declined to comment on the timing, citing the sensitivity of the negotiations.</p>"
    "</article><footer>Copyright</footer></body></html>"
)


def _one(path: Path | str, options: ReadOptions | None = None) -> Article | Failure:
    results = list(read(path, options))
    assert len(results) == 1, results
    return results[0]


def _article(path: Path | str, options: ReadOptions | None = None) -> Article:
    result = _one(path, options)
    assert isinstance(result, Article), result
    return result


def _failure(path: Path | str, options: ReadOptions | None = None) -> Failure:
    result = _one(path, options)
    assert isinstance(result, Failure), result
    return result


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --- plain text --------------------------------------------------------------------------------------


def test_text_file_reads_text_and_computes_id(tmp_path: Path) -> None:
    """A .txt file becomes one Article whose id hashes its text."""
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    article = _article(path)
    assert article.text == BODY
    assert article.id == article_id(BODY)
    assert article.origin == str(path)


def test_text_file_takes_metadata_from_sidecar(tmp_path: Path) -> None:
    """A same-name .json next to a .txt gives title, date, outlet, url and id."""
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    sidecar = {"title": "T", "published": "2020-05-06", "outlet": "O", "url": "https://x.test/a", "id": "a-1"}
    (tmp_path / "a.json").write_text(json.dumps(sidecar), encoding="utf-8")
    article = _article(tmp_path / "a.txt")
    assert (article.id, article.title, article.published, article.outlet, article.url) == (
        "a-1",
        "T",
        dt.date(2020, 5, 6),
        "O",
        "https://x.test/a",
    )


def test_text_file_takes_metadata_from_front_matter(tmp_path: Path) -> None:
    """A leading ---/--- block of key: value lines is metadata, and not part of the text."""
    path = tmp_path / "a.txt"
    path.write_text(f'---\ntitle: "Quoted: title"\npublished: 2019-01-02\nauthor: ignored\n---\n\n{BODY}')
    article = _article(path)
    assert article.title == "Quoted: title"
    assert article.published == dt.date(2019, 1, 2)
    assert article.text == BODY


def test_text_file_without_closing_fence_keeps_text(tmp_path: Path) -> None:
    """A leading --- with no closing fence is a rule in the text, not metadata."""
    path = tmp_path / "a.txt"
    path.write_text(f"---\n{BODY}")
    assert _article(path).text == f"---\n{BODY}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (BODY.encode("utf-8"), BODY),
        (b"\xef\xbb\xbf" + "Caf\u00e9 talks.".encode(), "Caf\u00e9 talks."),
        ("Caf\u00e9 talks \u201cresume\u201d.".encode("cp1252"), "Caf\u00e9 talks \u201cresume\u201d."),
        ("Caf\u00e9 talks.".encode("utf-16"), "Caf\u00e9 talks."),
        (b"line one\r\nline two\r\n", "line one\nline two\n"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-bom", "crlf"],
)
def test_text_file_decodes_by_policy(tmp_path: Path, data: bytes, expected: str) -> None:
    """UTF-8 (BOM or not), BOM-marked UTF-16 and clean cp1252 decode; CRLF becomes LF."""
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert _article(path).text == expected


def test_metadata_options_override_input(tmp_path: Path) -> None:
    """Caller metadata (--published, --outlet...) replaces the input's own."""
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "a.json").write_text('{"outlet": "Old", "published": "2001-01-01"}')
    options = ReadOptions(metadata=Metadata(outlet="New", published=dt.date(2002, 2, 2)))
    article = _article(tmp_path / "a.txt", options)
    assert (article.outlet, article.published) == ("New", dt.date(2002, 2, 2))


# --- bad input: one coded failure naming the place --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("bad.txt", b"caf\xc3 \x81\x8d broken", "NL102"),
        ("ctrl.txt", b"caf\xe9\x01 with a control byte", "NL102"),
        ("nul.txt", b"text\x00with a NUL byte", "NL103"),
        ("doc.txt", b"%PDF-1.7\n...", "NL103"),
        ("image.html", b"\x89PNG\r\n\x1a\n....", "NL103"),
        ("empty.txt", b"", "NL104"),
        ("blank.txt", b" \n\t\r\n  ", "NL104"),
        ("frontonly.txt", b"---\ntitle: x\n---\n\n", "NL104"),
        ("nobody.html", b"<html><head><title>x</title></head><body></body></html>", "NL105"),
        (
            "index.html",
            b'<html><body><ul><li><a href="/a">Story one</a></li><li><a href="/b">Two</a></li></ul>',
            "NL105",
        ),
        ("notes.docx", b"hello", "NL108"),
        ("date.txt", b"---\npublished: 21/01/2018\n---\nSome text.", "NL109"),
        ("implausible.txt", b"---\npublished: 0001-11-30\n---\nSome text.", "NL109"),
        ("frontline.txt", b"---\nno colon here\n---\nSome text.", "NL109"),
    ],
)
def test_bad_file_gives_coded_failure(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    """Each kind of bad file yields one Failure with its code and the file's path."""
    path = tmp_path / name
    path.write_bytes(data)
    failure = _failure(path)
    assert failure.code == code
    assert failure.where.startswith(str(path))
    assert failure.stage == "read"
    assert failure.hint


def test_bad_sidecar_gives_coded_failure(tmp_path: Path) -> None:
    """A sidecar that is not a JSON object fails the article with NL109 naming the sidecar."""
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "a.json").write_text("[1, 2")
    failure = _failure(tmp_path / "a.txt")
    assert (failure.code, failure.where) == ("NL109", str(tmp_path / "a.txt"))
    assert "not valid JSON" in failure.message


def test_missing_path_gives_coded_failure(tmp_path: Path) -> None:
    """A path that does not exist is NL101, not an exception."""
    assert _failure(tmp_path / "nope.txt").code == "NL101"


def test_text_over_limit_gives_coded_failure(tmp_path: Path) -> None:
    """A file over max_bytes is refused (NL107) before it is read."""
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    assert _failure(path, ReadOptions(max_bytes=100)).code == "NL107"


def test_forced_encoding_is_used(tmp_path: Path) -> None:
    """encoding= decodes with that codec, even where UTF-8 would also work."""
    path = tmp_path / "a.txt"
    path.write_bytes("\u00e9t\u00e9".encode())
    assert _article(path, ReadOptions(encoding="latin-1")).text == "\u00c3\u00a9t\u00c3\u00a9"


# --- HTML --------------------------------------------------------------------------------------------


def test_html_file_extracts_main_text_and_metadata(tmp_path: Path) -> None:
    """The article body and its metadata come out; navigation and footer do not."""
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = _article(path)
    assert "talks would resume" in article.text
    assert "Home | World" not in article.text
    assert (article.title, article.outlet, article.published) == (
        "Talks to resume",
        "The Daily Example",
        dt.date(2021, 3, 4),
    )


# --- JSON Lines --------------------------------------------------------------------------------------


def test_jsonl_reads_every_record_with_metadata(tmp_path: Path) -> None:
    """Default keys id, title, text, published, outlet, url become Article fields."""
    path = _jsonl(
        tmp_path / "a.jsonl",
        {"id": "x1", "title": "T", "text": BODY, "published": "2020-01-02", "outlet": "O", "url": "u"},
        {"id": 7, "text": "Second article."},
    )
    first, second = read(path)
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert (first.id, first.published, first.origin) == ("x1", dt.date(2020, 1, 2), f"{path}:1")
    assert second.id == "7"


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("2018-01-21", None, dt.date(2018, 1, 21)),
        ("2018-01-21T23:30:00-05:00", None, dt.date(2018, 1, 21)),
        ("Sun, 21 Jan 2018 10:00:00 GMT", None, dt.date(2018, 1, 21)),
        ("21 January 2018", None, dt.date(2018, 1, 21)),
        ("January 21, 2018", None, dt.date(2018, 1, 21)),
        ("Sept. 3, 2017", None, dt.date(2017, 9, 3)),
        ("Sunday, January 21st, 2018 10:00", None, dt.date(2018, 1, 21)),
        ("3/8/17", DateOrder.MDY, dt.date(2017, 3, 8)),
        ("3/8/17", DateOrder.DMY, dt.date(2017, 8, 3)),
        ("21.01.2018", DateOrder.DMY, dt.date(2018, 1, 21)),
        ("12/30/97", DateOrder.MDY, dt.date(1997, 12, 30)),
        (None, None, None),
        ("  ", DateOrder.MDY, None),
    ],
)
def test_parse_date_reads_common_forms(
    value: str | None, order: DateOrder | None, expected: dt.date | None
) -> None:
    """ISO, RFC 2822, month names always; all-numeric dates with the order the caller gives."""
    assert parse_date(value, where="x", order=order) == expected


@pytest.mark.parametrize(
    ("value", "order", "message"),
    [
        ("1/21/18", None, "does not guess if month or day"),
        ("1/21/18", DateOrder.DMY, "not a valid date when read as dmy"),
        ("Foo 21, 2018", None, "not a date"),
        ("0001-11-30", None, "not a plausible"),
        ("31 February 2018", None, "not a date"),
    ],
)
def test_parse_date_rejects_what_it_cannot_read(value: str, order: DateOrder | None, message: str) -> None:
    with pytest.raises(BadMetadata, match=message) as raised:
        parse_date(value, where="a.jsonl:3", order=order)
    assert raised.value.code == "NL109"
    assert raised.value.where == "a.jsonl:3"


def test_jsonl_date_order_reads_us_dates(tmp_path: Path) -> None:
    """A corpus of US dates ("1/21/18") reads with date_order=mdy and fails, naming the option, without."""
    path = _jsonl(tmp_path / "us.jsonl", {"id": "a", "text": BODY, "published": "1/21/18"})
    (article,) = read(path, ReadOptions(date_order=DateOrder.MDY))
    assert isinstance(article, Article)
    assert article.published == dt.date(2018, 1, 21)
    (failure,) = read(path)
    assert isinstance(failure, Failure)
    assert failure.code == "NL109"
    assert "--date-order" in failure.hint


def test_jsonl_gz_streams(tmp_path: Path) -> None:
    """.jsonl.gz is decompressed while read."""
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for i in range(3):
            stream.write(json.dumps({"text": f"Article {i}."}) + "\n")
    assert [a.text for a in read(path) if isinstance(a, Article)] == [
        "Article 0.",
        "Article 1.",
        "Article 2.",
    ]


def test_jsonl_field_mapping(tmp_path: Path) -> None:
    """--field text=body reads the text from another key."""
    path = _jsonl(tmp_path / "a.jsonl", {"body": BODY, "date": "2020-01-02"})
    options = ReadOptions(fields=parse_fields(["text=body", "published=date"]))
    article = _article(path, options)
    assert (article.text, article.published) == (BODY, dt.date(2020, 1, 2))


def test_jsonl_bad_lines_fail_alone(tmp_path: Path) -> None:
    """Each bad line is a Failure naming file:line; the good lines around it still come through."""
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "Fine."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "nt", "body": "no text key"}),
        json.dumps({"id": "num", "text": 12}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "date", "text": "Dated badly.", "published": "1/21/18"}),
        json.dumps({"id": "title", "text": "Odd title.", "title": {"a": 1}}),
        "",
        json.dumps({"id": "ok2", "text": "Also fine."}),
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "caf\xe9"}\n')
    results = list(read(path))
    codes = [
        (r.code, r.where.rsplit(":", 1)[1], r.article_id) if isinstance(r, Failure) else r.id for r in results
    ]
    assert codes == [
        "ok1",
        ("NL106", "2", None),
        ("NL106", "3", None),
        ("NL106", "4", "nt"),
        ("NL106", "5", "num"),
        ("NL104", "6", "empty"),
        ("NL109", "7", "date"),
        ("NL109", "8", "title"),
        "ok2",
        ("NL102", "11", None),
    ]


def test_jsonl_overlong_line_is_skipped(tmp_path: Path) -> None:
    """A line far over the size limit fails with NL107 without stopping the next line."""
    path = _jsonl(tmp_path / "a.jsonl", {"text": "x" * 5000}, {"text": "Short."})
    results = list(read(path, ReadOptions(max_bytes=100)))
    assert isinstance(results[0], Failure)
    assert results[0].code == "NL107"
    assert isinstance(results[1], Article)


def test_jsonl_truncated_gzip_reports_and_keeps_earlier_lines(tmp_path: Path) -> None:
    """A cut-off .gz yields the lines before the damage, then one NL101 failure."""
    data = gzip.compress(b"".join(json.dumps({"text": f"Article {i}."}).encode() + b"\n" for i in range(200)))
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    results = list(read(path))
    assert isinstance(results[-1], Failure)
    assert results[-1].code == "NL101"
    assert all(isinstance(r, Article) for r in results[:-1])


def test_jsonl_binary_file_fails_once(tmp_path: Path) -> None:
    """A binary file named .jsonl is one NL103 failure, not one per line."""
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\x00\x01\x02\n" * 50)
    assert _failure(path).code == "NL103"


@pytest.mark.parametrize(
    ("data", "kinds", "failed_line"),
    [
        (b'{"id": "a", "text": "Officials said talks resumed."}\n\x00\n', [Article, Failure], ":2"),
        (b'\x00\n{"id": "a", "text": "Officials said talks resumed."}\n', [Failure, Article], ":1"),
    ],
    ids=["later-line", "first-line-before-records"],
)
def test_jsonl_nul_byte_fails_only_its_line(
    tmp_path: Path, data: bytes, kinds: list[type], failed_line: str
) -> None:
    """A NUL byte in a file whose other lines are JSON objects is its line's failure; the rest is read."""
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    results = list(read(path))
    assert [type(r) for r in results] == kinds
    failure = next(r for r in results if isinstance(r, Failure))
    assert failure.where is not None
    assert failure.where.endswith(failed_line)


def test_jsonl_is_lazy(tmp_path: Path) -> None:
    """Reading yields the first article before the rest of the file is parsed."""
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "First."}) + "\n" + "{broken\n" * 1000)
    first = next(iter(read(path)))
    assert isinstance(first, Article)


# --- folders, stdin, options ------------------------------------------------------------------------


def test_folder_is_read_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    """Folders are walked in sorted order; hidden files and folders and sidecars are skipped."""
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.txt", "a.txt", ".secret.txt", ".hidden/x.txt", "c.html", "readme.md"):
        (tmp_path / name).write_text(HTML if name.endswith(".html") else BODY)
    (tmp_path / "a.json").write_text('{"title": "A"}')
    assert [p.relative_to(tmp_path).as_posix() for p in iter_files(tmp_path)] == [
        "a.txt",
        "b/2.txt",
        "c.html",
    ]
    assert len(list(read(tmp_path))) == 3


def test_stdin_reads_text_or_jsonl() -> None:
    """- reads one text article from stdin, or JSON Lines with format=jsonl."""
    (article,) = read("-", stdin=io.BytesIO(BODY.encode()))
    assert isinstance(article, Article)
    assert (article.text, article.origin) == (BODY, "-")
    records = b'{"text": "One."}\n{"text": "Two."}\n'
    results = list(read("-", ReadOptions(format=InputFormat.JSONL), stdin=io.BytesIO(records)))
    assert [r.origin for r in results if isinstance(r, Article)] == ["-:1", "-:2"]


def test_stdin_over_limit_fails() -> None:
    """stdin larger than the limit is NL107."""
    (failure,) = read("-", ReadOptions(max_bytes=10), stdin=io.BytesIO(b"x" * 100))
    assert isinstance(failure, Failure)
    assert failure.code == "NL107"


def test_forced_format_overrides_extension(tmp_path: Path) -> None:
    """format=jsonl reads a file whatever its name."""
    path = _jsonl(tmp_path / "records.data", {"text": "One."})
    assert _article(path, ReadOptions(format=InputFormat.JSONL)).text == "One."


@pytest.mark.parametrize("spec", ["text", "=body", "text="])
def test_parse_fields_rejects_bad_spec(spec: str) -> None:
    """--field must be NAME=KEY."""
    with pytest.raises(BadOption):
        parse_fields([spec])


def test_options_reject_unknown_field() -> None:
    """Only article fields can be mapped."""
    with pytest.raises(BadOption, match="unknown field"):
        ReadOptions(fields={"author": "by"})


def test_count_items_counts_lines_and_files(tmp_path: Path) -> None:
    """count_items adds JSON lines and files; stdin is unknowable."""
    _jsonl(tmp_path / "a.jsonl", {"text": "1"}, {"text": "2"})
    (tmp_path / "b.txt").write_text(BODY)
    assert count_items(tmp_path) == 3
    assert count_items(["-"]) is None
