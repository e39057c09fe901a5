"""Style sheet of the HTML report for paper (A4) and for narrow screens (phones).

``REPORT_CSS`` is inserted into the offline HTML template (``helpers.render``):

- on paper: A4 with page numbers ``— 1 —`` in the bottom margin box (Chromium ≥ 131 and other
  engines with CSS Paged Media margin boxes; older browsers print without numbers), the table of
  contents printed, headings and table captions kept with what follows, tables fitted to the
  page width (wrapping text, a smaller font, header row repeated on every page, rows never
  split), no scroll bars, charts never split;
- on narrow screens: every output scrolls sideways inside its own box instead of squeezing
  table columns to one character; charts scale with the screen but not below 560 px, so their
  labels stay legible (the rest scrolls).
"""

from __future__ import annotations

__all__ = ["REPORT_CSS", "PAGE_MARGINS"]

#: Page margins of the printed HTML (top right bottom left).
PAGE_MARGINS = "16mm 14mm 18mm 14mm"

REPORT_CSS = """\
<style type="text/css">
/* charts scale with the screen; the PNG carries print resolution */
.jp-OutputArea-output img { max-width: 100%; height: auto; }
/* an output wider than the screen scrolls inside its own box */
.jp-OutputArea-child { display: block; }
.jp-OutputArea-prompt, .jp-OutputPrompt { display: none; }
.jp-OutputArea-output { display: block; max-width: 100%; overflow-x: auto; }
.jp-OutputArea-output.jp-RenderedHTMLCommon table { table-layout: auto; }
.jp-OutputArea-output.jp-RenderedHTMLCommon td,
.jp-OutputArea-output.jp-RenderedHTMLCommon th { word-break: normal; overflow-wrap: break-word; }
@media only screen and (max-width: 760px) {
  .jp-Notebook { padding: 4px; }
  .jp-Cell { padding: 2px 4px; }
  .jp-RenderedHTMLCommon { font-size: 15px; }
  .jp-RenderedHTMLCommon table { font-size: 13px; }
  .jp-OutputArea-output.jp-RenderedHTMLCommon td, .jp-OutputArea-output.jp-RenderedHTMLCommon th { min-width: 4.5em; padding: 0.35em; }
  nav.report-toc { margin: 8px 4px; padding: 8px 12px; }
  /* a chart keeps a legible size (labels of about 10 px) and scrolls sideways in its box */
  .jp-OutputArea-output img { min-width: 560px; }
}
@page {
  size: A4;
  margin: __PAGE_MARGINS__;
  @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; color: #333; }
}
@media print {
  html, body { background: #fff; }
  .jp-Notebook { padding: 0; overflow: visible; }
  .jp-Cell { padding: 0 !important; }
  .jp-OutputArea-output { overflow: visible !important; }
  nav.report-toc { display: block; border: none; background: none; padding: 0; margin: 0 0 8mm 0; break-after: page; }
  nav.report-toc a, nav.report-toc a:link, nav.report-toc a:visited { color: #000; }
  h1, h2, h3, h4 { break-after: avoid-page; break-inside: avoid; }
  .jp-MarkdownCell, .jp-RenderedMarkdown { break-after: avoid-page; }
  .jp-OutputArea-output.jp-RenderedHTMLCommon table { width: 100%; font-size: 8.5pt; }
  .jp-OutputArea-output.jp-RenderedHTMLCommon td, .jp-OutputArea-output.jp-RenderedHTMLCommon th { padding: 0.25em 0.35em; }
  .jp-RenderedHTMLCommon thead { display: table-header-group; }
  .jp-RenderedHTMLCommon tr, .jp-OutputArea-output img { break-inside: avoid; }
  .jp-OutputArea-output img { max-height: 200mm; width: auto; }
  a { color: inherit; text-decoration: none; }
  .anchor-link { display: none; }
}
</style>
""".replace("__PAGE_MARGINS__", PAGE_MARGINS)
