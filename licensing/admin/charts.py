"""Server-side SVG bar charts: no script, no outside resource, text escaped."""

from django.utils.html import escape

from licensing.insights import Chart

WIDTH = 720
LABEL_WIDTH = 190
BAR_HEIGHT = 16
GAP = 10
COLOURS = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a")
WORST = "#b71c1c"


def bar_chart_svg(chart: Chart) -> str:
    """Draw a chart's rows as grouped horizontal bars with their values written out."""
    series = chart.series
    group = BAR_HEIGHT * len(series) + GAP
    height = max(group * len(chart.rows), BAR_HEIGHT) + 30
    scale = (WIDTH - LABEL_WIDTH - 60) / chart.largest if chart.largest else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(chart.title)}" class="insight-chart">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for index, row in enumerate(chart.rows):
        top, worst = index * group, index in chart.highlighted
        weight = ' font-weight="bold"' if worst else ""
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + BAR_HEIGHT - 3}" text-anchor="end" '
            f'font-size="12" fill="#222"{weight}>{escape(row[0])}</text>'
        )
        for n, value in enumerate(row[1 : 1 + len(series)]):
            y, width = top + n * BAR_HEIGHT, float(value) * scale
            colour = WORST if worst else COLOURS[n % len(COLOURS)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{colour}"/>'
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR_HEIGHT - 4}" '
                f'font-size="11" fill="#222">{escape(value)}</text>'
            )
    parts.append(_legend(series, height - 14))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: list, y: int) -> str:
    items = []
    for n, name in enumerate(series):
        x = LABEL_WIDTH + n * 150
        items.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[n % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="11" fill="#222">{escape(name)}</text>'
        )
    return "".join(items)
