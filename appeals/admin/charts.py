"""Signatures per day as a bar chart drawn on the server, for inline SVG.

No chart library, no script, nothing fetched: this module works out where each bar
and label stands, and ``appeals/admin/includes/daily_chart.html`` draws them in the
admin's own colours. In a right-to-left admin language the time axis runs right to
left, as the text does: the first day stands on the right, the count scale too.
Date labels are spaced by a generous estimate of their width, so they never touch.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.formats import date_format
from django.utils.translation import pgettext

WIDTH = 720
HEIGHT = 240
# Room for the count scale beside the first day, a margin beside the last, the dates below.
SCALE_SPACE = 48
END_SPACE = 12
TOP_SPACE = 12
DATE_SPACE = 36
FONT_SIZE = 12
# Wider than an average Latin, Cyrillic or Arabic letter at FONT_SIZE.
CHARACTER_WIDTH = 7.5
LABEL_GAP = 16
MOST_DATE_LABELS = 6


@dataclass(frozen=True)
class Bar:
    day: object
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class ScaleLine:
    """A count on the scale, and the height of its gridline."""

    value: int
    x: float
    y: float


@dataclass(frozen=True)
class DailyChart:
    """What the template draws: bars, the dates below them and the count scale."""

    days: list
    bars: list
    date_labels: list
    scale: list
    rtl: bool
    plot_start: float
    plot_end: float
    baseline: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def first_day(self):
        return self.days[0][0]

    @property
    def last_day(self):
        return self.days[-1][0]

    @property
    def total(self):
        return sum(count for _day, count in self.days)

    @property
    def busiest(self):
        """The day with the most signatures (the first of them), and how many."""
        return max(self.days, key=lambda day: day[1])

    @property
    def scale_anchor(self):
        """The scale's numbers stand against the plot: to its left, or to its right."""
        return "start" if self.rtl else "end"


def daily_chart(days, *, rtl=False):
    """The chart of ``days``, [(date, signatures)] oldest first as
    ``Signature.objects.counted_per_day()`` gives them; None without any."""
    days = [(day, count) for day, count in days if count > 0]
    if not days:
        return None
    axis = TimeAxis(days[0][0], days[-1][0], rtl)
    top = scale_top(max(count for _day, count in days))
    plot_top, baseline = TOP_SPACE, HEIGHT - DATE_SPACE
    bars = []
    for day, count in days:
        height = max(1.0, (baseline - plot_top) * count / top)
        bars.append(
            Bar(
                day,
                count,
                x=round(axis.bar_x(day), 2),
                y=round(baseline - height, 2),
                width=round(axis.bar_width, 2),
                height=round(height, 2),
            )
        )
    return DailyChart(
        days=days,
        bars=bars,
        date_labels=axis.date_labels(baseline + FONT_SIZE + 8),
        scale=scale_labels(top, plot_top, baseline, axis.scale_x),
        rtl=rtl,
        plot_start=min(axis.start, axis.end),
        plot_end=max(axis.start, axis.end),
        baseline=baseline,
    )


class TimeAxis:
    """Day ``first`` to day ``last``, every day a slot of the same width, empty ones
    included, from the start side (left, or right in right-to-left languages)."""

    def __init__(self, first, last, rtl):
        self.first, self.rtl = first, rtl
        self.span = (last - first).days + 1
        if rtl:
            self.start, self.end = WIDTH - SCALE_SPACE, END_SPACE
            self.scale_x = self.start + 6
        else:
            self.start, self.end = SCALE_SPACE, WIDTH - END_SPACE
            self.scale_x = self.start - 6
        self.slot = abs(self.end - self.start) / self.span
        # Narrow slots touch, so that a year of days still reads as a shape.
        self.bar_width = self.slot * 0.8 if self.slot >= 3 else self.slot

    def centre(self, index):
        offset = (index + 0.5) * self.slot
        return self.start - offset if self.rtl else self.start + offset

    def bar_x(self, day):
        return self.centre((day - self.first).days) - self.bar_width / 2

    def date_labels(self, y):
        """As many dates as fit apart from one another (at most MOST_DATE_LABELS), the
        first and last day among them, spread evenly."""
        for wanted in range(min(MOST_DATE_LABELS, self.span), 1, -1):
            labels = self.spread_labels(wanted, y)
            if labels_apart(labels):
                return labels
        return self.spread_labels(1, y)

    def spread_labels(self, wanted, y):
        if wanted == 1:
            indexes = [0]
        else:
            steps = wanted - 1
            indexes = sorted({round(step * (self.span - 1) / steps) for step in range(wanted)})
        labels = []
        for index in indexes:
            text = short_date(self.first + timedelta(days=index))
            # Kept whole inside the drawing at its edges.
            half = label_width(text) / 2
            x = min(max(self.centre(index), half + 2), WIDTH - half - 2)
            labels.append(Label(text, round(x, 2), y))
        return labels


def labels_apart(labels):
    ordered = sorted(labels, key=lambda label: label.x)
    return all(
        right.x - left.x >= (label_width(left.text) + label_width(right.text)) / 2 + LABEL_GAP
        for left, right in zip(ordered, ordered[1:], strict=False)
    )


def label_width(text):
    return len(text) * CHARACTER_WIDTH


def short_date(day):
    # Translators: a day and its month below a chart's bars, in Django's date format
    # ("j F": 28 September). Russian wants the genitive, "j E"; Spanish "j \d\e F".
    return date_format(day, pgettext("chart date label format", "j F"))


def scale_top(most):
    """The count at the top of the scale: 1, 2 or 5 times a power of ten, at least ``most``."""
    power = 1
    while True:
        for step in (1, 2, 5):
            if step * power >= most:
                return step * power
        power *= 10


def scale_labels(top, plot_top, baseline, x):
    """The scale: 0, the top, and the middle when it is a whole number."""
    values = [0, top // 2, top] if top % 2 == 0 and top > 1 else [0, top]
    return [
        ScaleLine(value, x, round(baseline - (baseline - plot_top) * value / top, 2))
        for value in values
    ]
