"""Inline SVG bar charts for the demand report: no script, no external file, readable by screen readers.

    svg = bar_chart("Questions by topic", [("levy", 12), ("careers", 4)])

Each chart is an <svg role="img"> with a <title> and a <desc> that states the figures in words; the page
also shows each chart's figures as a table, for anyone who cannot see the bars.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 220
BAR_WIDTH = 420
COLOURS = ("#00629b", "#b35900", "#2e7d32", "#6a1b9a", "#ad1457", "#37474f", "#00838f", "#5d4037")


def bar_chart(title: str, bars: list[tuple[str, int]], chart_id: str) -> Markup:
    """Horizontal bars, one per (label, value), largest value the full width."""
    top = max((value for _, value in bars), default=0) or 1
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + GAP
    words = "; ".join(f"{label}: {value}" for label, value in bars) or "no data"
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" width="100%" '
        f'viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 60} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(words)}</desc>',
    ]
    for n, (label, value) in enumerate(bars):
        y = GAP + n * (BAR_HEIGHT + GAP)
        width = round(BAR_WIDTH * value / top)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{COLOURS[0]}"/>',
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}">{value}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_weeks(title: str, weeks: list[tuple[str, dict[str, int]]], chart_id: str) -> Markup:
    """One column per week, stacked by series (audience, topic or sector), with a legend."""
    series = sorted({name for _, counts in weeks for name in counts})
    top = max((sum(counts.values()) for _, counts in weeks), default=0) or 1
    column, plot_height, left = 48, 200, 40
    legend_y = plot_height + 40
    height = legend_y + 20 * ((len(series) + 2) // 3) + 10
    width = max(left + column * len(weeks) + 20, 640)
    words = "; ".join(
        f"week of {week}: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
        for week, counts in weeks
    )
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" width="100%" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(words or "no data")}</desc>',
    ]
    for n, (week, counts) in enumerate(weeks):
        x, y = left + n * column, plot_height
        for s, name in enumerate(series):
            h = round(plot_height * counts.get(name, 0) / top)
            if h:
                y -= h
                colour = COLOURS[s % len(COLOURS)]
                parts.append(
                    f'<rect x="{x + 6}" y="{y}" width="{column - 12}" height="{h}" fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{x + column // 2}" y="{plot_height + 18}" text-anchor="middle">{week[5:]}</text>'
        )
    for s, name in enumerate(series):
        x, y = 10 + (s % 3) * 210, legend_y + 20 * (s // 3)
        colour = COLOURS[s % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
