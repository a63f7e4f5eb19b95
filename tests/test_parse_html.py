"""HTML parsing: main content with structure, nothing hidden, the right characters, JSON-LD kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connector.types import FetchResult
from ingest.html_hidden import style_hides
from ingest.parse_html import parse_html

SITE = Path(__file__).parent.parent / "eval" / "sites" / "site"


def fetched(
    body: bytes | str, url: str = "http://college.test/page.html", charset: str | None = None
) -> FetchResult:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return FetchResult(
        url=url, final_url=url, status=200, content_type="text/html", charset=charset, body=data
    )


def site_page(path: str, charset: str | None = None) -> FetchResult:
    return fetched((SITE / path).read_bytes(), url=f"http://college.test/{path}", charset=charset)


def test_hidden_prompt_injections_are_dropped_and_visible_text_kept():
    page = parse_html(site_page("employers/hiring-an-apprentice.html"))
    assert "HIDDEN-" not in page.text
    assert not re.search(r"ignore (all|the user|previous)", page.text, re.I)
    assert "apprentice" in page.text.lower()


@pytest.mark.parametrize(
    "hidden",
    [
        '<div style="display: none">SECRET</div>',
        '<div style="visibility:hidden">SECRET</div>',
        "<div hidden>SECRET</div>",
        '<div aria-hidden="true">SECRET</div>',
        '<p style="font-size: 0px">SECRET</p>',
        '<p style="font-size:0">SECRET</p>',
        '<p style="opacity:0">SECRET</p>',
        '<div style="height:0;overflow:hidden">SECRET</div>',
        '<p style="position:absolute;left:-9999px">SECRET</p>',
        '<p style="text-indent:-10000px">SECRET</p>',
        '<p class="sneaky">SECRET</p><style>.sneaky { display : none }</style>',
        '<p id="x">SECRET</p><style>@media screen { #x { font-size: 0 } }</style>',
        '<p class="visually-hidden">SECRET</p>',
        '<input type="hidden" value="SECRET">',
        "<template><p>SECRET</p></template>",
        "<noscript>SECRET</noscript>",
        '<p>Vis\u200bible</p><div style="DISPLAY:NONE !important">SECRET</div>',
    ],
)
def test_each_way_of_hiding_text_is_recognised(hidden):
    page = parse_html(
        fetched(f"<html><body><main><h1>Fees</h1><p>Visible text</p>{hidden}</main></body></html>")
    )
    assert "SECRET" not in page.text
    assert "Visible" in page.text


def test_visible_styles_are_not_mistaken_for_hidden():
    assert not style_hides("display:block; font-size: 10px; left: -5px")
    assert not style_hides("margin-left:-20px;opacity:0.9")
    page = parse_html(fetched('<main><p class="hidden md:block">Shown on desktop</p></main>'))
    assert "Shown on desktop" in page.text


def test_navigation_footer_cookie_banner_scripts_and_forms_are_dropped():
    html = """<html><head><title>Courses | College</title><style>p{color:red}</style></head><body>
    <header><nav><a href="/">Home</a> MENU-TEXT</nav></header>
    <div id="cookie-consent">COOKIE-TEXT We use cookies</div>
    <main><h1>Courses</h1><p>Our courses start in September.</p>
      <form><label>Search</label><input name="q"><button>FORM-TEXT</button></form></main>
    <aside>ASIDE-TEXT</aside><footer>FOOTER-TEXT</footer><script>SCRIPT-TEXT()</script></body></html>"""
    text = parse_html(fetched(html)).text
    assert "Our courses start in September." in text
    for marker in (
        "MENU-TEXT",
        "COOKIE-TEXT",
        "FORM-TEXT",
        "ASIDE-TEXT",
        "FOOTER-TEXT",
        "SCRIPT-TEXT",
        "color",
    ):
        assert marker not in text


def test_headings_lists_and_tables_keep_their_structure():
    html = """<title>Electrician | College</title><main><h1>Electrician</h1><p>Intro.</p><h2>Fees</h2>
    <table><thead><tr><th>Age</th><th>Fee</th></tr></thead>
    <tbody><tr><td>16-18</td><td>Free</td></tr><tr><td>19+</td><td>£1,200</td></tr></tbody></table>
    <h3>Ways to pay</h3>
    <ul><li>Monthly<ul><li>by direct debit</li></ul></li><li>Advanced Learner Loan</li></ul>
    <h2>Entry</h2><table><tr><td>GCSE</td><td>Grade 4</td></tr></table></main>"""
    page = parse_html(fetched(html, url="http://college.test/courses/electrician"))
    by_path = {" > ".join(s.heading_path): s.text for s in page.sections}
    assert by_path["Electrician > Fees"] == "Age: 16-18; Fee: Free\nAge: 19+; Fee: £1,200"
    assert (
        by_path["Electrician > Fees > Ways to pay"]
        == "- Monthly\n  - by direct debit\n- Advanced Learner Loan"
    )
    assert by_path["Electrician > Entry"] == "GCSE: Grade 4"
    assert page.doc_type == "course"


def test_windows_1252_with_charset_only_in_meta_keeps_the_pound_sign():
    page = parse_html(site_page("legacy/fees-2019.html"))
    assert "£" in page.text
    assert "\ufffd" not in page.text


def test_windows_1252_without_any_charset_is_sniffed():
    page = parse_html(site_page("legacy/bursary-notice.html"))
    assert "£" in page.text
    assert "\ufffd" not in page.text


def test_header_charset_wins_and_a_wrong_one_does_not_garble_text():
    body = "<main><p>Course fee £450 – café</p></main>".encode("cp1252")
    assert "£450 – café" in parse_html(fetched(body, charset="windows-1252")).text
    assert "£450 – café" in parse_html(fetched(body, charset="iso-8859-1")).text  # read as browsers do
    assert "£450" in parse_html(fetched(body, charset="utf-8")).text  # declared wrong: bytes are sniffed


def test_json_ld_is_kept_before_scripts_are_dropped():
    page = parse_html(site_page("courses/engineering-maintenance-technician-l3.html"))
    types = [item.get("@type") for item in page.structured]
    assert "Course" in types
    assert page.doc_type == "course"
    assert "@context" not in page.text


def test_json_ld_graphs_are_flattened_and_bad_json_skipped():
    html = """<script type="application/ld+json">{"@graph": [{"@type": "Course", "name": "A"},
    {"@type": "Organization", "name": "B"}]}</script><script type="application/ld+json">{not json</script>
    <main><p>Text</p></main>"""
    assert [i["name"] for i in parse_html(fetched(html)).structured] == ["A", "B"]


def test_title_canonical_links_and_last_modified_are_recorded():
    html = """<html><head><title> Hiring an apprentice | Thameside </title>
    <link rel="canonical" href="/employers/hiring"></head><body><main><p>Text</p>
    <a href="/a#top">A</a><a href="mailto:x@y.z">mail</a><a rel="nofollow" href="/b">B</a>
    <div hidden><a href="/trap">T</a></div></main></body></html>"""
    result = fetched(html, url="http://college.test/employers/x")
    result.last_modified = "Mon, 02 Nov 2026 09:00:00 GMT"
    page = parse_html(result)
    assert page.title == "Hiring an apprentice | Thameside"
    assert page.canonical_url == "http://college.test/employers/hiring"
    assert page.links == ["http://college.test/a"]
    assert page.last_modified == "Mon, 02 Nov 2026 09:00:00 GMT"
    assert page.fetched_at and page.doc_type == "guidance" and "employer" in page.audiences


def test_doc_type_and_audiences_from_sources_yaml_win():
    page = parse_html(fetched("<main><p>x</p></main>", url="http://c.test/news/1"), "toolkit", ["provider"])
    assert (page.doc_type, page.audiences) == ("toolkit", ["provider"])
    assert parse_html(fetched("<main><p>x</p></main>", url="http://c.test/news/1")).doc_type == "news"


def test_deeply_nested_and_malformed_html_is_read_without_crashing():
    deep = "<div>" * 5000 + "<p>Deep text</p>" + "</div>" * 10
    page = parse_html(fetched(f"<html><body><main>{deep}<p>Unclosed <b>bold <i>text</main>"))
    assert isinstance(page.text, str)
    broken = parse_html(fetched(b"<html><body><p>caf\xe9 <<<>>> & &amp; <p>two"))
    assert "café" in broken.text and "two" in broken.text


def test_empty_page_has_no_sections():
    assert parse_html(fetched(b"")).sections == []


@pytest.mark.parametrize(
    "name", ["course-social-care", "share-your-story", "menu-of-options", "sidebar-fees"]
)
def test_content_survives_whatever_words_its_class_or_id_holds(name):
    html = f"""<html><body><main><h1>Courses</h1>
      <section class="{name}" id="{name}"><h2>Health and social care</h2>
        <p>Level 3 diploma in adult care, two days a week at the Basildon campus.</p></section>
    </main></body></html>"""
    page = parse_html(fetched(html))
    assert "Level 3 diploma in adult care" in page.text
    assert ["Health and social care"] in [s.heading_path for s in page.sections]


def test_link_lists_go_by_their_link_density_whatever_they_are_called():
    html = """<html><body><main><h1>Welding</h1>
      <ol class="trail"><li><a href="/">Home</a></li><li><a href="/courses/">Courses</a></li>
        <li><a href="/courses/eng/">Engineering</a></li></ol>
      <p>The welding course teaches MIG and TIG welding over twelve evenings.</p>
      <div class="course-links"><a href="https://fb.example/">Facebook</a> <a href="https://x.example/">X</a>
        <a href="https://li.example/">LinkedIn</a></div>
      <p>Read the <a href="/fees">fees page</a> and the <a href="/dates">start dates</a> before you
         apply: most learners aged 19 to 23 pay nothing for a first level 3 qualification.</p>
    </main></body></html>"""
    text = parse_html(fetched(html)).text
    assert "MIG and TIG welding" in text
    assert "most learners aged 19 to 23 pay nothing" in text  # a sentence with a few links is content
    for link_text in ("Home", "Engineering", "Facebook", "LinkedIn"):
        assert link_text not in text


def test_a_consent_banner_goes_on_a_page_without_a_main_region_by_its_controls():
    html = """<html><body>
      <div class="notice-bar"><p>BANNER-TEXT This site stores small files to work.</p>
        <button>Accept</button><button>Reject</button></div>
      <div class="page"><h1>Apprenticeships</h1>
        <p>An apprenticeship combines paid work with at least 20% off-the-job training.</p>
        <p>Ask us about evening classes.</p><button>Apply now</button></div>
    </body></html>"""
    text = parse_html(fetched(html)).text
    assert "BANNER-TEXT" not in text
    assert "at least 20% off-the-job training" in text and "evening classes" in text
