"""Read built HTML the way a test needs it: visible text, and elements with their attributes."""

from __future__ import annotations

from html.parser import HTMLParser


class Document(HTMLParser):
    """Parses a page into its visible text and a flat list of (tag, attributes, text) elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._open: list[int] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs), []))
        if tag not in {"meta", "link", "br", "img", "input"}:
            self._open.append(len(self.elements) - 1)
        if tag in {"head", "script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            index = self._open.pop()
            if self.elements[index][0] == tag:
                break
        if tag in {"head", "script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.elements[index][2].append(data)
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def find_all(self, tag: str, **attrs: str) -> list[tuple[dict[str, str | None], str]]:
        return [(attributes, " ".join("".join(texts).split()))
                for name, attributes, texts in self.elements
                if name == tag and all(attributes.get(key) == value
                                       for key, value in attrs.items())]
