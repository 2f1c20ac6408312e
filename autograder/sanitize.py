"""Student content is inert on every page built from it: the feedback HTML and the formgrader.

A student writes the Markdown and (through their code) the outputs of a notebook, and both are
rendered as HTML for the instructor (formgrader) and the student (feedback). Unsanitized, a
`<script>` in a written answer runs with the instructor's Jupyter session when the submission is
opened. Three layers keep it inert:

1. `SanitizeStudentOutputs` (autograde, after `ScoreHiddenTests`) cleans the HTML outputs stored in
   the autograded notebook, drops script and widget outputs, and keeps the grader's result mime
   type (`runner.RESULT_MIME`) only on the grader's own result in a test cell, so no later reader
   of the notebook can mistake a student's display for it.
2. The page templates (`autograder/templates/`, set up by `configure_pages` from
   `nbgrader_config.py`) pass every student Markdown cell, raw cell and output through
   `clean_html`, an allowlist of tags and attributes; anything else is shown escaped, as text. The
   grader's result is re-rendered from its data in a marked box that student HTML cannot produce
   (student HTML keeps no `style` and only syntax-highlighting classes).
3. Each page carries a Content Security Policy: scripts run only with the page's own nonce (plus
   MathJax's folder), so an inline script or event handler that got through would still not run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import bleach
from jinja2 import pass_context
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from autograder.runner import RESULT_MIME, CellResult

TEMPLATES = Path(__file__).resolve().parent / "templates"
# MathJax for the feedback and formgrader pages; the CSP allows scripts from its folder.
MATHJAX_URL = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS_CHTML-full,Safe"

_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
# Classes that syntax highlighting (Pygments) and Markdown headings use: nothing a page's own
# markup (such as the grader's result box) relies on.
_CLASS = re.compile(r"^(?:[a-z][a-z0-9]{0,2}|highlight|hll|anchor-link|(?:hl|language)-[\w+-]{1,30})$")
_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_CELL_ATTRIBUTES = {"colspan", "rowspan", "align"}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return tag in ("a", "code", "div", "pre", "span") and all(
            _CLASS.match(word) for word in value.split()
        )
    if tag == "a":
        return name == "title" or (name == "href" and not value.strip().lower().startswith("data:"))
    if tag == "img":
        # Only embedded images: a student's page must not make the reader's browser fetch anything.
        return name in ("alt", "title", "width", "height") or (name == "src" and bool(_IMAGE.match(value)))
    if tag in ("td", "th"):
        return name in _CELL_ATTRIBUTES
    if tag == "ol":
        return name == "start"
    return tag == "abbr" and name == "title"


_CLEANER = bleach.Cleaner(
    tags=_TAGS,
    attributes=_allowed_attribute,
    protocols={"http", "https", "mailto", "data"},
    strip=False,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Student HTML with only inert tags and attributes left; every other tag is shown escaped."""
    return _CLEANER.clean(str(html))


@pass_context
def markdown2html(context, source: str) -> str:
    """nbconvert's Markdown filter (math kept for MathJax, attachments inlined), then `clean_html`:
    replaces `markdown2html` in the page templates, so every Markdown cell and comment is clean."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    cell = context.get("cell") or {}
    renderer = IPythonRenderer(
        escape=False,
        attachments=cell.get("attachments", {}),
        embed_images=False,
        anchor_link_text="¶",
        exclude_anchor_links=False,
        path=context.get("resources", {}).get("metadata", {}).get("path", ""),
    )
    return clean_html(MarkdownWithMath(renderer=renderer).render(str(source)))


def is_grader_result(output, cell) -> bool:
    """Whether `output` is the grader's hidden-test result in a locked test cell (as
    `ScoreHiddenTests` writes it), not something a student displayed."""
    from autograder.nbgrader_plugins import is_test_cell

    return RESULT_MIME in output.get("data", {}) and is_test_cell(cell)


def grader_result_html(output) -> str:
    """The grader's result table, rendered again from its data (every text in it escaped)."""
    return CellResult.from_json(json.loads(output["data"][RESULT_MIME])).html()


def content_security_policy(page: str, nonce: str) -> str:
    """The Content Security Policy of a page: `page` is "feedback" (a file the student opens,
    maybe from disk) or "formgrade" (served by the instructor's Jupyter server)."""
    parts = urlsplit(MATHJAX_URL)
    mathjax = f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}/" if parts.netloc else ""
    if page == "feedback":
        from autograder.feedback import mathjax_script

        if mathjax_script():  # inlined in the page: nothing is loaded from anywhere
            mathjax = ""
    scripts = f"'nonce-{nonce}' {mathjax}".strip()
    if page == "feedback":
        # A vendored MathJax next to the page (or served with it) is a script of the page itself.
        scripts += " 'self' file:"
    rules = [
        "default-src 'none'",
        f"script-src {scripts}",
        f"style-src 'self' 'unsafe-inline' {mathjax}".strip(),
        f"font-src 'self' data: {mathjax}".strip(),
        "img-src 'self' data:",
        "connect-src 'self'" if page == "formgrade" else "connect-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(rules)


def mathjax_url(_: object = None) -> str:
    """The MathJax script the pages load (a Jinja filter, so templates share one setting)."""
    return MATHJAX_URL


def configure_pages(c) -> None:
    """Renders the formgrader's submission views and `generate_feedback` pages with the course's
    templates (`autograder/templates/`): sanitized student content, a marked grader's result and a
    Content Security Policy. Called from `nbgrader_config.py` with its config object."""
    import nbgrader

    formgrader = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader"
    nbgrader_templates = str(formgrader / "templates")
    bootstrap_css = str(formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css")
    c.HTMLExporter.sanitize_html = True
    # nbconvert's own filter names, so every template block that renders Markdown or HTML uses them.
    c.HTMLExporter.filters = {
        "markdown2html": "autograder.sanitize.markdown2html",
        "clean_html": "autograder.sanitize.clean_html",
        "is_grader_result": "autograder.sanitize.is_grader_result",
        "grader_result_html": "autograder.sanitize.grader_result_html",
        "content_security_policy": "autograder.sanitize.content_security_policy",
        "mathjax_url": "autograder.sanitize.mathjax_url",
    }
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), nbgrader_templates]
    # The formgrader's exporter has no parent: it reads these. Feedback reads its own below.
    c.HTMLExporter.template_name = "course_formgrade"
    c.HTMLExporter.extra_template_paths = [str(TEMPLATES), nbgrader_templates]
    c.GenerateFeedback.HTMLExporter.template_name = "course_feedback"
    c.GenerateFeedback.HTMLExporter.extra_template_paths = [str(TEMPLATES), nbgrader_templates, bootstrap_css]


class SanitizeStudentOutputs(Preprocessor):
    """Makes the outputs stored in the autograded notebook inert (autograde, after
    `ScoreHiddenTests`): HTML is cleaned, script and widget outputs are dropped, and the grader's
    result mime type is removed from every output but the grader's own."""

    enabled = Bool(True).tag(config=True)
    dropped = ("application/javascript", "text/javascript", "application/vnd.jupyter.widget-view+json")

    def preprocess_cell(self, cell, resources, index):
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is None or is_grader_result(output, cell):
                outputs.append(output)
                continue
            for key in (RESULT_MIME, *self.dropped):
                data.pop(key, None)
            if "text/html" in data:
                data["text/html"] = clean_html(data["text/html"])
            if data or output.get("output_type") == "execute_result":
                outputs.append(output)
        if "outputs" in cell:
            cell.outputs = outputs
        return cell, resources
