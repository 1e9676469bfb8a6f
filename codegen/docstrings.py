"""Turn the model's HTML documentation into plain, Markdown-flavoured docstring text."""

from __future__ import annotations

import html
import re
import textwrap
from html.parser import HTMLParser

WIDTH = 92


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []
        self.list_depth = 0

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def _emit(self, text: str) -> None:
        if self.href is not None:
            self.link_text.append(text)
        else:
            self.current.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "ul", "ol", "note", "important", "li", "br"):
            self._flush()
        if tag == "li":
            self.current.append("- ")
        elif tag == "note":
            self.current.append("Note: ")
        elif tag == "important":
            self.current.append("Important: ")
        elif tag == "code":
            self._emit("`")
        elif tag in ("i", "b", "em", "strong"):
            self._emit("*")
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "ul", "ol", "note", "important", "li"):
            self._flush()
        elif tag == "code":
            self._emit("`")
        elif tag in ("i", "b", "em", "strong"):
            self._emit("*")
        elif tag == "a":
            text = re.sub(r"\s+", " ", "".join(self.link_text)).strip()
            href = self.href
            self.href = None
            if href and href.startswith("http"):
                self.current.append(f"[{text or href}]({href})")
            else:
                self.current.append(text)

    def handle_data(self, data: str) -> None:
        self._emit(data)


def to_text(doc: str | None) -> str:
    """Readable text for a model documentation string (empty when there is none)."""
    if not doc:
        return ""
    converter = _Converter()
    converter.feed(doc)
    converter.close()
    converter._flush()
    blocks: list[str] = []
    for block in converter.blocks:
        if blocks and blocks[-1] in ("Note:", "Important:"):
            blocks[-1] += " " + block
        else:
            blocks.append(block)
    paragraphs = []
    for block in blocks:
        block = html.unescape(block).replace("``", "`")
        indent = "  " if block.startswith("- ") else ""
        paragraphs.append(
            textwrap.fill(
                block,
                width=WIDTH,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    # Consecutive list items read better without blank lines between them.
    out: list[str] = []
    for para in paragraphs:
        if out and para.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + para
        else:
            out.append(para)
    return "\n\n".join(out)


def docstring(text: str, indent: str) -> str:
    """A triple-quoted docstring literal for ``text``, indented for its place in the code."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text += " "
    first, *rest = text.split("\n")
    if not rest:
        return f'{indent}"""{first}"""\n'
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in rest)
    return f'{indent}"""{first}\n{body}{indent}"""\n'


def wrap(text: str, width: int = WIDTH) -> str:
    """Plain text wrapped paragraph by paragraph."""
    return "\n\n".join(
        textwrap.fill(paragraph, width=width, break_long_words=False, break_on_hyphens=False)
        for paragraph in text.split("\n\n")
    )
