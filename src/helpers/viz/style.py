"""Shared matplotlib/seaborn report style with a bundled CJK font.

``use_report_style()`` makes Chinese text render on a fresh machine without
system CJK fonts: it registers the Noto Sans CJK SC font shipped by the
``mplfonts`` pip package (falling back to common system CJK fonts) and sets
one deterministic style for every chart in the reports.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, cast

import matplotlib
from matplotlib import font_manager
from matplotlib.rcsetup import cycler

from helpers.errors import FontNotFoundError

__all__ = [
    "CJK_FONT_CANDIDATES",
    "PALETTE",
    "ACCENT_COLOR",
    "MUTED_COLOR",
    "FIGURE_DPI",
    "PRINT_DPI",
    "FontNotFoundError",
    "find_cjk_font",
    "use_report_style",
    "figure_metadata",
]

#: Font file shipped inside the ``mplfonts`` package (first choice).
_MPLFONTS_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")

#: System font families tried when the ``mplfonts`` file is missing.
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)

#: Fixed categorical palette (colour-blind friendly, Tableau-like order).
PALETTE: tuple[str, ...] = (
    "#2F6EBA",  # blue
    "#E8833A",  # orange
    "#3AA17E",  # green
    "#C8504B",  # red
    "#8C6BB1",  # purple
    "#8C7A6B",  # brown
    "#D67BB6",  # pink
    "#7F7F7F",  # grey
    "#B8B13A",  # olive
    "#3BB3C3",  # cyan
)
#: Colour used to highlight one bar (e.g. the home city).
ACCENT_COLOR: str = "#C8504B"
#: Colour used for de-emphasised elements.
MUTED_COLOR: str = "#9AA5B1"
#: Resolution of inline PNG figures.
FIGURE_DPI: int = 110
#: Resolution the notebook's PNGs are rendered at (shown at FIGURE_DPI size on screen): an
#: 8-inch chart printed 156 mm wide in the Word report gets about 260 dpi.
PRINT_DPI: int = 200
#: Fixed salt so SVG element ids are reproducible.
_SVG_HASHSALT = "zhaoshang-report"



def _mplfonts_font_file() -> Path | None:
    """Return the Noto Sans CJK SC file bundled with ``mplfonts``, if present.

    The package directory is located without importing ``mplfonts`` (its
    ``__init__`` has side effects we do not need).
    """
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*_MPLFONTS_FILE)
        if candidate.is_file():
            return candidate
    return None


def _register_font_file(path: Path) -> str:
    """Add ``path`` to matplotlib's font manager once; return its family name."""
    fm = font_manager.fontManager
    resolved = str(path.resolve())
    known = {str(Path(entry.fname).resolve()) for entry in fm.ttflist}
    if resolved not in known:
        fm.addfont(resolved)
    return font_manager.FontProperties(fname=resolved).get_name()


def find_cjk_font() -> str:
    """Return the family name of a usable CJK font, registering it if needed.

    Prefers the ``mplfonts`` bundled Noto Sans CJK SC; otherwise the first
    installed family of :data:`CJK_FONT_CANDIDATES`.
    """
    bundled = _mplfonts_font_file()
    if bundled is not None:
        return _register_font_file(bundled)
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FONT_CANDIDATES:
        if family in installed:
            return family
    raise FontNotFoundError(
        "未找到可显示中文的字体：请安装 mplfonts（pip install mplfonts）"
        "或系统字体 Noto Sans CJK SC / 文泉驿微米黑。"
        " No CJK font found: install the 'mplfonts' package or a system CJK font"
        f" (tried: {', '.join(CJK_FONT_CANDIDATES)})."
    )


def _report_rc(family: str) -> dict[str, Any]:
    """Matplotlib rcParams of the report style."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": 11,
        "axes.titlesize": 14,
        "axes.titleweight": "normal",  # bundled CJK font has no bold face
        "axes.titlepad": 10,
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.title_fontsize": 10,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "figure.dpi": FIGURE_DPI,
        "figure.figsize": (8.0, 4.5),
        "figure.facecolor": "white",
        "savefig.dpi": "figure",
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "svg.hashsalt": _SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "image.cmap": "Blues",
    }


def use_report_style() -> str:
    """Register a CJK font and apply the shared report style; return the font family.

    Idempotent: calling it again re-applies the same settings without
    registering the font twice.
    """
    import seaborn as sns  # local import: seaborn is heavy and only needed here

    family = find_cjk_font()
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=list(PALETTE),
        font="sans-serif",
        rc={"grid.color": "#E3E7EC", "axes.edgecolor": "#B0B8C1"},
    )
    matplotlib.rcParams.update(cast(Any, _report_rc(family)))  # rcParams' stub types keys as literals
    return family


def figure_metadata(fmt: str = "png") -> dict[str, str | None]:
    """Savefig ``metadata`` that drops timestamps and version strings.

    Pass it as ``fig.savefig(path, format=fmt, metadata=figure_metadata(fmt))``
    so identical figures give byte-identical files.
    """
    fmt = fmt.lower()
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    if fmt == "pdf":
        return {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}
    if fmt in {"ps", "eps"}:
        return {"Creator": None}
    return {}
