"""Charts drawn by the server as inline SVG (no script, no CDN): the geometry; templates draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar, e.g. "Mar"
    title: str  # said by screen readers and shown on hover, e.g. "March 2027: 12 systems"
    value: int
    href: str
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float  # y of the axis
    top: int  # the value of the tallest bar

    @property
    def label_y(self) -> int:
        return self.height - 8

    @property
    def is_empty(self) -> bool:
        return self.top == 0


def bar_chart(
    points: Sequence[tuple[str, str, int, str]], *, width: int = 720, height: int = 220
) -> BarChart:
    """Bars for (label, title, value, href) points, scaled to the tallest; room for labels."""
    top_margin, bottom_margin = 22, 26  # the value above a bar, the label below the axis
    baseline = height - bottom_margin
    room = baseline - top_margin
    top = max((value for _, _, value, _ in points), default=0)
    slot = width / max(len(points), 1)
    bar_width = slot * 0.64
    bars = []
    for index, (label, title, value, href) in enumerate(points):
        bar_height = room * value / top if top else 0
        if value and bar_height < 2:
            bar_height = 2  # a small count stays visible
        bars.append(
            Bar(
                label=label,
                title=title,
                value=value,
                href=href,
                x=round(index * slot + (slot - bar_width) / 2, 1),
                y=round(baseline - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
            )
        )
    return BarChart(tuple(bars), width, height, baseline, top)
