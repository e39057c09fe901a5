"""Byte-deterministic OOXML files (.xlsx, .docx): fixed core-property dates and zip entry timestamps."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

FIXED_W3CDTF = "2000-01-01T00:00:00Z"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(
    r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalized_xlsx_bytes(raw: bytes) -> bytes:
    """The same workbook with fixed core-property dates, zip timestamps, attributes and order."""
    return normalized_ooxml_bytes(raw)


def normalized_ooxml_bytes(
    raw: bytes, *, transform: Mapping[str, Callable[[bytes], bytes]] | None = None
) -> bytes:
    """The same OOXML package (.xlsx, .docx) with fixed dates, zip timestamps, attributes and order.

    Sets ``created``/``modified`` to 2000-01-01, gives every zip entry the timestamp
    1980-01-01 00:00:00 and fixed attributes, and keeps a stable entry order
    (``[Content_Types].xml`` first, then the order of the original archive).
    ``transform`` maps an entry name to a function that rewrites its bytes.
    """
    with zipfile.ZipFile(io.BytesIO(raw)) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    entries = [(name, (transform or {}).get(name, lambda data: data)(data)) for name, data in entries]
    entries.sort(key=lambda e: (e[0] != "[Content_Types].xml",))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATE.sub(lambda m: m.group(1) + FIXED_W3CDTF + m.group(2),
                                      data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o600 << 16
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buf.getvalue()


def normalize_xlsx(path: Path | str) -> Path:
    """Rewrite ``path`` in place so that identical content gives identical bytes."""
    path = Path(path)
    path.write_bytes(normalized_xlsx_bytes(path.read_bytes()))
    return path
