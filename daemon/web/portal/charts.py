"""Charts as SVG text, drawn on the server from numbers: no JavaScript, no external assets, CSP-safe.

Pure: numbers and labels in, markup out. Every text is escaped; each chart carries a <title> and an
aria-label, and the page shows the same figures in a table for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#0b5cad", "#1b7f3b", "#b25d00", "#7a3db8")
WIDTH = 640
AXIS = "#5b6670"


def _nice_max(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least the largest value."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for m in (1, 2, 5, 10):
        if m * step >= value:
            return m * step
    return 10 * step


def _fmt(v: float) -> str:
    return f"{v:.0f}" if v == int(v) else f"{v:.1f}"


def _legend(names: Sequence[str], y: int) -> str:
    out, x = [], 48
    for i, name in enumerate(names):
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                   f'<text x="{x + 18}" y="{y}" font-size="13" fill="#1d2329">{escape(name)}</text>')
        x += 26 + 8 * len(name)
    return "".join(out)


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
              height: int = 220, every: int = 1, unit: str = "", width: int = WIDTH, empty: str = "",
              top: float | None = None) -> str:
    """Grouped bars: one group per label, one bar per series; None is drawn as no bar. `every` thins the
    labels under the axis (a label every n groups) so a month of days stays readable on a phone. `top` fixes
    the axis (a share in per cent reads against 100, with or without data)."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = top or _nice_max(max(values, default=0.0))
    left, right, bottom, head = 48, 12, 40, 28
    plot_w, plot_h = width - left - right, height - bottom - head
    group = plot_w / max(len(labels), 1)
    bar = max(min(group * 0.8 / max(len(series), 1), 28.0), 1.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>']
    if not values and empty:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{head + plot_h / 2:.1f}" font-size="14" '
                     f'text-anchor="middle" fill="{AXIS}">{escape(empty)}</text>')
    for i in range(5):  # grid lines and their values
        y = head + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dde3e8"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="{AXIS}">'
                     f'{escape(_fmt(top * i / 4) + unit)}</text>')
    for g, label in enumerate(labels):
        x0 = left + g * group + (group - bar * len(series)) / 2
        for s, (name, vs) in enumerate(series):
            v = vs[g] if g < len(vs) else None
            if v is None:
                continue
            h = plot_h * v / top
            parts.append(f'<rect x="{x0 + s * bar:.1f}" y="{head + plot_h - h:.1f}" width="{bar - 1:.1f}" '
                         f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)} · '
                         f'{escape(name)}: {escape(_fmt(v) + unit)}</title></rect>')
        if g % every == 0:
            parts.append(f'<text x="{left + g * group + group / 2:.1f}" y="{head + plot_h + 16}" font-size="12" '
                         f'text-anchor="middle" fill="{AXIS}">{escape(label)}</text>')
    parts.append(f'<line x1="{left}" y1="{head + plot_h}" x2="{width - right}" y2="{head + plot_h}" '
                 f'stroke="{AXIS}"/>')
    parts.append(_legend([name for name, _ in series], 16))
    parts.append("</svg>")
    return "".join(parts)
