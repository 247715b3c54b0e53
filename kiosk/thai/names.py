"""Person names: title prefixes, clean-up, mark-insensitive and phonetic search keys, and
catching Thai typed with the keyboard in English layout.
"""

from __future__ import annotations

import re
import unicodedata

# Thai prefix → English label. Abbreviations are listed as people write them on forms.
PREFIXES: dict[str, str] = {
    "เด็กชาย": "Master",
    "เด็กหญิง": "Miss (girl)",
    "ด.ช.": "Master",
    "ด.ญ.": "Miss (girl)",
    "นาย": "Mr.",
    "นางสาว": "Miss",
    "น.ส.": "Miss",
    "นาง": "Mrs.",
    "พระภิกษุ": "Phra (monk)",
    "พระ": "Phra (monk)",
    "สามเณร": "Novice monk",
    "แม่ชี": "Nun",
    "ดร.": "Dr.",
    "นพ.": "Dr. (physician)",
    "พญ.": "Dr. (physician)",
    "ว่าที่ร้อยตรี": "Acting Sub-Lt.",
    "ว่าที่ ร.ต.": "Acting Sub-Lt.",
    "ร.ต.อ.": "Pol. Capt.",
    "ร.ต.ท.": "Pol. Lt.",
    "ร.ต.ต.": "Pol. Sub-Lt.",
    "ด.ต.": "Pol. Sen. Sgt. Maj.",
    "จ.ส.ต.": "Pol. Sgt. Maj.",
    "ส.ต.อ.": "Pol. Cpl.",
    "ส.ต.ท.": "Pol. L/Cpl.",
    "ส.ต.ต.": "Pol. Constable",
    "พ.ต.อ.": "Pol. Col.",
    "พ.ต.ท.": "Pol. Lt. Col.",
    "พ.ต.ต.": "Pol. Maj.",
    "จ.ส.อ.": "MSgt.",
    "จ.ส.ท.": "Sgt. 1st Class",
    "ส.อ.": "Sgt.",
    "ส.ท.": "Cpl.",
    "ส.ต.": "Pvt. 1st Class",
    "พลทหาร": "Pvt.",
    "พล.อ.": "Gen.",
    "พ.อ.": "Col.",
    "พ.ท.": "Lt. Col.",
    "พ.ต.": "Maj.",
    "ร.อ.": "Capt.",
    "ร.ท.": "Lt.",
    "ร.ต.": "Sub-Lt.",
    "พ.จ.อ.": "CPO 1st Class",
    "จ.อ.": "PO 1st Class",
    "ศ.": "Prof.",
    "รศ.": "Assoc. Prof.",
    "ผศ.": "Asst. Prof.",
    "ทพ.": "Dr. (dentist)",
    "ทพญ.": "Dr. (dentist)",
    "ภก.": "Pharmacist",
    "ภญ.": "Pharmacist",
    "หม่อมราชวงศ์": "Mom Rajawongse",
    "ม.ร.ว.": "Mom Rajawongse",
    "หม่อมหลวง": "Mom Luang",
    "ม.ล.": "Mom Luang",
    "Mr.": "Mr.",
    "Mrs.": "Mrs.",
    "Ms.": "Ms.",
    "Miss": "Miss",
    "Dr.": "Dr.",
}
"""Common prefixes, offered as people type (any other is accepted: `check_prefix`)."""
_BY_LENGTH = sorted(PREFIXES, key=len, reverse=True)
_PREFIX_CHARACTERS = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4eA-Za-z. \-]+")

_TONE_AND_SIGNS = dict.fromkeys(map(ord, "่้๊๋็์ํ๎"))  # tone marks, maitaikhu, thanthakhat, nikhahit, yamakkan
_SPACES = re.compile(r"\s+")

# One written Thai syllable cluster, in typing order: optional leading vowel, a consonant,
# optional upper/lower vowel, tone mark or maitaikhu, thanthakhat, then a following vowel.
_CLUSTER = r"[เแโใไ]?[ก-ฮ](?:ั(?=[่-๋]?[ก-ฮ])|[ิีึืฺุู])?[็่-๋]?์?(?:าะ|[ะาำๅ])?"
_THAI_WORD = re.compile(f"(?:{_CLUSTER})+ๆ?")
_THAI_VOWEL = re.compile(r"[ะ-ฺเ-ไ็ๅ]")
_NOT_IN_NAMES = re.compile(r"[^A-Za-z\s]")  # keys such as ; , . ' [ ] and digits


def normalize_name(text: str) -> str:
    """One form for storage and comparison: control and zero-width characters removed, Thai marks
    put in canonical order (pythainlp), runs of spaces collapsed."""
    from pythainlp.util import normalize

    cleaned = "".join(
        " " if unicodedata.category(c) == "Cc" else c for c in text if unicodedata.category(c) != "Cf"
    )
    return _SPACES.sub(" ", normalize(cleaned)).strip()


def check_prefix(text: str) -> str:
    """A title prefix as typed: any rank, title or Mr./Mrs./Ms. (PREFIXES lists the common ones,
    not all there are), normalised; letters, dots, spaces and hyphens only, at most 40 characters.
    Anything else raises ValidationError("intake.prefix_unknown")."""
    from kiosk.errors import ValidationError

    prefix = normalize_name(text)
    if prefix and (len(prefix) > 40 or not _PREFIX_CHARACTERS.fullmatch(prefix)):
        raise ValidationError("intake.prefix_unknown", "prefix: letters and dots only", field="prefix")
    return prefix


def full_name(prefix: str | None, first_name: str | None, last_name: str | None = "") -> str:
    """The one way a name is written everywhere (console, review, receipt, exports): a Thai
    prefix word joined to the first name as Thai writes it ("นางบุญมี มีสุข"); an abbreviation
    or a Latin prefix with a space ("ร.ต.อ. สมชาย", "Mrs. Anna Schmidt")."""
    prefix, first, last = ((x or "").strip() for x in (prefix, first_name, last_name))
    joined = prefix + first if prefix and first and _THAI_LETTER_END.search(prefix) else " ".join(
        p for p in (prefix, first) if p)
    return " ".join(p for p in (joined, last) if p)


_THAI_LETTER_END = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]$")


def split_prefix(full: str) -> tuple[str, str]:
    """("นาย", "สมชาย ใจดี") from "นายสมชาย ใจดี"; ("", full) when there is no known prefix.

    The longest prefix wins (นางสาว before นาง); a prefix alone is not taken as one.
    """
    name = normalize_name(full)
    for prefix in _BY_LENGTH:
        rest = name[len(prefix):]
        if name.startswith(prefix) and rest.strip() and (not prefix[-1].isascii() or not prefix[-1].isalpha()
                                                          or rest.startswith(" ")):  # "Miss Anna", not "Missy"
            return prefix, rest.strip()
    return "", name


def strip_marks(text: str) -> str:
    """Drop tone marks and other diacritics so "นํ้า", "น้ำ" and "นำ" compare equal.

    Thai vowel signs are kept: they change the word (สิน, สีน, สุน), while a missing tone mark is
    the everyday typing slip. Latin accents go too (é → e).
    """
    decomposed = unicodedata.normalize("NFD", normalize_name(text).translate(_TONE_AND_SIGNS))
    kept = (c for c in decomposed if unicodedata.category(c) != "Mn" or "\u0e00" <= c <= "\u0e7f")
    return unicodedata.normalize("NFC", "".join(kept))


def wrong_layout_suggestion(text: str) -> str | None:
    """The Thai meant when Thai was typed on the English layout (`l;ylfu` → `สวัสดี`), else None.

    Rule: every key must map (pythainlp `eng_to_thai`) to a Thai character, each mapped word must
    be well-formed Thai writing (marks only on consonants, ั before a final consonant, no doubled
    vowels), and the Latin text must either hold a key that never occurs in Latin names (digits,
    ; , . ' [ ] ...) or be all lower case and map to text with a vowel sign. Real names such as
    "John", "Anna", "David" or "Somchai" fail one of these.
    """
    latin = text.strip()
    if not latin.isascii() or not any(c.isalpha() for c in latin):
        return None
    from pythainlp.util import eng_to_thai

    words = eng_to_thai(latin).split()
    if not all(_THAI_WORD.fullmatch(word) for word in words):
        return None
    thai = " ".join(words)
    if _NOT_IN_NAMES.search(latin) or (latin.islower() and _THAI_VOWEL.search(thai)):
        return thai
    return None


def phonetic_key(name: str) -> str:
    """A key that sounds-alike names share (ณัฐ/นัท, บุญมี/บุนมี): pythainlp lk82 per word,
    prefix dropped; Latin words are just case-folded."""
    from pythainlp.soundex import lk82

    _, rest = split_prefix(name)
    keys = (lk82(w) if any("\u0e01" <= c <= "\u0e2e" for c in w) else w.casefold() for w in rest.split())
    return " ".join(k for k in keys if k)
