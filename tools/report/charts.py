"""The reports' charts: matplotlib figures returned as inline SVG, with a sentence saying what each shows."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from tools.report import stats  # noqa: E402
from tools.report.analysis import LEVELS  # noqa: E402

# Text stays text in the SVG (searchable, crisp); the page's fonts draw it.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "dl-course-report",
    }
)
LEVEL_COLOURS = {
    "not shown": "#c8ccd2",
    "foundational": "#f2b544",
    "proficient": "#4f9bd9",
    "strong": "#2e7d4f",
    "pending": "#ffffff",
}
INK = "#1f2933"
GRID = "#e4e7eb"


def svg(fig) -> str:
    """The figure as an inline `<svg>` element (no XML prologue, no fixed pixel size)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # Natural size on a wide page, shrunk to fit a narrow one (CSS: max-width 100%, height auto).
    return text.replace("<svg", '<svg class="chart"', 1)


def skill_profile(rows: list[dict], show_percentiles: bool) -> str:
    """One candidate's skills: a bar per skill (percentage, coloured by level) and, when the cohort
    is large enough, the cohort percentile with its band of one standard error of measurement.

    Each row: skill, percent (None when pending), level, percentile, band (low, high) or None.
    """
    n = len(rows)
    columns = 2 if show_percentiles else 1
    fig, axes = plt.subplots(
        1,
        columns,
        figsize=(6.0 if show_percentiles else 4.4, 0.3 * n + 0.7),
        sharey=True,
        gridspec_kw={"width_ratios": [3, 2]} if show_percentiles else None,
    )
    axes = list(axes) if show_percentiles else [axes]
    ys = list(range(n))[::-1]
    ax = axes[0]
    for y, row in zip(ys, rows):
        if row["percent"] is None:
            ax.barh(y, 100, color="white", edgecolor="#9aa5b1", hatch="///", linewidth=0.6, height=0.62)
            ax.text(
                50,
                y,
                "pending: graded by hand",
                va="center",
                ha="center",
                color=INK,
                fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
            )
            continue
        ax.barh(y, max(row["percent"], 0.6), color=LEVEL_COLOURS[row["level"]], height=0.62)
        inside = row["percent"] > 72
        ax.text(
            row["percent"] - 1.5 if inside else row["percent"] + 1.5,
            y,
            f"{row['percent']:.0f}%  {row['level']}",
            va="center",
            ha="right" if inside else "left",
            color="white" if inside and row["level"] in ("strong", "proficient") else INK,
            fontsize=8,
        )
    for _, lowest in LEVELS[1:]:
        ax.axvline(lowest, color="#7b8794", linestyle=(0, (2, 2)), linewidth=0.7, zorder=0)
    ax.set_xlim(0, 100)
    ax.set_yticks(ys, [row["skill"] for row in rows])
    ax.set_xticks([0, *[lowest for _, lowest in LEVELS[1:]], 100])
    ax.set_xlabel("score on the skill's checks (%)")
    ax.tick_params(axis="y", length=0)
    if show_percentiles:
        ax2 = axes[1]
        for y, row in zip(ys, rows):
            if row["percentile"] is None:
                ax2.text(50, y, "-", va="center", ha="center", color="#7b8794")
                continue
            if row["band"]:
                low, high = row["band"]
                ax2.plot([low, high], [y, y], color="#9aa5b1", linewidth=5, solid_capstyle="butt", alpha=0.6)
            ax2.plot([row["percentile"]], [y], "o", color=INK, markersize=5)
        ax2.set_xlim(0, 100)
        ax2.set_xticks([0, 25, 50, 75, 100])
        ax2.axvline(50, color=GRID, linewidth=0.8, zorder=0)
        ax2.set_xlabel("cohort percentile, ±1 SEM band")
        ax2.tick_params(axis="y", length=0)
    fig.tight_layout(w_pad=1.2)
    return svg(fig)


def histograms(assignments: list[dict]) -> str:
    """Distribution of the candidates' total score on each assignment (% of its points)."""
    n = len(assignments)
    columns = min(3, max(n, 1))
    rows = math.ceil(n / columns) if n else 1
    fig, axes = plt.subplots(rows, columns, figsize=(3.1 * columns, 2.1 * rows), squeeze=False)
    bins = [i * 10 for i in range(11)]
    for index, ax in enumerate(axes.flat):
        if index >= n:
            ax.axis("off")
            continue
        item = assignments[index]
        values = [100.0 * t / item["max_score"] for t in item["totals"]] if item["max_score"] else []
        ax.hist(values, bins=bins, color="#4f9bd9", edgecolor="white")
        ax.set_title(f"{item['assignment']} (n={len(values)})", fontsize=9)
        ax.set_xlim(0, 100)
        ax.set_xlabel("score (% of points)")
        ax.set_ylabel("candidates")
        ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return svg(fig)


def item_map(points: list[dict]) -> str:
    """Each hidden test case as a dot: mean score (x) against discrimination (y), flag zones shaded."""
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    ax.axvspan(0, stats.HARD * 100, color="#fde8e8", zorder=0)
    ax.axvspan(stats.EASY * 100, 100, color="#fde8e8", zorder=0)
    ax.axhspan(-1, stats.LOW_DISCRIMINATION, color="#fff4d6", zorder=0)
    names = sorted({p["assignment"] for p in points})
    palette = plt.get_cmap("tab10")
    for index, name in enumerate(names):
        xs = [p["fraction"] * 100 for p in points if p["assignment"] == name]
        ys = [p["discrimination"] for p in points if p["assignment"] == name]
        ax.scatter(xs, ys, s=16, color=palette(index % 10), label=name, alpha=0.85, edgecolors="none")
    ax.set_xlim(0, 100.5)
    ax.set_ylim(-1, 1)
    ax.set_xlabel("mean score (% of the case's points): difficulty, higher is easier")
    ax.set_ylabel("item-rest correlation")
    ax.axhline(0, color="#7b8794", linewidth=0.6)
    if names:
        ax.legend(fontsize=7, loc="lower left", frameon=False, ncol=min(4, len(names)))
    fig.tight_layout()
    return svg(fig)
