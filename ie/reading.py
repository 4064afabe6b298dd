"""Reading bulletins as they come: files, directories, JSONL; any common Chinese encoding.

``iter_inputs(path)`` yields an ``InputDocument`` for each readable input, an ``InputFailure``
(with a one-line reason naming the file, and the line for JSONL) for each bad one and each
repeated document id, so that a batch goes on past bad files, and an ``InputSkipped`` for
each entry of a folder that is not read (another file type, a subfolder without
``recursive``, a link to a folder), so that the summary can say why. Its parts
(``input_files``, ``documents_of``, ``unique_ids``) serve the Ray engine too.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030/GBK or Big5: both
readings are tried and the one with more common Chinese characters wins (detectors confuse
short texts). A text whose encoding is clear but for a few bad bytes is decoded with
U+FFFD in their place, and the document carries a warning with their count and first
offsets; charset-normalizer decides when no reading is that close. Binary files (NUL
bytes, control characters) are refused. A JSONL file is decoded row by row: a bad byte
fails only its row.

JSONL rows are ``{"id": "...", "text": "..."}``; the id must be a non-empty string (a
number, null or an object is an error naming the file and line, so that ``12`` and ``"12"``
can never collide).

The text a file gives — the decoded content, BOM removed, line ends as in the file — is
the ORIGINAL text that record evidence offsets point into; ``read_text_file`` returns it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ie.text.chars import is_han

_CONTROL_LIMIT = 0.01  # share of control characters above which a text is binary


@dataclass(frozen=True)
class InputDocument:
    doc_id: str
    text: str
    source: str
    warnings: tuple[str, ...] = ()  # about its reading (replaced bytes)


@dataclass(frozen=True)
class InputFailure:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class InputSkipped:
    """An entry of an input folder that is not read, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class InputError(ValueError):
    """An input that cannot be read as text."""


REPLACEMENT = "\ufffd"
_REPLACED_LIMIT = 0.005  # runs of replacements per character for a reading to count as clear
_REPLACED_SHARE = 0.05   # and the share of characters they may take


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    replaced: tuple[int, ...] = ()  # where runs of U+FFFD put in for undecodable bytes start in ``text``

    def warning(self) -> str | None:
        if not self.replaced:
            return None
        first = ", ".join(str(offset) for offset in self.replaced[:5])
        return (f"{len(self.replaced)} undecodable byte run(s) of {self.encoding} text replaced by U+FFFD "
                f"(first at character {first}); records touching them are flagged replaced_characters")


def decode_bytes(data: bytes, *, strict: bool = False) -> DecodedText:
    """The text of ``data``; raises ``InputError`` for binary or undecodable data. ``strict``: no
    reading with replaced bytes (a JSONL row: a bad byte fails its row)."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as error:
            raise InputError(f"UTF-16 BOM but invalid UTF-16 at byte {error.start}") from None
    if b"\x00" in data[:65536]:
        raise InputError("binary file (NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        decoded = _decode_utf8(data[len(codecs.BOM_UTF8):], "utf-8-sig")
        if decoded is None:
            raise InputError("UTF-8 BOM but mostly invalid UTF-8")
    else:
        try:
            decoded = DecodedText(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as error:
            decoded = _decode_chinese(data, strict)
            if decoded is None:
                raise InputError(f"not UTF-8, GB18030 or Big5 text (byte {error.start})") from None
    text = decoded.text
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if text and controls / len(text) > _CONTROL_LIMIT:
        raise InputError(f"binary file ({controls} control characters), not text")
    return decoded


def _decode_utf8(data: bytes, name: str) -> DecodedText | None:
    """UTF-8 with replacements where the reading is clear but for a few bytes; None otherwise."""
    return _with_replacements(data, "utf-8", name)


def _with_replacements(data: bytes, encoding: str, name: str | None = None) -> DecodedText | None:
    text = data.decode(encoding, errors="replace")
    replaced = tuple(i for i, c in enumerate(text) if c == REPLACEMENT and (i == 0 or text[i - 1] != REPLACEMENT))
    if len(replaced) > max(3, _REPLACED_LIMIT * len(text)) or text.count(REPLACEMENT) > _REPLACED_SHARE * len(text):
        return None
    return DecodedText(text, name or encoding, replaced)


# The most frequent simplified characters: a GB18030 or Big5 reading of the bytes that is
# right holds many of them (after traditional -> simplified); a wrong one holds few.
COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其"
    "些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建"
    "月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器"
    "压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议"
    "声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复"
    "容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标"
    "写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞案警破获"
    "侦查犯罪嫌疑诈骗损失同比降升率涉元起"
)


def _plausibility(text: str) -> float:
    from ie.text.normalize import convert_script

    han = [c for c in convert_script(text, "t2s") if is_han(c)]
    return sum(c in COMMON for c in han) / len(han) if han else 0.0


def _decode_chinese(data: bytes, strict: bool = False) -> DecodedText | None:
    """Not strict UTF-8: the strict GB18030 and Big5 readings, and any reading that is clear but for a
    few replaced bytes; the one with most common Chinese characters wins (short texts fool detectors),
    then the one with fewer replacements. charset-normalizer guesses when none is that close."""
    readings = []
    for encoding in ("gb18030", "big5"):
        try:
            readings.append(DecodedText(data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if strict:
        return max(readings, key=lambda reading: _plausibility(reading.text)) if readings else None
    readings += [r for r in (_with_replacements(data, e) for e in ("utf-8", "gb18030", "big5")) if r is not None]
    if readings:
        return max(readings, key=lambda reading: (_plausibility(reading.text), -len(reading.replaced)))
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    if best is None:
        raise InputError("neither UTF-8, GB18030 nor Big5 text (too many undecodable bytes to replace)")
    return DecodedText(str(best), best.encoding)


def read_text_file(path: str | Path) -> str:
    return decode_bytes(Path(path).read_bytes()).text


TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def input_files(path: str | Path, *, recursive: bool = False) -> tuple[list[Path], list[InputSkipped]] | InputFailure:
    """The files an input names, in reading order, and the entries of a folder left out with the reason.

    A file is read as it is; a folder gives its ``.txt`` files (any case: ``A.TXT``), sorted, and
    with ``recursive`` those of its subfolders too (links to folders are not followed).
    """
    path = Path(path)
    if path.is_dir():
        files: list[Path] = []
        skipped: list[InputSkipped] = []
        try:
            _walk(path, recursive, files, skipped)
        except PermissionError:
            return InputFailure(str(path), "permission denied")
        if not files:
            reasons = "; ".join(str(s) for s in skipped[:3])
            return InputFailure(str(path), "folder holds no .txt file" + (f" ({reasons})" if reasons else ""))
        return sorted(files), skipped
    if path.is_file():
        return [path], []
    if path.is_symlink():
        return InputFailure(str(path), "a broken symbolic link")
    return InputFailure(str(path), "no such file or directory")


def _walk(folder: Path, recursive: bool, files: list[Path], skipped: list[InputSkipped]) -> None:
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink() and entry.is_dir():
            skipped.append(InputSkipped(str(entry), "a link to a folder, not followed"))
        elif entry.is_dir():
            if recursive:
                try:
                    _walk(entry, recursive, files, skipped)
                except PermissionError:
                    skipped.append(InputSkipped(str(entry), "permission denied"))
            else:
                skipped.append(InputSkipped(str(entry), "a subfolder (recursive=true reads subfolders)"))
        elif entry.is_file() and entry.suffix.lower() in TEXT_SUFFIXES:
            files.append(entry)
        elif entry.is_file():
            skipped.append(InputSkipped(str(entry), f"not a .txt file ({entry.suffix or 'no extension'})"))
        else:
            skipped.append(InputSkipped(str(entry), "not a regular file (a broken link, a device or a pipe)"))


def documents_of(path: Path, data: bytes) -> Iterator[InputDocument | InputFailure]:
    """The documents in one file's bytes: the rows of a ``.jsonl``/``.ndjson`` file, else the whole text.

    Takes the bytes rather than reading them, so that another reader (Ray Data) can use it.
    """
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl_rows(path, data)
        return
    try:
        decoded = decode_bytes(data)
    except InputError as error:
        yield InputFailure(str(path), str(error))
        return
    warning = decoded.warning()
    yield InputDocument(path.stem, decoded.text, str(path), (warning,) if warning else ())


def _jsonl_lines(data: bytes) -> Iterator[tuple[int, bytes | str]]:
    """``(line number, line)``: bytes lines, or text lines of a UTF-16 file (which cannot be split as bytes)."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        yield from enumerate(decode_bytes(data).text.split("\n"), start=1)  # not splitlines(): U+2028 in rows
        return
    yield from enumerate(data.split(b"\n"), start=1)


def _jsonl_rows(path: Path, data: bytes) -> Iterator[InputDocument | InputFailure]:
    try:
        lines = list(_jsonl_lines(data))
    except InputError as error:
        yield InputFailure(str(path), str(error))
        return
    for number, line in lines:
        source = f"{path}:{number}"
        warnings: tuple[str, ...] = ()
        if isinstance(line, bytes):
            if not line.strip():
                continue
            try:
                decoded = decode_bytes(line, strict=True)
            except InputError as error:
                yield InputFailure(source, str(error))
                continue
            line, warning = decoded.text, decoded.warning()
            warnings = (warning,) if warning else ()
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputFailure(source, f"not valid JSON: {error.msg}")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "id" not in row:
            yield InputFailure(source, 'expected an object with "id" and a string "text"')
            continue
        if not isinstance(row["id"], str) or not row["id"]:
            yield InputFailure(source, f'the "id" must be a non-empty string, not {json.dumps(row["id"])}')
            continue
        yield InputDocument(row["id"], row["text"], source, warnings)


def unique_ids(items: Iterable[InputDocument | InputFailure]) -> Iterator[InputDocument | InputFailure]:
    """The items with each repeated document id turned into a failure: the first one counts."""
    seen = set()
    for item in items:
        if isinstance(item, InputDocument) and item.doc_id in seen:
            item = InputFailure(item.source, f"duplicate document id {item.doc_id!r}, skipped")
        elif isinstance(item, InputDocument):
            seen.add(item.doc_id)
        yield item


def _documents_of_file(path: Path) -> Iterator[InputDocument | InputFailure]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield InputFailure(str(path), str(error))
        return
    yield from documents_of(path, data)


def iter_inputs(path: str | Path, *, recursive: bool = False) -> Iterator[InputDocument | InputFailure | InputSkipped]:
    """Documents of a ``.txt`` file, a folder of ``.txt`` files, or a JSONL file of ``{"id", "text"}``.

    A document id seen before in the input becomes a failure (``unique_ids``); the entries of a
    folder that are not read come first, as ``InputSkipped``.
    """
    yield from read_inputs(input_files(path, recursive=recursive))


def read_inputs(found: tuple[list[Path], list[InputSkipped]] | InputFailure,
                ) -> Iterator[InputDocument | InputFailure | InputSkipped]:
    """``iter_inputs`` over files already listed by ``input_files`` (listed once, before any output is written)."""
    if isinstance(found, InputFailure):
        yield found
        return
    files, skipped = found
    yield from skipped
    yield from unique_ids(item for file in files for item in _documents_of_file(file))
