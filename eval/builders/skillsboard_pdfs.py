"""Build the two PDF reports of the Thornvale Employer Skills Board fixture site.

Everything in these reports (the Board, the area, the towns, colleges, firms, people and figures) is
fictional.

The reports imitate documents exported from a word processor: proportional fonts, justified paragraphs,
numbered bold headings, a title page, a contents page, a running header and footer with page numbers,
bulleted lists, footnotes, tables with header rows, a two-column section and a call-out box.

reportlab is not a project dependency; run this with a scratch virtualenv:

    python3 -m venv /tmp/pdfvenv2 && /tmp/pdfvenv2/bin/pip install reportlab
    /tmp/pdfvenv2/bin/python eval/builders/skillsboard_pdfs.py

It writes eval/sites/skillsboard/reports/employer-skills-survey-2026.pdf and
eval/sites/skillsboard/reports/apprenticeships-review-2025-26.pdf. The output is deterministic
(invariant=1), so rebuilding without changes gives identical files.
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

rl_config.invariant = 1

OUT = Path(__file__).resolve().parents[1] / "sites" / "skillsboard" / "reports"

TEAL = colors.HexColor("#0f5560")
PALE = colors.HexColor("#e6f0f1")
SAND = colors.HexColor("#f6efdc")
GREY = colors.HexColor("#5a5a5a")

BODY = ParagraphStyle(
    "body", fontName="Times-Roman", fontSize=10.5, leading=14.2, alignment=TA_JUSTIFY, spaceAfter=6
)
H1 = ParagraphStyle(
    "h1",
    fontName="Helvetica-Bold",
    fontSize=15,
    leading=19,
    textColor=TEAL,
    spaceBefore=6,
    spaceAfter=8,
    keepWithNext=1,
)
H2 = ParagraphStyle(
    "h2",
    fontName="Helvetica-Bold",
    fontSize=11.5,
    leading=15,
    textColor=colors.black,
    spaceBefore=6,
    spaceAfter=4,
    keepWithNext=1,
)
CAPTION = ParagraphStyle(
    "caption", fontName="Helvetica-Bold", fontSize=9, leading=12, spaceBefore=4, spaceAfter=4, keepWithNext=1
)
SOURCE = ParagraphStyle(
    "source",
    fontName="Helvetica-Oblique",
    fontSize=8,
    leading=10,
    textColor=GREY,
    spaceBefore=3,
    spaceAfter=8,
)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.6, leading=10.6, alignment=TA_LEFT)
CELL_NUM = ParagraphStyle("cellnum", parent=CELL, alignment=TA_RIGHT)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)
CELL_HEAD_NUM = ParagraphStyle("cellheadnum", parent=CELL_HEAD, alignment=TA_RIGHT)
FOOTNOTE = ParagraphStyle(
    "footnote", fontName="Times-Roman", fontSize=8, leading=10, alignment=TA_LEFT, spaceAfter=2
)
CALLOUT_HEAD = ParagraphStyle(
    "callouthead", fontName="Helvetica-Bold", fontSize=10.5, leading=13, textColor=TEAL, spaceAfter=4
)
CALLOUT_BODY = ParagraphStyle(
    "calloutbody", fontName="Helvetica", fontSize=9.5, leading=12.5, alignment=TA_LEFT, spaceAfter=3
)
TITLE_BIG = ParagraphStyle(
    "titlebig", fontName="Helvetica-Bold", fontSize=28, leading=34, textColor=TEAL, spaceAfter=10
)
TITLE_SUB = ParagraphStyle(
    "titlesub", fontName="Helvetica", fontSize=15, leading=20, textColor=colors.black, spaceAfter=24
)
TITLE_META = ParagraphStyle("titlemeta", fontName="Helvetica", fontSize=10.5, leading=15, textColor=GREY)
TOC_HEAD = ParagraphStyle("tochead", parent=H1, keepWithNext=0)

PAGE_W, PAGE_H = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 24 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
GUTTER = 8 * mm


class Heading(Paragraph):
    """A numbered section heading that goes into the contents page."""

    def __init__(self, text: str, style: ParagraphStyle = H1):
        super().__init__(text, style)
        self.toc_text = text


class ReportDoc(BaseDocTemplate):
    def __init__(self, path: Path, *, short_title: str, footer_left: str, title: str, author: str):
        super().__init__(
            str(path),
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=short_title,
            creator="Thornvale Employer Skills Board",
        )
        self.short_title = short_title
        self.footer_left = footer_left
        one = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            id="one",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        col_w = (FRAME_W - GUTTER) / 2
        left = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            col_w,
            FRAME_H,
            id="left",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        right = Frame(
            MARGIN_X + col_w + GUTTER,
            MARGIN_BOTTOM,
            col_w,
            FRAME_H,
            id="right",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        title_frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            FRAME_H,
            id="title",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="title", frames=[title_frame], onPage=self._title_page),
                PageTemplate(id="onecol", frames=[one], onPage=self._running),
                PageTemplate(id="twocol", frames=[left, right], onPage=self._running),
            ]
        )

    def _footer(self, canvas) -> None:
        canvas.setStrokeColor(TEAL)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, 15 * mm, PAGE_W - MARGIN_X, 15 * mm)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, 10.5 * mm, self.footer_left)
        canvas.drawRightString(PAGE_W - MARGIN_X, 10.5 * mm, f"Page {canvas.getPageNumber()}")

    def _title_page(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFillColor(TEAL)
        canvas.rect(0, PAGE_H - 14 * mm, PAGE_W, 14 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawString(MARGIN_X, PAGE_H - 9 * mm, "Thornvale Employer Skills Board")
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 9 * mm, self.short_title)
        self._footer(canvas)
        canvas.restoreState()

    def _running(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, PAGE_H - 14 * mm, "Thornvale Employer Skills Board")
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 14 * mm, self.short_title)
        canvas.setStrokeColor(TEAL)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, PAGE_H - 16 * mm, PAGE_W - MARGIN_X, PAGE_H - 16 * mm)
        self._footer(canvas)
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading):
            level = 0 if flowable.style is H1 else 1
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (level, flowable.toc_text, self.page, key))


# ---------------------------------------------------------------- helpers


def p(text: str) -> Paragraph:
    return Paragraph(text, BODY)


def bullets(items: list[str]) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(t, BODY), leftIndent=14, value="•") for t in items],
        bulletType="bullet",
        start="•",
        leftIndent=14,
        bulletFontName="Helvetica",
        bulletFontSize=9,
        spaceAfter=6,
    )


def numbered(items: list[str]) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(t, BODY), leftIndent=18) for t in items],
        bulletType="1",
        bulletFormat="%s.",
        leftIndent=18,
        bulletFontName="Times-Bold",
        bulletFontSize=10.5,
        spaceAfter=6,
    )


def table(
    caption: str,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    source: str,
    total_row: bool = True,
    text_cols: int = 1,
) -> KeepTogether:
    data = [[Paragraph(h, CELL_HEAD if i < text_cols else CELL_HEAD_NUM) for i, h in enumerate(header)]]
    for row in rows:
        data.append([Paragraph(c, CELL if i < text_cols else CELL_NUM) for i, c in enumerate(row)])
    t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), TEAL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#b9c9cb")),
        ("BOX", (0, 0), (-1, -1), 0.6, TEAL),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for r in range(2, len(data), 2):
        style.append(("BACKGROUND", (0, r), (-1, r), PALE))
    if total_row:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1.0, TEAL), ("BACKGROUND", (0, -1), (-1, -1), SAND)]
        data[-1] = [
            Paragraph(f"<b>{c}</b>", CELL if i < text_cols else CELL_NUM) for i, c in enumerate(rows[-1])
        ]
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return KeepTogether([Paragraph(caption, CAPTION), t, Paragraph(source, SOURCE)])


def callout(heading: str, lines: list[str], width: float = FRAME_W) -> Table:
    inner = [Paragraph(heading, CALLOUT_HEAD)] + [Paragraph(line, CALLOUT_BODY) for line in lines]
    box = Table([[inner]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SAND),
                ("LINEBEFORE", (0, 0), (0, -1), 4, TEAL),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#d8c9a0")),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


class FootnoteBlock(Flowable):
    """Footnotes drawn at the foot of the current page: the block takes up the rest of the frame and draws
    a short rule and the notes at its bottom (each section with footnotes then ends with a page break)."""

    def __init__(self, notes: list[tuple[int, str]]):
        super().__init__()
        self.paras = [Paragraph(f"<super>{n}</super> {text}", FOOTNOTE) for n, text in notes]
        self.sizes: list[tuple[float, float]] = []

    def wrap(self, avail_w, avail_h):
        self.sizes = [para.wrap(avail_w, avail_h) for para in self.paras]
        need = sum(h for _, h in self.sizes) + 2 * len(self.paras) + 10
        self.width = avail_w
        self.height = max(need, avail_h - 1)
        return self.width, self.height

    def draw(self):
        y = sum(h for _, h in self.sizes) + 2 * len(self.paras) + 6
        self.canv.setStrokeColor(GREY)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, y, self.width * 0.35, y)
        y -= 4
        for para, (_, h) in zip(self.paras, self.sizes, strict=True):
            y -= h
            para.drawOn(self.canv, 0, y)
            y -= 2


def footnotes(notes: list[tuple[int, str]]) -> list:
    return [Spacer(1, 6), FootnoteBlock(notes)]


def fn(n: int) -> str:
    return f"<super>{n}</super>"


def title_page(title: str, subtitle: str, meta: list[str]) -> list:
    story: list = [
        Spacer(1, 55 * mm),
        Paragraph(title, TITLE_BIG),
        Paragraph(subtitle, TITLE_SUB),
        HRFlowable(width="40%", thickness=2, color=TEAL, hAlign="LEFT", spaceAfter=14),
    ]
    story += [Paragraph(m, TITLE_META) for m in meta]
    story += [NextPageTemplate("onecol"), PageBreak()]
    return story


def contents_page() -> list:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [
        ParagraphStyle(
            "toc0", fontName="Helvetica", fontSize=10.5, leading=16, leftIndent=0, firstLineIndent=0
        ),
        ParagraphStyle(
            "toc1", fontName="Helvetica", fontSize=9.5, leading=13, leftIndent=14, firstLineIndent=0
        ),
    ]
    return [Paragraph("Contents", TOC_HEAD), Spacer(1, 4), toc, PageBreak()]


# ---------------------------------------------------------------- report 1: employer skills survey


def survey_report() -> None:
    doc = ReportDoc(
        OUT / "employer-skills-survey-2026.pdf",
        short_title="Employer Skills Survey 2026",
        footer_left="Employer Skills Survey 2026: findings report | Published 18 May 2026",
        title="Thornvale Employer Skills Survey 2026: Findings Report",
        author="Thornvale Employer Skills Board",
    )
    s: list = title_page(
        "Employer Skills Survey 2026",
        "Findings report: recruitment, skills gaps and training among employers in Thornvale",
        [
            "Thornvale Employer Skills Board",
            "Published 18 May 2026",
            "Evidence team: Dr Anjali Threlfall (Head of Evidence) and Marcus Penhallow (Analyst)",
            "Fieldwork by Lanyard Insight Ltd on behalf of the Board",
        ],
    )
    s += contents_page()

    s += [
        Heading("Foreword"),
        p(
            "When the Board asked employers two years ago what was holding them back, the answer was people. "
            "This third edition of our survey, after those of 2022 and 2024, suggests that the answer has "
            "not "
            "changed, but that the pressure has grown. Almost a third of the employers who spoke to us this "
            "spring had at least one vacancy they were struggling to fill, and in health and social care the "
            "figure was close to one in two."
        ),
        p(
            "I am grateful to every business owner, manager and HR lead who gave up their time to take part, "
            "and to the colleges and training providers who have already started to act on the early "
            "findings we shared with them in April. The recommendations at the end of this report are the "
            "Board's own; we will report on progress against each of them at the Thornvale Skills Summit."
        ),
        p(
            "<i>Rosalind Ebbwater, Chair, Thornvale Employer Skills Board, and Managing Director, Ebbwater "
            "Precision Ltd</i>"
        ),
        Spacer(1, 8),
    ]

    s += [
        Heading("1. Key findings"),
        p(
            "The survey heard from 1,274 employers across the four districts of Thornvale. The headline "
            "results are set out below; each is explained in the sections that follow."
        ),
        bullets(
            [
                "43% of employers had at least one vacancy at the time they were interviewed.",
                "31% had a vacancy they described as hard to fill, up from 24% in the 2024 survey.",
                "Responding employers were trying to fill 2,960 hard-to-fill vacancies between them.",
                "17% said that at least one member of their current staff was not fully proficient in their "
                "job.",
                "60% had funded or arranged training for their staff in the previous twelve months.",
                "Digital skills were the skills most often lacking among existing staff.",
            ]
        ),
        Spacer(1, 4),
        callout(
            "The figure to remember",
            [
                "Hard-to-fill posts made up about 38% of all the vacancies that responding employers were "
                "recruiting for, and more than one in five of them (612) were in health and social care.",
                "Employers who could not fill a post most often left it open: 46% said they had left at "
                "least "
                "one role vacant for more than three months.",
            ],
        ),
        PageBreak(),
    ]

    s += [
        Heading("2. About the survey"),
        p(
            "The Employer Skills Survey is the Board's main source of evidence on what employers in "
            "Thornvale "
            "need. Fieldwork for the 2026 survey ran from 2 February to 27 March 2026 and was carried out by "
            "Lanyard Insight Ltd, an independent research agency, using a mix of telephone and online "
            "interviews. Employers with at least two staff, including the owner, were eligible; sole traders "
            "were not. The median interview took 19 minutes to complete, and every respondent was offered a "
            f"benchmarking summary comparing their answers with others in their sector.{fn(1)}"
        ),
        p(
            "The sample was drawn from the business register held by Thornvale County Council and topped up "
            "with the Board's own contact list. Results were weighted by employer size, sector and district "
            "so "
            "that they reflect the make-up of the local business population rather than the mix of employers "
            "who happened to respond. Responses by district are shown in Table 3 in the annex. Where a "
            f"percentage is based on fewer than 50 employers it is not reported.{fn(2)}"
        ),
        p(
            "Most questions were the same as in 2024, so that change over time can be measured. Two new "
            "questions were added this year, on the effect of local transport on recruitment and on the use "
            "of "
            "agency staff during seasonal peaks."
        ),
    ]
    s += footnotes(
        [
            (
                1,
                "Employers who asked for a benchmarking summary received it by e-mail in April 2026. "
                "Summaries "
                "are not published and individual answers are never shared with the Board.",
            ),
            (
                2,
                "The margin of error for results based on all 1,274 employers is plus or minus 2.7 "
                "percentage "
                "points at the 95% confidence level; for individual sectors and districts it is wider.",
            ),
        ]
    )
    s += [PageBreak()]

    s += [
        Heading("3. Recruitment and hard-to-fill vacancies"),
        p(
            "Employers were asked whether they had any vacancies at the time of the interview and, if so, "
            "whether any of them were proving hard to fill. Table 1 shows the results by sector. Health and "
            "social care stood out, with almost half of employers reporting a hard-to-fill vacancy, followed "
            "by advanced manufacturing and construction. Retail and professional services reported the "
            "fewest "
            "difficulties."
        ),
        table(
            "Table 1: Vacancies and hard-to-fill vacancies by sector, 2026",
            [
                "Sector",
                "Employers responding",
                "With a vacancy (%)",
                "With a hard-to-fill vacancy (%)",
                "Hard-to-fill vacancies (number)",
            ],
            [
                ["Health and social care", "168", "61%", "47%", "612"],
                ["Construction and the built environment", "151", "49%", "39%", "388"],
                ["Advanced manufacturing and engineering", "183", "52%", "41%", "534"],
                ["Logistics and warehousing", "97", "45%", "33%", "291"],
                ["Hospitality and tourism", "204", "47%", "30%", "466"],
                ["Retail and wholesale", "176", "34%", "19%", "203"],
                ["Digital and creative industries", "88", "40%", "27%", "149"],
                ["Professional and business services", "207", "31%", "18%", "317"],
                ["All sectors", "1,274", "43%", "31%", "2,960"],
            ],
            [62, 26, 25, 29, 24],
            "Source: Thornvale Employer Skills Survey 2026. Percentages are weighted; counts are unweighted.",
        ),
        p(
            "Employers with a hard-to-fill vacancy were asked why. The most common reason, given by 64% of "
            "them, was that too few applicants had the skills the job needed. Some 35% said that the pay and "
            "conditions they could offer did not compare well with those of other employers, and 22% said "
            "that poor public transport made it hard for applicants to reach the workplace. In Oakhythe, "
            "where "
            "the Number 44 bus to the Brackenby industrial estate was withdrawn in 2025, the share of "
            "employers "
            "naming transport as a reason rose to 37%, the highest of any district. Only 9% of employers "
            "blamed a lack of interest in the sector among young people."
        ),
        p(
            "Asked how they had responded, 46% said they had left a post vacant for more than three months, "
            "41% had increased the salary on offer, and 28% had brought in agency or temporary staff. One in "
            "eight (12%) had started, or expanded, their own in-house training to grow their own staff."
        ),
        PageBreak(),
    ]

    s += [
        Heading("4. Skills gaps in the existing workforce"),
        p(
            "A skills gap exists when an employer says that a member of staff is not fully proficient in "
            "their "
            "current job. In 2026, 17% of employers reported at least one such gap, and together they "
            "estimated that 5,180 staff across Thornvale were not fully proficient. Gaps were most common in "
            "larger employers and in the manufacturing and care sectors. The skills that employers said were "
            f"most often lacking were:{fn(3)}"
        ),
        bullets(
            [
                "digital skills, including using new or specialist software (48%);",
                "complex problem solving (39%);",
                "team working, supervision and leadership (33%);",
                "technical or trade skills specific to the job (31%); and",
                "written English and basic numeracy (21%).",
            ]
        ),
        p(
            "The main causes of skills gaps were staff being new to the role (57%), the introduction of new "
            "working practices or equipment (44%) and a lack of training opportunities (26%). Employers that "
            "had introduced new technology in the previous year were almost twice as likely to report a "
            "skills gap as those that had not, which suggests that the digital gap will keep growing unless "
            "training keeps pace."
        ),
    ]
    s += footnotes(
        [
            (
                3,
                "Percentages are of the 217 employers that reported a skills gap. Employers could give more "
                "than "
                "one answer, so the figures add up to more than 100%.",
            ),
        ]
    )
    s += [PageBreak()]

    s += [
        Heading("5. Training and investment in skills"),
        p(
            "Six in ten employers (60%) had funded or arranged training for their staff in the twelve months "
            "before the interview. As Table 2 shows, the likelihood of training rises steeply with size: "
            "fewer than half of micro businesses trained their staff, against almost every large employer. "
            f"Average spend per employee followed the same pattern.{fn(4)}"
        ),
        table(
            "Table 2: Training activity and spend by employer size, 2026",
            [
                "Employer size",
                "Employers responding",
                "Funded or arranged training (%)",
                "Average spend per employee (£)",
                "Used apprenticeship levy funds (%)",
            ],
            [
                ["Micro (1 to 9 staff)", "612", "44%", "£310", "6%"],
                ["Small (10 to 49 staff)", "398", "67%", "£420", "21%"],
                ["Medium (50 to 249 staff)", "191", "82%", "£515", "58%"],
                ["Large (250 staff or more)", "73", "96%", "£640", "91%"],
                ["All employers", "1,274", "60%", "£455", "23%"],
            ],
            [52, 26, 30, 30, 28],
            "Source: Thornvale Employer Skills Survey 2026. Levy funds include transfers received from "
            "other employers.",
        ),
        p(
            "Among employers that had not trained any staff, the most common reason was that their staff "
            "were already fully proficient (52%). However, 27% said that they could not release staff from "
            "work to train, and 14% said that suitable courses were not available locally. Employers in "
            "Castlemere were twice as likely as those elsewhere to say that the nearest suitable course was "
            "more than 25 miles away."
        ),
        p(
            "Online learning is now part of the mix for most employers that train: 71% used at least some "
            "online courses, compared with 55% in 2024. Employers valued online training for its flexibility "
            "but said that it worked least well for practical and trade skills."
        ),
    ]
    s += footnotes(
        [
            (
                4,
                "Average spend includes course fees, the cost of trainers and travel, but excludes the wages "
                "of "
                "staff while they are training.",
            ),
        ]
    )
    s += [NextPageTemplate("twocol"), PageBreak()]

    # two-column section
    s += [
        Heading("6. District snapshots"),
        Paragraph("Wrenfield", H2),
        p(
            "Wrenfield is the largest district and provided 402 of the responses. A third of its employers "
            "(34%) had a hard-to-fill vacancy, driven by advanced manufacturing firms around the Wrenfield "
            "Gateway business park, where several employers are expanding into electric vehicle components. "
            "Wrenfield employers were the most likely to recruit through a college: 38% had used the job "
            "board "
            "run by Wrenfield College in the last year."
        ),
        p(
            "Demand for maintenance technicians was the single most frequently mentioned problem, named "
            "without prompting by 57 employers in the district."
        ),
        Paragraph("Hollinbrook", H2),
        p(
            "Hollinbrook provided 318 responses and 29% of its employers had a hard-to-fill vacancy. The "
            "district's economy leans heavily on hospitality and tourism, and the survey's new question on "
            "seasonal work showed how much this shapes recruitment: 41% of Hollinbrook hospitality employers "
            "said they relied on agency staff to get through the summer season, compared with 18% of "
            "hospitality employers in the rest of Thornvale."
        ),
        p(
            "Employers in the town centre also reported difficulty in finding chefs with a Level 3 "
            "qualification, and several said they had begun to train kitchen porters up to commis chef."
        ),
        Paragraph("Castlemere", H2),
        p(
            "Castlemere is the most rural district, and its 297 responding employers reported the lowest "
            "hard-to-fill rate, at 27%. Their difficulties lie more in training than in recruitment. One in "
            "five "
            "(20%) said that poor broadband held back online training for their staff, and distance to "
            "college was a common complaint, as noted in section 5."
        ),
        p(
            "Agriculture and food production employers asked for short, locally delivered courses in "
            "machinery safety and food hygiene, ideally run in the winter months."
        ),
        Paragraph("Oakhythe", H2),
        p(
            "Oakhythe provided 257 responses and 33% of its employers had a hard-to-fill vacancy. Logistics "
            "employers around the Port of Oakhythe reported the most difficulty, especially in finding HGV "
            "drivers and warehouse supervisors. Transport is a particular problem in the district, as "
            "section 3 "
            "explains."
        ),
        p(
            "Many employers said they were waiting for the Oakhythe Freeport Skills Centre, which is due to "
            "open in September 2026 and will offer forklift, warehouse and port operations training on one "
            "site, to ease their recruitment problems."
        ),
        NextPageTemplate("onecol"),
        PageBreak(),
    ]

    s += [
        Heading("7. Recommendations"),
        p(
            "The Board makes the following recommendations to colleges, training providers, Thornvale County "
            "Council and employers themselves. Each has a named lead on the Board, and progress will be "
            "reported at the Thornvale Skills Summit."
        ),
        numbered(
            [
                "Colleges and providers should add at least 120 places on short courses that lead to the "
                "Care "
                "Certificate, targeted at people returning to work.",
                "Thornvale County Council should work with bus operators to restore a direct service between "
                "Oakhythe town centre and the Brackenby industrial estate before the end of 2026.",
                "The Board will pilot a digital skills voucher worth up to £1,500 per small employer in "
                "2026/27, "
                "to be spent on approved training in software and data skills.",
                "Colleges should offer more evening and weekend delivery, and block release in quieter "
                "seasons "
                "for hospitality staff in Hollinbrook.",
                "Providers should bring at least four courses a year to village halls and community venues "
                "in "
                "Castlemere, starting with machinery safety and food hygiene.",
                "Employers should make more use of levy transfer through the Board's Levy Match service, "
                "which "
                "pairs small firms with larger employers that have unspent funds.",
            ]
        ),
        p(
            "The next Employer Skills Survey will take place in spring 2028. Employers who would like to "
            "take "
            "part can register their interest with the Board's evidence team at any time."
        ),
        PageBreak(),
    ]

    s += [
        Heading("Annex: Responses by district"),
        p(
            "Table 3 shows how the 1,274 responses were spread across the four districts, compared with the "
            "number of businesses in each district with two or more staff. The response rate was highest in "
            "Castlemere and lowest in Wrenfield."
        ),
        table(
            "Table 3: Responses and response rates by district",
            ["District", "Responses", "Share of sample (%)", "Businesses in district", "Response rate (%)"],
            [
                ["Wrenfield", "402", "32%", "5,840", "6.9%"],
                ["Hollinbrook", "318", "25%", "4,110", "7.7%"],
                ["Castlemere", "297", "23%", "3,460", "8.6%"],
                ["Oakhythe", "257", "20%", "3,020", "8.5%"],
                ["All districts", "1,274", "100%", "16,430", "7.8%"],
            ],
            [46, 26, 30, 34, 30],
            "Source: Thornvale Employer Skills Survey 2026; Thornvale County Council business register, "
            "January 2026.",
        ),
        Heading("Acknowledgements"),
        p(
            "The Board thanks Lanyard Insight Ltd, whose interviewers carried out the fieldwork, the members "
            "of the survey steering group, and the 1,274 employers who took part. This report may be reused "
            "under the terms of the Creative Commons Attribution 4.0 licence. Please credit the Thornvale "
            "Employer Skills Board."
        ),
    ]
    doc.multiBuild(s)


# ---------------------------------------------------------------- report 2: apprenticeships review


def apprenticeship_report() -> None:
    doc = ReportDoc(
        OUT / "apprenticeships-review-2025-26.pdf",
        short_title="Apprenticeships and Technical Education 2025/26",
        footer_left="Apprenticeships and Technical Education in Thornvale 2025/26 | Published 30 "
        "September 2026",
        title="Apprenticeships and Technical Education in Thornvale 2025/26: Annual Review",
        author="Thornvale Employer Skills Board",
    )
    s: list = title_page(
        "Apprenticeships and Technical Education in Thornvale",
        "Annual review of the 2025/26 academic year",
        [
            "Thornvale Employer Skills Board",
            "Published 30 September 2026",
            "Lead author: Marcus Penhallow (Analyst), with Kieran Dunmore (Employer Engagement Manager)",
        ],
    )
    s += contents_page()

    s += [
        Heading("Foreword"),
        p(
            "Apprenticeships are how many of Thornvale's best employers grow their own talent, and this "
            "review "
            "shows an encouraging year. Starts rose for the first time in three years, and the growth was "
            "strongest at the higher levels, where the skills shortages described in our Employer Skills "
            "Survey are most acute. There is a less welcome story underneath: fewer young people are "
            "starting "
            "at Level 2, and small firms still find the system hard to navigate."
        ),
        p(
            "The Board's Levy Match service was set up to tackle the second of these problems, and I am "
            "delighted by how many larger employers have pledged their unspent funds. I would like to thank "
            "them, and the colleges and training providers whose work is summarised in section 5."
        ),
        p(
            "<i>Deborah Kinsella-Ward, Vice-Chair, Thornvale Employer Skills Board, and Head of People, "
            "Brackenby Foods Ltd</i>"
        ),
        Spacer(1, 8),
    ]

    s += [
        Heading("1. Summary"),
        bullets(
            [
                "There were 4,215 apprenticeship starts in Thornvale in 2025/26, up 6% on the previous year.",
                "Higher and degree apprenticeship starts grew fastest; starts at Level 2 fell by 12%.",
                "Employers in Thornvale paid an estimated £38.6 million into the apprenticeship levy.",
                "Levy Match paired 46 small employers with larger employers willing to transfer funds.",
                "198 of the 236 T Level students who needed an industry placement secured one.",
                "874 adults started a Skills Bootcamp, and 702 completed their course.",
            ]
        ),
        p(
            f"All figures refer to the academic year from 1 August 2025 to 31 July 2026 and are provisional."
            f"{fn(1)} They cover apprentices who live or work in Thornvale."
        ),
    ]
    s += footnotes(
        [
            (
                1,
                "Final figures for 2025/26 will be published by the Board in its next annual review. Past "
                "experience suggests that final start numbers are usually between 1% and 3% higher than "
                "provisional ones.",
            ),
        ]
    )
    s += [PageBreak()]

    s += [
        Heading("2. Apprenticeship starts"),
        p(
            "Table 1 compares starts by level with the previous year. The shift towards higher levels seen "
            "nationally is also clear in Thornvale: degree apprenticeship starts were up by a third, while "
            "intermediate starts fell for the third year running."
        ),
        table(
            "Table 1: Apprenticeship starts by level, 2024/25 and 2025/26",
            ["Level", "Starts 2024/25", "Starts 2025/26", "Change (%)"],
            [
                ["Intermediate (Level 2)", "1,188", "1,046", "-12%"],
                ["Advanced (Level 3)", "1,706", "1,802", "+6%"],
                ["Higher (Levels 4 and 5)", "702", "861", "+23%"],
                ["Degree (Levels 6 and 7)", "380", "506", "+33%"],
                ["All levels", "3,976", "4,215", "+6%"],
            ],
            [64, 32, 32, 28],
            "Source: Thornvale Employer Skills Board analysis of provider returns, provisional.",
        ),
        p(
            "Starts among young people aged 16 to 18 fell to 1,137, the lowest number since the Board began "
            "reporting in 2021, and most of the fall was at Level 2. Employers told us that the cost of "
            "supervising a young apprentice, rather than the wage itself, was the main barrier. By contrast, "
            "starts among people aged 25 and over rose to 1,903, many of them existing staff moving into "
            "supervisory or technical roles."
        ),
        p(
            "Engineering technician was the most popular single apprenticeship standard, with 312 starts, "
            "ahead of adult care worker with 268 starts and team leader or supervisor with 241. Between "
            "them, "
            "these three standards made up almost a fifth of all starts. Starts in digital apprenticeships "
            "remained low at 164, despite the digital skills gaps reported by employers."
        ),
        PageBreak(),
    ]

    s += [
        Heading("3. The levy and Levy Match"),
        p(
            "Employers with a pay bill of more than £3 million a year pay the apprenticeship levy. The Board "
            "estimates that employers based in Thornvale paid £38.6 million in 2025/26, but that around a "
            "quarter of the funds available to them went unspent. Levy-paying employers can transfer part of "
            f"their funds to other employers, including small firms in their supply chain.{fn(2)}"
        ),
        p(
            "To make transfers easier, the Board launched its Levy Match service in October 2025. Small "
            "employers describe the apprenticeship they want to offer; the Board finds a levy payer with "
            "funds "
            "to pledge and helps both sides complete the paperwork. Table 2 shows the five largest pledges "
            "made during the year."
        ),
        table(
            "Table 2: Largest levy transfer pledges through Levy Match, 2025/26",
            ["Pledging employer", "Sector", "Amount pledged (£)", "Apprentices supported"],
            [
                ["Brackenby Foods Ltd", "Food manufacturing", "£186,000", "21"],
                ["Thornvale Community Health Trust", "Health", "£142,500", "17"],
                ["Oakhythe Port Services Ltd", "Logistics", "£97,800", "12"],
                ["Castlemere District Council", "Public sector", "£64,000", "9"],
                ["Halberd Engineering Group", "Engineering", "£58,250", "8"],
                ["Five largest pledges", "", "£548,550", "67"],
            ],
            [62, 38, 32, 30],
            "Source: Levy Match records, 1 October 2025 to 31 July 2026.",
            text_cols=2,
        ),
        callout(
            "Levy Match in numbers",
            [
                "46 small employers matched with a levy-paying employer in its first ten months.",
                "An average of 23 working days from a small employer's first enquiry to a confirmed match.",
                "Every matched apprenticeship so far has been at Level 3 or above.",
                "Enquiries: levymatch@thornvale-esb.org.uk",
            ],
        ),
    ]
    s += footnotes(
        [
            (
                2,
                "Levy-paying employers can currently transfer up to 50% of their annual levy funds to other "
                "employers. Transferred funds pay for training and assessment, not for apprentices' wages.",
            ),
        ]
    )
    s += [PageBreak()]

    s += [
        Heading("4. T Levels and industry placements"),
        p(
            "Thornvale's colleges enrolled 389 T Level students in September 2025 across 11 subjects. Every "
            "T Level includes an industry placement with an employer, and finding enough placements remains "
            f"the biggest obstacle to growing the programme.{fn(3)} In 2025/26, 236 students needed to "
            "complete "
            "their placement during the year, and 198 of them secured one, a rate of 84%. Table 3 shows how "
            "this varied by route."
        ),
        table(
            "Table 3: T Level industry placements by route, 2025/26",
            ["Route", "Students needing a placement", "Placements secured", "Secured (%)"],
            [
                ["Health and science", "71", "66", "93%"],
                ["Digital production, design and development", "44", "31", "70%"],
                ["Engineering and manufacturing", "52", "45", "87%"],
                ["Construction and the built environment", "38", "34", "89%"],
                ["Education and early years", "31", "22", "71%"],
                ["All routes", "236", "198", "84%"],
            ],
            [72, 34, 30, 26],
            "Source: returns from Wrenfield College, Hollinbrook and Castlemere College and Oakhythe "
            "Institute of Technology.",
        ),
        p(
            "Digital placements were the hardest to find. Many small digital firms work remotely or in "
            "shared "
            "offices and told us they could not supervise a student for the required time. The Board is "
            "piloting split placements, in which two employers share one student, with six digital firms in "
            "Wrenfield from January 2027."
        ),
    ]
    s += footnotes(
        [
            (
                3,
                "An industry placement must last at least 315 hours, which is roughly 45 working days. It "
                "can be "
                "taken as a block, on day release or as a mix of the two.",
            ),
        ]
    )
    s += [NextPageTemplate("twocol"), PageBreak()]

    s += [
        Heading("5. College and provider profiles"),
        Paragraph("Wrenfield College", H2),
        p(
            "Wrenfield College is Thornvale's largest apprenticeship provider, with 1,412 apprentices on "
            "programme at the end of July 2026. Its new Centre for Electrification opened in January 2026 at "
            "a "
            "cost of £2.3 million, paid for jointly by the college and the Local Skills Improvement Fund, "
            "and "
            "trained its first 96 apprentices in electric vehicle and battery maintenance during the year."
        ),
        Paragraph("Hollinbrook and Castlemere College", H2),
        p(
            "Hollinbrook and Castlemere College had 968 apprentices on programme, mostly in hospitality, "
            "catering and adult care. Its Chef's Table employer academy, run with 14 restaurants and hotels "
            "in "
            "Hollinbrook, guarantees every commis chef apprentice a trial shift in at least three kitchens. "
            "The college also runs the Board's care recruitment days at its Castlemere campus."
        ),
        Paragraph("Oakhythe Institute of Technology", H2),
        p(
            "Oakhythe Institute of Technology had 604 apprentices, a third of them at Level 4 or above. With "
            "Thornvale Metropolitan University it offers the only degree apprenticeship in port and marine "
            "engineering in the region, which recruited its first cohort of 22 apprentices in September "
            "2025. "
            "It will run the Oakhythe Freeport Skills Centre once it opens."
        ),
        Paragraph("Kingfisher Training Ltd", H2),
        p(
            "Kingfisher Training Ltd is an independent training provider based in Oakhythe. It had 522 "
            "apprentices, almost all in logistics, warehousing and HGV driving, and works with more than 150 "
            "employers. It was inspected in March 2026 and judged to be good in every area. Kingfisher also "
            "delivers most of the Skills Bootcamps in HGV driving described in section 6."
        ),
        NextPageTemplate("onecol"),
        PageBreak(),
    ]

    s += [
        Heading("6. Skills Bootcamps"),
        p(
            "Skills Bootcamps are free courses of up to 16 weeks for adults, linked to a guaranteed job "
            "interview. In 2025/26, 874 adults in Thornvale started a Skills Bootcamp and 702 completed it. "
            "Of "
            "those who completed, 61% had secured a new job, a new role with their existing employer or "
            "more self-employed work within six months. HGV driving was the most popular subject, followed "
            "by software development and retrofit and green construction."
        ),
        p(
            "Employers who co-fund a bootcamp place for their own staff pay 10% of the cost if they have "
            "fewer "
            "than 250 employees and 30% if they are larger. Several employers told us that they had not "
            "known "
            "bootcamps could be used to upskill existing staff, and the Board will promote this option more "
            "widely in 2026/27."
        ),
        Heading("7. Priorities for 2026/27"),
        p(
            "The Board has agreed the following priorities for the coming year, in addition to the "
            "recommendations of the Employer Skills Survey 2026:"
        ),
        bullets(
            [
                "the Thornvale Apprenticeship Pledge: 150 employers taking on their first apprentice by July "
                "2027;",
                "opening Levy Match to public-sector employers wishing to pledge funds from January 2027;",
                "a campaign with schools to promote Level 2 and Level 3 apprenticeships to 16 to 18 year "
                "olds;",
                "split T Level placements for digital students, starting with six firms in Wrenfield; and",
                "a review of travel support for apprentices in Oakhythe and Castlemere.",
            ]
        ),
        p(
            "Employers who want to take part in any of these can contact the Board's employer engagement "
            "team. "
            "The next annual review will be published in autumn 2027."
        ),
        PageBreak(),
    ]

    s += [
        Heading("Notes and definitions"),
        p(
            "<b>Starts</b> count each new apprenticeship once, in the year it began. An apprentice who moves "
            "to a higher-level apprenticeship is counted again. <b>Levy</b> figures are the Board's "
            "estimates, "
            "based on the number and size of levy-paying employers registered in Thornvale, and are rounded "
            "to "
            "the nearest £100,000."
        ),
        p(
            "<b>T Level</b> figures come directly from the three colleges and include only students whose "
            "placement was due to be completed by 31 July 2026. <b>Skills Bootcamp</b> figures come from the "
            "county council, which commissions bootcamps in Thornvale."
        ),
        p(
            "This review may be reused under the terms of the Creative Commons Attribution 4.0 licence. "
            "Please credit the Thornvale Employer Skills Board."
        ),
    ]
    doc.multiBuild(s)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    survey_report()
    apprenticeship_report()
    for pdf in sorted(OUT.glob("*.pdf")):
        print(pdf, pdf.stat().st_size)
