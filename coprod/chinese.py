"""Chinese text as matching reads it: runs of CJK characters segmented by the labels and
words of a synonym table, longest first, and what no label covers.

Chinese writes no spaces, so a token of Chinese text is a whole run ("採購155公厘砲彈生產線"
is "採購", "155mm" and "砲彈生產線" once numbers are spaced); `segmented` reads each run
against the table's Chinese map (coprod.labelcompiler fills it with knowledge-base
labels, the synonyms' Chinese words and `CHINESE_STOP_WORDS`), finds a label's modifier
a few characters before its head ("監偵及攻擊無人機" names 監偵無人機), and keeps the text
between labels as overlapping character pairs, so Chinese lines still meet Chinese
lines word for word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod.knowledge import cjk_runs, has_cjk, is_knowledge_token
from coprod.rawtokens import stem

if TYPE_CHECKING:
    from coprod.text import SynonymTable

# Chinese words that say nothing of what is made: sums of money, counts, estimates and
# "all kinds of" (a budget line "約新台幣4.15億元" and a requirement's "億元" share no product).
# Found inside Chinese text like labels and read as no token, so a line and a
# requirement that both state a budget do not meet on it; a label with the same text
# wins. English keeps "million" and "approximately" as plain words: they are spaced.
_CHINESE_STOP_TEXT = """
新台幣 台幣 億元 萬元 千元 兆元 美元 歐元 日圓 萬發 萬顆 萬架 萬枚 萬套 萬艘 萬台 萬組
以上 以下 至少 左右 預計 共計 總計 合計 各型 各式 各項 相關 其他
"""
CHINESE_STOP_WORDS: frozenset[str] = frozenset(_CHINESE_STOP_TEXT.split())

# Function characters (conjunctions, particles, prepositions) and the suffixes of a
# tender's or a model's name (案 "project", 型 "type", 式 "style", 款 "model"): left
# alone between two labels ("監偵及攻擊無人機", "八輪甲車（30公厘機砲型）", "產製案") they
# are Chinese's "and", "of" and "-type", no evidence of anything.
_FUNCTION_CHARACTERS = frozenset("及與和或的之並暨等以於為其且由在對向將從至而亦案型式款")

# Characters a label's modifier may stand before its head ("監偵及攻擊無人機": three).
MAX_GAP_CHARACTERS = 3


def segmented(raw: str, table: SynonymTable) -> tuple[str, ...]:
    """A token holding Chinese: runs of other characters as words, CJK runs by label."""
    out: list[str] = []
    for run in cjk_runs(raw):
        if not has_cjk(run):
            stemmed = stem(run)
            out.extend(table.words.get(run) or table.words.get(stemmed) or (stemmed,))
            continue
        whole = table.chinese.get(run)
        if whole is not None:
            out.extend(whole)
            continue
        position, unmatched = 0, []
        while position < len(run):
            for length in range(min(table.longest_chinese, len(run) - position), 0, -1):
                label = run[position : position + length]
                found = table.chinese.get(label)
                if found is not None:
                    out.extend(character_pairs("".join(unmatched)))
                    unmatched = []
                    out.extend(found)
                    out.extend(_gapped_labels(table, run, position, label))
                    position += length
                    break
            else:
                unmatched.append(run[position])
                position += 1
        out.extend(character_pairs("".join(unmatched)))
    return tuple(dict.fromkeys(out))


def _gapped_labels(table: SynonymTable, run: str, position: int, label: str) -> list[str]:
    """Knowledge tokens of labels whose head ends the label found at `position` and
    whose modifier comes a few characters before it ("監偵及攻擊無人機")."""
    found: list[str] = []
    for start in range(len(label) - 1):
        for modifier, label_tokens in table.chinese_gapped.get(label[start:], ()):
            head_at = position + start
            before = run[max(0, head_at - len(modifier) - MAX_GAP_CHARACTERS) : head_at]
            if modifier in before and not before.endswith(modifier):
                found.extend(t for t in label_tokens if is_knowledge_token(t))
    return found


def character_pairs(run: str) -> list[str]:
    """Chinese text no label covers, as overlapping character pairs (one character alone,
    unless it is a function character)."""
    if len(run) <= 2:
        return [run] if run and run not in _FUNCTION_CHARACTERS else []
    return [run[i : i + 2] for i in range(len(run) - 1)]
