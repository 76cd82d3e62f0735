"""Tiny inline-SVG charts for the HTML report (no plotting library, no network assets)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from .stats import Bar

COLORS = ("#2f6fab", "#7fb3e0", "#e6e6e6", "#d9822b")
ROW = 22  # pixels per bar
LABEL_W = 200
PLOT_W = 290


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
            f"{escape(text)}</text>")


def bar_chart(title: str, bars: Sequence[Bar], fmt: Callable[[float], str],
              scale_max: float | None = None) -> str:
    """Horizontal bars; a bar's `limit` (a cap, a budget) is drawn as a dark tick."""
    top = max([b.value for b in bars] + [b.limit or 0 for b in bars] + [scale_max or 0, 1e-9])
    height = 30 + ROW * len(bars) + 10
    body = [_text(4, 16, title, size=14)]
    for i, bar in enumerate(bars):
        y = 28 + i * ROW
        width = PLOT_W * bar.value / top
        over = bar.limit is not None and bar.value > bar.limit + 1e-9
        body.append(_text(LABEL_W - 6, y + 13, bar.label, "end"))
        body.append(f'<rect x="{LABEL_W}" y="{y + 2}" width="{width:.1f}" height="{ROW - 6}" '
                    f'fill="{COLORS[3] if over else COLORS[0]}"/>')
        if bar.limit is not None:
            x = LABEL_W + PLOT_W * bar.limit / top
            body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + ROW - 2}" '
                        f'stroke="#222" stroke-width="2"/>')
        body.append(_text(LABEL_W + width + 4, y + 13, fmt(bar.value)))
    return _svg(LABEL_W + PLOT_W + 80, height, title, body)


def stacked_chart(title: str, rows: Sequence[tuple[str, Sequence[float]]],
                  series: Sequence[str]) -> str:
    """Horizontal 100 % bars, one per row, split into the series' shares, with a legend."""
    height = 30 + ROW * len(rows) + 30
    body = [_text(4, 16, title, size=14)]
    for i, (label, shares) in enumerate(rows):
        y = 28 + i * ROW
        body.append(_text(LABEL_W - 6, y + 13, label, "end"))
        x = float(LABEL_W)
        for j, share in enumerate(shares):
            width = PLOT_W * max(0.0, share)
            body.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" '
                        f'height="{ROW - 6}" fill="{COLORS[j % len(COLORS)]}"/>')
            x += width
        body.append(_text(x + 4, y + 13, f"{shares[0]:.0%}"))
    legend_y = 28 + ROW * len(rows) + 12
    for j, name in enumerate(series):
        x = 8 + j * 170
        body.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" '
                    f'fill="{COLORS[j % len(COLORS)]}"/>')
        body.append(_text(x + 16, legend_y, name))
    return _svg(LABEL_W + PLOT_W + 80, height, title, body)
