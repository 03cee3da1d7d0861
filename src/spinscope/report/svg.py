"""Small SVG charts written directly (no JavaScript, no external assets, all text escaped).

Each function takes plain data and returns one ``<svg>`` element as a string, sized in
pixels with a ``viewBox`` so it scales in the page and prints sharply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart", "heatmap", "line_chart", "timeline"]

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif"
PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#66a182", "#8d6a9f",
           "#c05c1c", "#3d5a80", "#7a7a7a")
INK = "#1f2933"
GRID = "#d9dee3"


def _t(x: float, y: float, text: str, size: int = 12, anchor: str = "start",
       weight: str = "normal", fill: str = INK, rotate: float | None = None) -> str:
    rot = f' transform="rotate({rotate:.0f} {x:.1f} {y:.1f})"' if rotate else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}"{rot}>{escape(text)}</text>')


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
            f'style="{FONT};max-width:100%;height:auto">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _nice_max(value: float) -> float:
    if value <= 0 or math.isnan(value):
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def _shade(value: float, vmax: float) -> tuple[str, str]:
    """A white-to-blue fill for a heatmap cell and a readable text colour on it."""
    if math.isnan(value) or vmax <= 0:
        return "#f4f5f7", "#9aa5b1"
    f = max(0.0, min(1.0, value / vmax)) ** 0.7
    r, g, b = (int(255 + (c - 255) * f) for c in (16, 74, 140))
    return f"#{r:02x}{g:02x}{b:02x}", ("#ffffff" if f > 0.55 else INK)


def heatmap(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[float]],
            title: str, row_notes: Sequence[str] | None = None, unit: str = "") -> str:
    """Rows x columns of numbers; darker = higher. NaN cells are grey and marked '–'."""
    cell_w, cell_h = 54, 26
    left = 12 + 7.2 * max((len(r) for r in rows), default=4)
    if row_notes:
        left += 7.0 * max((len(n) for n in row_notes), default=0) + 10
    top = 14 + 6.2 * max((len(c) for c in cols), default=4) * 0.72 + 20
    # Rotated column labels lean right: leave room for the last ones.
    width = left + cell_w * len(cols) + 20 + 4.6 * max((len(c) for c in cols), default=0)
    height = top + cell_h * len(rows) + 40
    vmax = max((v for row in values for v in row if not math.isnan(v)), default=0.0)
    body = []
    for j, c in enumerate(cols):
        x = left + j * cell_w + cell_w / 2
        body.append(_t(x, top - 8, c, 11, "start", rotate=-45))
    for i, r in enumerate(rows):
        y = top + i * cell_h
        body.append(_t(12, y + cell_h / 2 + 4, r, 12, weight="600"))
        if row_notes:
            body.append(_t(left - 10, y + cell_h / 2 + 4, row_notes[i], 11, "end",
                           fill="#52606d"))
        for j, v in enumerate(values[i]):
            fill, ink = _shade(v, vmax)
            x = left + j * cell_w
            label = "–" if math.isnan(v) else (f"{v:.1f}" if v < 100 else f"{v:.0f}")
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 2}" '
                        f'height="{cell_h - 2}" rx="3" fill="{fill}"><title>'
                        f"{escape(r)} · {escape(cols[j])}: {escape(label)} {escape(unit)}"
                        "</title></rect>")
            body.append(_t(x + cell_w / 2 - 1, y + cell_h / 2 + 4, label, 11, "middle",
                           fill=ink))
    body.append(_t(12, height - 14, f"Cells: {unit}. Darker = higher; '–' = no articles.",
                   11, fill="#52606d"))
    return _svg(width, height, body, title)


def bar_chart(labels: Sequence[str], values: Sequence[float],
              intervals: Sequence[tuple[float, float]], title: str, unit: str,
              flags: Sequence[str] | None = None) -> str:
    """Horizontal bars with interval whiskers (one bar per group)."""
    bar_h, gap = 22, 10
    left = 16 + 7.2 * max((len(lab) for lab in labels), default=4)
    plot_w = 460
    top = 16
    height = top + (bar_h + gap) * len(labels) + 46
    width = left + plot_w + 130
    hi = max([v for v in values if not math.isnan(v)]
             + [h for _, h in intervals if not math.isnan(h)] + [0.0])
    vmax = _nice_max(hi)
    body = []
    for k in range(5):
        x = left + plot_w * k / 4
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
                    f'y2="{height - 40}" stroke="{GRID}"/>')
        body.append(_t(x, height - 24, f"{vmax * k / 4:g}", 11, "middle", fill="#52606d"))
    body.append(_t(left + plot_w / 2, height - 6, unit, 11, "middle", fill="#52606d"))
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_h + gap)
        body.append(_t(left - 8, y + bar_h / 2 + 4, lab, 12, "end", weight="600"))
        if math.isnan(v):
            continue
        w = plot_w * v / vmax
        body.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
                    f'rx="2" fill="{PALETTE[i % len(PALETTE)]}" fill-opacity="0.85"/>')
        lo, hi_ = intervals[i]
        if not (math.isnan(lo) or math.isnan(hi_)):
            x1, x2 = left + plot_w * lo / vmax, left + plot_w * hi_ / vmax
            ym = y + bar_h / 2
            body.append(f'<path d="M{x1:.1f} {ym:.1f}H{x2:.1f}M{x1:.1f} {ym - 6:.1f}V'
                        f'{ym + 6:.1f}M{x2:.1f} {ym - 6:.1f}V{ym + 6:.1f}" stroke="{INK}" '
                        'stroke-width="1.6" fill="none"/>')
            note = f"{v:.1f} [{lo:.1f}–{hi_:.1f}]"
        else:
            note = f"{v:.1f}"
        flag = flags[i] if flags else ""
        mark = {"higher": " ▲", "lower": " ▼"}.get(flag, "")
        body.append(_t(left + plot_w + 8, y + bar_h / 2 + 4, note + mark, 11))
    return _svg(width, height, body, title)


def line_chart(buckets: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
               title: str, unit: str) -> str:
    """One line per series over ordered time buckets; gaps where a value is NaN."""
    left, top, plot_w, plot_h = 56, 16, 620, 240
    legend_w = 180
    width, height = left + plot_w + legend_w, top + plot_h + 70
    hi = max((v for _, vals in series for v in vals if not math.isnan(v)), default=0.0)
    vmax = _nice_max(hi)
    n = max(len(buckets), 1)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h - plot_h * v / vmax

    body = []
    for k in range(5):
        y = top + plot_h * k / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                    f'stroke="{GRID}"/>')
        body.append(_t(left - 6, y + 4, f"{vmax * (4 - k) / 4:g}", 11, "end", fill="#52606d"))
    every = max(1, math.ceil(n / 10))
    for i, b in enumerate(buckets):
        if i % every == 0:
            body.append(_t(px(i), top + plot_h + 18, b, 11, "middle", fill="#52606d"))
    body.append(_t(12, top + plot_h / 2, unit, 11, "middle", fill="#52606d", rotate=-90))
    for s, (name, vals) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        path, pen = [], "M"
        for i, v in enumerate(vals):
            if math.isnan(v):
                pen = "M"
                continue
            path.append(f"{pen}{px(i):.1f} {py(v):.1f}")
            pen = "L"
            body.append(f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3.2" fill="{color}">'
                        f"<title>{escape(name)} · {escape(buckets[i])}: {v:.2f}</title></circle>")
        if path:
            body.append(f'<path d="{" ".join(path)}" stroke="{color}" stroke-width="2.2" '
                        'fill="none"/>')
        ly = top + 10 + 20 * s
        body.append(f'<rect x="{left + plot_w + 20}" y="{ly - 9}" width="12" height="12" '
                    f'rx="2" fill="{color}"/>')
        body.append(_t(left + plot_w + 38, ly + 1, name, 12))
    return _svg(width, height, body, title)


def timeline(days: Sequence[str], lanes: Sequence[tuple[str, Sequence[tuple[str, str]]]],
             title: str, colors: dict[str, str] | None = None) -> str:
    """One lane per event; a dot per article on its day, coloured by its bloc or outlet.

    ``days``: every day on the axis, in order; ``lanes``: (event name, [(day, colour key)]).
    """
    colors = colors or {}
    label_w = 12 + 6.8 * min(max((len(n) for n, _ in lanes), default=10), 48)
    lane_h, top = 30, 16
    n = max(len(days), 1)
    day_w = max(8.0, min(36.0, 640 / n))
    width = label_w + day_w * n + 30
    legend_rows = math.ceil(len(colors) / 4) if colors else 0
    height = top + lane_h * len(lanes) + 44 + 20 * legend_rows
    index = {d: i for i, d in enumerate(days)}
    body = []
    every = max(1, math.ceil(n / 12))
    for i, d in enumerate(days):
        x = label_w + day_w * (i + 0.5)
        if i % every == 0:
            body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
                        f'y2="{top + lane_h * len(lanes)}" stroke="{GRID}"/>')
            body.append(_t(x, top + lane_h * len(lanes) + 16, d[5:], 11, "middle",
                           fill="#52606d"))
    for k, (name, dots) in enumerate(lanes):
        y = top + lane_h * k + lane_h / 2
        short = name if len(name) <= 48 else name[:47] + "…"
        body.append(_t(label_w - 8, y + 4, short, 12, "end", weight="600"))
        stack: dict[str, int] = {}
        xs = [label_w + day_w * (index[d] + 0.5) for d, _ in dots if d in index]
        if xs:
            body.append(f'<line x1="{min(xs):.1f}" y1="{y:.1f}" x2="{max(xs):.1f}" '
                        f'y2="{y:.1f}" stroke="#9aa5b1" stroke-width="2"/>')
        for d, key in dots:
            if d not in index:
                continue
            j = stack.get(d, 0)
            stack[d] = j + 1
            x = label_w + day_w * (index[d] + 0.5) + (j % 3 - 1) * 4
            yy = y + (j // 3) * 4 - 4 * (j % 2)
            body.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="4.5" '
                        f'fill="{colors.get(key, "#52606d")}" stroke="#fff" stroke-width="1">'
                        f"<title>{escape(d)} · {escape(key)}</title></circle>")
    ly = top + lane_h * len(lanes) + 34
    for i, (key, color) in enumerate(colors.items()):
        x = 12 + (i % 4) * 170
        yy = ly + (i // 4) * 20
        body.append(f'<circle cx="{x + 5}" cy="{yy - 4}" r="5" fill="{color}"/>')
        body.append(_t(x + 14, yy, key, 11))
    return _svg(width, height, body, title)
