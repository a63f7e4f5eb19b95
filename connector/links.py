"""Link tokens: links in retrieved text become `link_N` before a language model sees them; afterwards
only known tokens are turned back into addresses and any other link the model wrote is removed (its
text kept). A model cannot then invent a phishing link or leak data through an image URL.

    links = LinkTokens()
    safe_text = links.tokenise("Apply at https://www.gov.uk/apply-apprenticeship")
    answer = links.restore(model_output)
"""

from __future__ import annotations

import re

URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.IGNORECASE)
# A Markdown link or image: "!" for an image, its text, its address (the sentence splitter keeps the text).
MARKDOWN_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")
TOKEN = re.compile(r"\blink_(\d+)\b")
# Anything that looks like an address the model wrote: a scheme, www., or a bare domain with a path.
ANY_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:(?://)?[^\s<>()\[\]]+|www\.[^\s<>()\[\]]+|\b[\w-]+(?:\.[\w-]+)+/[^\s<>()\[\]]*)",
    re.IGNORECASE,
)
TRAILING = ".,;:!?"


class LinkTokens:
    """Maps the links of one answer's sources to tokens and back."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def token_for(self, url: str) -> str:
        url = url.rstrip(TRAILING)
        if url not in self.urls:
            self.urls.append(url)
        return f"link_{self.urls.index(url) + 1}"

    def tokenise(self, text: str) -> str:
        """The text with each link address replaced by its token."""
        text = MARKDOWN_LINK.sub(lambda m: f"[{m.group(2)}]({self.token_for(m.group(3))})", text)
        return URL.sub(lambda m: self.token_for(m.group(0)) + _trailing(m.group(0)), text)

    def _url(self, token: str) -> str | None:
        match = TOKEN.fullmatch(token.strip())
        if match and 1 <= int(match.group(1)) <= len(self.urls):
            return self.urls[int(match.group(1)) - 1]
        return None

    def restore(self, text: str) -> str:
        """Known tokens back to addresses; other links and images become their text; stray URLs go."""

        def markdown(match: re.Match[str]) -> str:
            is_image, label, target = match.group(1), match.group(2), match.group(3)
            url = None if is_image else self._url(target)
            return f"[{label}]({url})" if url else label

        kept: list[str] = []

        def keep(match: re.Match[str]) -> str:
            kept.append(match.group(0))
            return f"\x00{len(kept) - 1}\x00"

        text = MARKDOWN_LINK.sub(markdown, text)
        text = re.sub(r"\[[^\]]*\]\((?:https?://)[^)]*\)", keep, text)  # restored links are ours
        text = ANY_ADDRESS.sub("", text)
        text = TOKEN.sub(lambda m: self._url(m.group(0)) or "", text)
        text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
        return re.sub(r"[ \t]{2,}", " ", text)


def _trailing(url: str) -> str:
    return url[len(url.rstrip(TRAILING)) :]
