"""How many trafficking chats a year held, the ones nobody recognised included: two-source capture-recapture.

Two detectors look at every chat of the year: the counsellor's flag, and zicht's screening. A chat
either finds is seen; how often the two find the same chats says how many neither found. With
`first` chats found by one, `second` by the other and `both` by both, Chapman's form of the
Lincoln-Petersen estimator (unbiased for small overlaps) gives the total, and Chao's log-normal
interval (1987) a range that never reaches below the chats seen.

It holds when the two detect independently (a chat the counsellor recognises is no likelier to
be screened in) and the year's chats are one closed population. Where detectors share what they
react to (the word "loverboy"), the overlap is too large and the total too small: a lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    first: int  # chats the first detector found (the counsellor's flag)
    second: int  # chats the second found (the screening)
    both: int
    total: float  # Chapman's estimate of all the chats, found or not
    low: float  # the interval at `level`
    high: float
    level: float = LEVEL

    @property
    def seen(self) -> int:
        """The chats either detector found."""
        return self.first + self.second - self.both

    @property
    def coverage(self) -> float:
        """The share of the estimated total the first detector found: what the helpline's own flag sees."""
        return self.first / self.total if self.total else 1.0


@dataclass(frozen=True)
class Detected:
    """One chat of the year, as the two detectors and the researchers saw it."""

    flagged: bool  # by the counsellor
    screened: bool  # likely about trafficking by zicht's screening
    ruled_out: bool = False  # the researchers coded it as not about trafficking: no trafficking chat, whoever found it


def from_chats(chats: Iterable[Detected], level: float = LEVEL) -> Estimate:
    """The estimate from every chat of a year: a chat the researchers ruled out counts for neither detector."""
    first = second = both = 0
    for chat in chats:
        if not chat.ruled_out:
            first, second, both = first + chat.flagged, second + chat.screened, both + (chat.flagged and chat.screened)
    return chapman(first, second, both, level)


def chapman(first: int, second: int, both: int, level: float = LEVEL) -> Estimate:
    """The total and its interval from two detectors' counts; ValueError for counts no two detectors give."""
    if min(first, second, both) < 0 or both > min(first, second):
        raise ValueError(f"two detectors cannot find {first} and {second} chats with {both} in common")
    if not 0 < level < 1:
        raise ValueError(f"a confidence level lies between 0 and 1, not {level}")
    seen = first + second - both
    unseen = (first - both) * (second - both) / (both + 1)  # Chapman's total, (first+1)(second+1)/(both+1) - 1, less the seen
    if unseen == 0:  # one detector found every chat the other did: nothing points to more
        return Estimate(first, second, both, seen, seen, seen, level)
    variance = (first + 1) * (second + 1) * (first - both) * (second - both) / ((both + 1) ** 2 * (both + 2))
    spread = math.exp(NormalDist().inv_cdf(0.5 + level / 2) * math.sqrt(math.log(1 + variance / unseen**2)))
    return Estimate(first, second, both, seen + unseen, seen + unseen / spread, seen + unseen * spread, level)
