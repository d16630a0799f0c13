"""Bytes to text: binary detection and a small, predictable decoding policy.

Policy (docs/errors.md): a byte-order mark decides (UTF-8, UTF-16, UTF-32); otherwise UTF-8; otherwise
Windows-1252, but only when every byte decodes and no control character results, because cp1252 maps
almost any byte string to *some* text and a wrong guess would silently corrupt every offset. Anything
else is NL102 with the offset of the first bad byte; ``encoding=`` forces a codec.
"""

from __future__ import annotations

import codecs

from newsledger.errors import BinaryInput, UndecodableText

#: How much of a file is inspected to tell binary from text.
SNIFF_BYTES = 8192

# Signatures of formats people drop into a folder of articles by mistake.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/ODT/EPUB)"),
    (b"\x1f\x8b", "a gzip file (name it .jsonl.gz if it holds JSON lines)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` announces."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def check_not_binary(head: bytes, *, where: str, lines: bool = False) -> None:
    """Raise NL103 when the first bytes of a file show it is not text.

    ``lines``: a line-based format (JSON Lines), where a NUL byte is the error of the line it is in,
    reported for that line alone, not a reason to drop every other line of the file. Only a NUL in the
    first line with no JSON object on any other line of ``head`` marks the file as binary."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise BinaryInput(
                f"this is {kind}, not text",
                where=where,
                hint="convert it to .txt or .html first, or leave it out",
            )
    sniffed = head.split(b"\n", 1)[0] if lines else head
    nul = sniffed.find(b"\x00", 0, SNIFF_BYTES)
    if nul >= 0 and lines and _holds_json_object_line(head):
        return
    if nul >= 0 and bom_encoding(head) not in ("utf-16", "utf-32"):
        raise BinaryInput(
            f"binary data (a NUL byte at offset {nul})",
            where=where,
            hint="only text, HTML and JSON Lines files can be read",
        )


def _holds_json_object_line(head: bytes) -> bool:
    """Whether a line of ``head`` after the first starts a JSON object: then the file is JSON Lines."""
    return any(line.lstrip().startswith(b"{") and b"\x00" not in line for line in head.split(b"\n")[1:])


def decode(data: bytes, *, where: str, encoding: str | None = None) -> str:
    """``data`` as text following the module's policy, or NL102."""
    if encoding is not None:
        return _decode_with(data, encoding, where=where)
    announced = bom_encoding(data)
    if announced is not None:
        return _decode_with(data, announced, where=where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = ""
        if text and not any(ch < " " and ch not in _ALLOWED_CONTROLS for ch in text):
            return text
        raise UndecodableText(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
            "and not clean Windows-1252 either",
            where=where,
            hint="re-save the file as UTF-8, or name its encoding with --encoding",
        ) from utf8_error


def _decode_with(data: bytes, encoding: str, *, where: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as error:
        raise UndecodableText(
            f"unknown encoding {encoding!r}", where=where, hint="use a Python codec name such as cp1252"
        ) from error
    except UnicodeDecodeError as error:
        raise UndecodableText(
            f"not valid {encoding} (byte 0x{data[error.start]:02x} at offset {error.start})",
            where=where,
            hint="re-save the file as UTF-8, or name its real encoding with --encoding",
        ) from error
