"""How much two strings share: the measure behind matching metrics (scoring) and restated figures
(``ie.views.duplicates``)."""

from __future__ import annotations


def longest_common_substring(a: str, b: str) -> int:
    """The length of the longest common substring.

    >>> longest_common_substring("电诈发案数", "电信诈骗发案数"), longest_common_substring("接报交通警情", "交通警情")
    (3, 4)
    """
    best, previous = 0, [0] * (len(b) + 1)
    for char_a in a:
        current = [0] * (len(b) + 1)
        for j, char_b in enumerate(b, start=1):
            if char_a == char_b:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best
