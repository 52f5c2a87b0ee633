"""Bytes to text when the charset label may be missing, unknown or wrong: mail lies about charsets."""

from __future__ import annotations

import codecs
import contextlib
import re
from functools import lru_cache
from itertools import pairwise

# Labels seen in real mail that Python does not know, or knows as a narrower charset than mailers use.
_ALIASES: dict[str, str] = {
    "unicode-1-1-utf-7": "utf-7",
    "utf7": "utf-7",
    "x-utf-7": "utf-7",
    "utf8": "utf-8",
    "x-utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "unicode": "utf-16",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cn-gb": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "chinese": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "koi8-ru": "koi8_u",
    "x-koi8-r": "koi8-r",
    "cp-1251": "cp1251",
    "win-1251": "cp1251",
    "x-cp1251": "cp1251",
    "windows-1251": "cp1251",
    "cp-866": "cp866",
    "ibm866": "cp866",
}

# Single-byte codecs decode almost any bytes: a success proves little, so valid utf-8 wins over them.
_SINGLE_BYTE = re.compile(r"^(cp12\d\d|iso8859-\d+|koi8[-_][ru]|cp866|cp874|mac[-_]\w+|ascii)$")
# Western labels that Cyrillic mail is often sent under by misconfigured mailers.
_WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15", "ascii"})
_CYRILLIC_PAIR = frozenset({"cp1251", "koi8-r"})

_ISO2022_ESCAPE = re.compile(rb"(\x1b\$[@B]|\x1b\$\([@BDOPQ]|\x1b\([BJI])")
_LONE_HIGH = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")
_KANA = re.compile(r"[\u3041-\u30ff]")
_HIGH_WORD = re.compile(rb"[\xc0-\xff]{3,}")
# Detector answers we believe; on short text detectors like to answer exotic code pages.
_PLAUSIBLE = re.compile(r"^(utf[-_]8|cp125\d|iso8859-(1|2|5|7|9|15)|koi8[-_][ru]|cp866|gb18030|big5.*|cp932|"
                        r"shift_jis|euc[-_](jp|kr)|cp949|iso2022.*)$")
# Codecs whose 7-bit input is not plain ASCII text.
_NOT_ASCII_SAFE = re.compile(r"^(utf[-_]7|utf[-_](16|32).*|iso2022.*|hz)$")
_LABEL_JUNK = re.compile(r"[\s\"';]+")
_BYTES_FROM = {lo: bytes(range(lo, 0x100)) for lo in (0x80, 0xC0, 0xE0)}
_BYTES_80_BF = bytes(range(0x80, 0xC0))
_BYTES_81_9F = bytes(range(0x81, 0xA0))
_BYTES_80_AF = bytes(range(0x80, 0xB0))
_BYTES_E0_F1 = bytes(range(0xE0, 0xF2))
_CP866_WORD = re.compile(rb"[\x80-\xaf\xe0-\xf1]{3,}")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _count(data: bytes, byte_range: bytes) -> int:
    """How many bytes of `data` are in `byte_range`: deleting them in C beats a Python loop over every byte."""
    return len(data) - len(data.translate(None, byte_range))


@lru_cache(maxsize=512)
def normalize_label(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is empty or unknown (memoized: mail
    uses a handful of labels, and codecs.lookup is not free)."""
    if not label:
        return None
    low = _LABEL_JUNK.sub("", label).lower()
    low = _ALIASES.get(low, low)
    if not low.isascii():
        return None
    for name in (low, _spelling(low)):
        try:
            return codecs.lookup(_ALIASES.get(name, name)).name
        except (LookupError, ValueError):  # ValueError: a NUL or other junk in the label
            continue
    return None


def _spelling(label: str) -> str:
    """A label's other spellings as mailers write them: `x-`/`x-x-` prefixes (`x-x-big5`, `x-euc-jp`,
    `x-windows-949`), a code page with a dash or a `win`/`windows` prefix (`cp-850`, `win-1252`,
    `windows1252`), `koi8`/`koi8u` without the dash, `windows-31j` (Java's name for cp932)."""
    bare = re.sub(r"^(?:x-)+", "", label)
    page = re.fullmatch(r"(?:cp|ibm|win|windows|ms)[-_]?(\d{3,4})", bare)
    if page:
        return "cp" + page.group(1)
    koi8 = re.fullmatch(r"koi8[-_]?([ru]?)", bare)
    if koi8:
        return "koi8-" + (koi8.group(1) or "r")
    return {"windows-31j": "cp932", "mac-ce": "mac_latin2", "gb_2312-80": "gb18030"}.get(bare, bare)


def looks_cyrillic(data: bytes) -> bool:
    """True when 8-bit bytes look like Russian in cp1251/koi8-r: letters (0xC0-0xFF) forming whole words.

    CJK double-byte text has many bytes below 0xC0; Western text has few 8-bit letters and no runs of them.
    """
    high = _count(data, _BYTES_FROM[0x80])
    if high < 3:
        return False
    letters = _count(data, _BYTES_FROM[0xC0])
    if letters / high < 0.8:
        return False
    ascii_letters = _count(data, _ASCII_LETTERS)
    if letters < ascii_letters * 0.6:
        return False
    in_words = sum(len(m) for m in _HIGH_WORD.findall(data))
    return in_words / high >= 0.5


def looks_chinese(data: bytes) -> bool:
    """True when 8-bit bytes come in pairs that decode as GBK (raw Chinese headers); Latin text has lone ones."""
    high = _count(data, _BYTES_FROM[0x80])
    if high < 4:
        return False
    # GBK trail bytes often fall in 0x80-0xBF, where Latin-1 has symbols, not letters: umlaut runs never do
    if _count(data, _BYTES_80_BF) * 4 < high:
        return False
    lone = len(_LONE_HIGH.findall(data))
    if lone * 10 > high:
        return False
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _cp1252_for_bad_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", "replace"), exc.end


codecs.register_error("postdesk-cp1252", _cp1252_for_bad_bytes)


def _mostly_utf8(data: bytes) -> str | None:
    """Text that is utf-8 with a few stray 8-bit bytes (mixed sources pasted together), or None if not."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII characters that decoded
    if good <= bad:
        return None
    return data.decode("utf-8", "postdesk-cp1252")


def looks_shift_jis(data: bytes) -> bool:
    """True when the bytes decode as Shift_JIS into text with kana, which Western text never turns into."""
    if _count(data, _BYTES_81_9F) < 2:
        return False
    try:
        return _KANA.search(data.decode("cp932")) is not None
    except UnicodeDecodeError:
        return False


def _iso2022jp_to_euc(data: bytes) -> bytes:
    """Re-encode ISO-2022-JP as EUC-JP so that JIS X 0213 (NEC circled digits and the like) can decode it."""
    out = bytearray()
    mode = b"B"
    for chunk in _ISO2022_ESCAPE.split(data):
        if _ISO2022_ESCAPE.fullmatch(chunk):
            mode = b"J" if chunk[1:2] == b"$" else chunk[2:3]
            continue
        if mode == b"J":
            out += bytes(b | 0x80 if 0x21 <= b <= 0x7E else b for b in chunk)
        elif mode == b"I":
            for b in chunk:
                out += bytes((0x8E, b | 0x80)) if 0x21 <= b <= 0x5F else bytes((b,))
        else:
            out += chunk
    return bytes(out)


def guess_cyrillic(data: bytes, margin: float = 1.0) -> str:
    """cp1251 or koi8-r by letter case: lower-case letters are 0xE0-0xFF in cp1251 and 0xC0-0xDF in koi8-r.

    With a margin above 1 (a label is being overruled) the answer is "undecided" unless one case clearly wins.
    """
    upper_half = _count(data, _BYTES_FROM[0xE0])
    lower_half = _count(data, _BYTES_FROM[0xC0]) - upper_half
    if margin > 1.0 and max(upper_half, lower_half) < margin * min(upper_half, lower_half):
        return "undecided"
    return "cp1251" if upper_half >= lower_half else "koi8-r"


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def double_byte_under_western_label(data: bytes, label: str) -> bool:
    """Whether bytes labelled Latin-1/cp1252/ascii come in the pairs of a CJK double-byte charset: such a label is
    often a wrapper's (a spam filter's Latin-1 report) and says nothing of the GBK or Shift_JIS header it carries;
    a label of another script (iso-8859-2, cp1251, koi8-r …) was chosen by a mailer of that script and is kept."""
    return normalize_label(label) in _WESTERN and (looks_chinese(data) or looks_shift_jis(data))


def _case_flips(data: bytes) -> bool:
    """Whether runs of 8-bit letters change case inside a word as no Cyrillic text does: in cp1251 and koi8-r the
    halves 0xC0-0xDF and 0xE0-0xFF are the two cases, and a word switches at most once, after its capital; GBK's
    lead and trail bytes (`整体提升` read as cp1251: `уШлЕлАиЩ`) switch at every other byte."""
    pairs = flips = 0
    for run in _HIGH_WORD.findall(data):
        for a, b in pairwise(run[1:]):  # the capital's switch to lower case is a word's first pair: skipped
            pairs += 1
            flips += (a >= 0xE0) != (b >= 0xE0)
    return pairs >= 3 and flips * 4 > pairs


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def _looks_cp866(data: bytes) -> bool:
    """Russian from a DOS program (cp866): letters at 0x80-0xAF and 0xE0-0xF1, whole words of them; Western
    text has lone accented letters, and cp1251/koi8-r letters sit at 0xC0-0xFF."""
    high = _count(data, _BYTES_FROM[0x80])
    if high < 3:
        return False
    low_letters = _count(data, _BYTES_80_AF)
    if low_letters * 10 < high * 4 or (low_letters + _count(data, _BYTES_E0_F1)) * 10 < high * 9:
        return False
    return sum(len(m) for m in _CP866_WORD.findall(data)) * 2 >= high


def _east_asian(data: bytes) -> str | None:
    """Japanese or Korean double-byte text, which also decodes as GBK: Japanese by its kana (a fifth of the
    characters at least; Chinese text has none), Korean by Hangul syllables in short runs between blanks
    (Korean separates words; Chinese runs on to the next punctuation, so GBK read as cp949 gives long runs)."""
    for codec in ("cp932", "euc_jp"):
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(codec)
            wide = len(text) - sum(c.isascii() for c in text)
            if wide and len(_KANA.findall(text)) * 5 >= wide:
                return codec
    with contextlib.suppress(UnicodeDecodeError):
        text = data.decode("cp949")
        runs = _HIGH_RUN.findall(data)
        wide = len(text) - sum(c.isascii() for c in text)
        if len(runs) >= 3 and sum(map(len, runs)) <= 10 * len(runs) and len(_HANGUL.findall(text)) * 10 >= wide * 9:
            return "cp949"
    return None


def _detect(data: bytes) -> str:
    """Best codec for 8-bit bytes that are not utf-8: Cyrillic heuristic, then charset_normalizer, then cp1252."""
    if looks_cyrillic(data) and not (_case_flips(data) and _decodes(data, "gb18030")):
        return guess_cyrillic(data)
    if _looks_cp866(data):
        return "cp866"
    east_asian = _east_asian(data) if _count(data, _BYTES_FROM[0x80]) >= 4 else None
    if east_asian is not None:
        return east_asian
    if _case_flips(data) and _decodes(data, "gb18030"):
        return "gb18030"
    if looks_chinese(data):
        return "gb18030"
    if looks_shift_jis(data):
        return "cp932"
    high = _count(data, _BYTES_FROM[0x80])
    if high < 16 or len(_LONE_HIGH.findall(data)) * 2 >= high:
        return "cp1252"  # a few accented letters, or letters between ASCII ones: Western European
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
    except Exception:  # the detector is an optional nicety; never let it break parsing
        best = None
    codec = normalize_label(best.encoding) if best is not None else None
    return codec if codec and _PLAUSIBLE.match(codec) else "cp1252"


def _by_label(data: bytes, codec: str, shown: str, prefix: str) -> tuple[str, str | None] | None:
    """The bytes read with the codec of their label, or None when the label does not fit them. Single-byte
    labels decode anything, so there bytes that are really utf-8 or Cyrillic in another codec betray a wrong
    label; bytes labelled ascii are never taken as they are here (they were not ascii)."""
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if not _SINGLE_BYTE.match(codec):
        return text, (f"{prefix}, decoded as {codec}" if prefix.endswith("mislabelled") else None)
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), f"charset: {shown} mislabelled, decoded as utf-8"
    if (codec in _WESTERN or codec in _CYRILLIC_PAIR) and looks_cyrillic(data):
        # cp1251 read as koi8-r (or back) comes out in the wrong letter case
        guess = guess_cyrillic(data, margin=1.0 if codec in _WESTERN else 2.0)
        if guess not in (codec, "undecided"):
            return data.decode(guess, "replace"), f"charset: {shown} mislabelled, decoded as {guess}"
    return (text, None) if codec != "ascii" else None


def decode_bytes(data: bytes, label: str | None) -> tuple[str, str | None]:
    """Decode with the label if it fits, else utf-8, else a detected charset; returns (text, defect or None)."""
    if not data:
        return "", None
    codec = normalize_label(label)
    shown = (label or "").strip()[:40]
    if codec is None:
        unknown = shown.lower() not in ("", "unknown-8bit", "x-unknown", "default")
        prefix = f"charset: unknown {shown}" if unknown else "charset: missing"
    else:
        prefix = f"charset: {shown} does not fit"
    if data.isascii() and (codec is None or not _NOT_ASCII_SAFE.match(codec)):
        return data.decode("ascii"), None
    if codec is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16"), None
    if codec is not None and codec.startswith("iso2022"):
        if not data.isascii():  # 8-bit bytes are never ISO-2022: Shift_JIS or utf-8 under a wrong label
            candidates = ("utf-8", "euc_jis_2004", "cp932") if codec.startswith("iso2022_jp") else ("utf-8",)
            for candidate in candidates:  # EUC-JP first: Shift_JIS lead bytes 0x81-0x9F are invalid in it
                with contextlib.suppress(UnicodeDecodeError):
                    return data.decode(candidate), f"charset: {shown} mislabelled, decoded as {candidate}"
            codec = None
            prefix = f"charset: {shown} mislabelled"
        elif codec.startswith("iso2022_jp"):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError:  # vendor characters (circled digits): JIS X 0213 knows them
                with contextlib.suppress(UnicodeDecodeError):
                    return _iso2022jp_to_euc(data).decode("euc_jis_2004"), None
                return data.decode(codec, "replace"), f"{prefix}, undecodable characters replaced"
    if codec is not None and (labelled := _by_label(data, codec, shown, prefix)) is not None:
        return labelled
    if codec != "utf-8":
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("utf-8")
            return text, f"{prefix}, decoded as utf-8"
    if codec is None or codec == "utf-8" or codec == "ascii":
        mixed = _mostly_utf8(data)
        if mixed is not None:
            return mixed, f"{prefix}, decoded as utf-8 mixed with cp1252"
    guess = _detect(data)
    with contextlib.suppress(UnicodeDecodeError, LookupError):
        return data.decode(guess), f"{prefix}, decoded as {guess}"
    fallback = codec if codec and codec != "ascii" else "cp1252"
    return data.decode(fallback, "replace"), f"{prefix}, decoded as {fallback} with errors"
