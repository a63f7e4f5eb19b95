"""Builds the two PDF reports of the annual-report sealed set.

Not a dependency of the project: run with a scratch venv that has reportlab,
e.g. python3 -m venv /tmp/pdfvenv && /tmp/pdfvenv/bin/pip install reportlab
     /tmp/pdfvenv/bin/python eval/sealed/annual-report/build_pdfs.py

All names, places and figures are fictional.
"""

import os

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether,
                                ListFlowable, ListItem, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer,
                                Table, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "site", "reports")

FONT_DIR = "/usr/share/fonts/truetype/liberation"
try:
    for name, file in [("Serif", "LiberationSerif-Regular.ttf"),
                       ("Serif-Bold", "LiberationSerif-Bold.ttf"),
                       ("Serif-Italic", "LiberationSerif-Italic.ttf"),
                       ("Serif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
                       ("Sans", "LiberationSans-Regular.ttf"),
                       ("Sans-Bold", "LiberationSans-Bold.ttf"),
                       ("Sans-Italic", "LiberationSans-Italic.ttf")]:
        pdfmetrics.registerFont(TTFont(name, os.path.join(FONT_DIR, file)))
    pdfmetrics.registerFontFamily("Serif", normal="Serif", bold="Serif-Bold",
                                  italic="Serif-Italic", boldItalic="Serif-BoldItalic")
    BODY, BODY_B, BODY_I, HEAD, HEAD_B = "Serif", "Serif-Bold", "Serif-Italic", "Sans", "Sans-Bold"
except Exception:  # fall back to the standard fonts
    BODY, BODY_B, BODY_I, HEAD, HEAD_B = ("Times-Roman", "Times-Bold", "Times-Italic",
                                          "Helvetica", "Helvetica-Bold")

NAVY = colors.HexColor("#1f3a5f")
TEAL = colors.HexColor("#2a7f7a")
PALE = colors.HexColor("#e8f1f0")
GREY = colors.HexColor("#6b6b6b")

ST = {
    "body": ParagraphStyle("body", fontName=BODY, fontSize=10.5, leading=14.2,
                           alignment=TA_JUSTIFY, spaceAfter=7),
    "body_col": ParagraphStyle("body_col", fontName=BODY, fontSize=9.8, leading=13,
                               alignment=TA_JUSTIFY, spaceAfter=6),
    "h1": ParagraphStyle("h1", fontName=HEAD_B, fontSize=16, leading=20, textColor=NAVY,
                         spaceBefore=6, spaceAfter=10),
    "h2": ParagraphStyle("h2", fontName=HEAD_B, fontSize=12, leading=15, textColor=TEAL,
                         spaceBefore=8, spaceAfter=5),
    "h3col": ParagraphStyle("h3col", fontName=HEAD_B, fontSize=10.5, leading=13,
                            textColor=NAVY, spaceBefore=6, spaceAfter=3),
    "bullet": ParagraphStyle("bullet", fontName=BODY, fontSize=10.5, leading=14,
                             alignment=TA_LEFT),
    "cell": ParagraphStyle("cell", fontName=BODY, fontSize=9, leading=11),
    "cellb": ParagraphStyle("cellb", fontName=HEAD_B, fontSize=9, leading=11,
                            textColor=colors.white),
    "caption": ParagraphStyle("caption", fontName=BODY_I, fontSize=9, leading=11.5,
                              textColor=GREY, spaceBefore=3, spaceAfter=10),
    "callout": ParagraphStyle("callout", fontName=HEAD, fontSize=10.5, leading=14,
                              textColor=NAVY),
    "foot": ParagraphStyle("foot", fontName=BODY, fontSize=8, leading=10),
    "toc1": ParagraphStyle("toc1", fontName=BODY, fontSize=11, leading=18, leftIndent=10),
    "cover_t": ParagraphStyle("cover_t", fontName=HEAD_B, fontSize=28, leading=34,
                              textColor=colors.white),
    "cover_s": ParagraphStyle("cover_s", fontName=HEAD, fontSize=15, leading=20,
                              textColor=colors.white),
    "cover_n": ParagraphStyle("cover_n", fontName=HEAD, fontSize=10, leading=14, spaceAfter=6,
                              textColor=NAVY),
}

FOOTNOTE_AREA = 2.4 * cm
_pending_notes = []


class Footnote(Flowable):
    """Zero-size marker: its note is printed at the foot of the page it lands on."""

    def __init__(self, number, text):
        super().__init__()
        self.number, self.text = number, text
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        _pending_notes.append((self.number, self.text))


def P(text, style="body"):
    return Paragraph(text, ST[style])


def bullets(items, style="bullet"):
    return ListFlowable([ListItem(P(t, style), leftIndent=14) for t in items],
                        bulletType="bullet", start="\u2022", leftIndent=14,
                        bulletFontName=BODY, spaceAfter=6)


def table(header, rows, widths, total_row=False):
    data = [[P(h, "cellb") for h in header]]
    for r in rows:
        data.append([P(str(c), "cell") for c in r])
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#b9c4cf")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6f9")]),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1, NAVY),
                  ("BACKGROUND", (0, -1), (-1, -1), PALE)]
    t.setStyle(TableStyle(style))
    return t


def callout(title, text, width=15.5 * cm):
    t = Table([[P("<b>%s</b>" % title, "callout")], [P(text, "callout")]],
              colWidths=[width])
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), PALE),
        ("LINEBEFORE", (0, 0), (0, -1), 4, TEAL),
        ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12),
        ("TOPPADDING", (0, 0), (-1, 0), 9),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
    ]))
    return KeepTogether([Spacer(1, 4), t, Spacer(1, 10)])


class Report(BaseDocTemplate):
    def __init__(self, filename, running_title, publisher, **kw):
        super().__init__(filename, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm,
                         topMargin=2.4 * cm, bottomMargin=2.2 * cm, **kw)
        self.running_title, self.publisher = running_title, publisher
        w, h = A4
        body_h = h - self.topMargin - self.bottomMargin - FOOTNOTE_AREA
        y0 = self.bottomMargin + FOOTNOTE_AREA
        one = Frame(self.leftMargin, y0, self.width, body_h, id="one")
        gap = 0.8 * cm
        colw = (self.width - gap) / 2
        left = Frame(self.leftMargin, y0, colw, body_h, id="left")
        right = Frame(self.leftMargin + colw + gap, y0, colw, body_h, id="right")
        cover = Frame(self.leftMargin, self.bottomMargin, self.width,
                      h - self.topMargin - self.bottomMargin, id="cover")
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self.draw_cover),
            PageTemplate("normal", [one], onPage=self.draw_running, onPageEnd=self.draw_notes),
            PageTemplate("twocol", [left, right], onPage=self.draw_running,
                         onPageEnd=self.draw_notes),
        ])

    def draw_cover(self, canv, doc):
        w, h = A4
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, h * 0.42, w, h * 0.58, stroke=0, fill=1)
        canv.setFillColor(TEAL)
        canv.rect(0, h * 0.42 - 0.5 * cm, w, 0.5 * cm, stroke=0, fill=1)
        canv.restoreState()

    def draw_running(self, canv, doc):
        w, h = A4
        canv.saveState()
        canv.setFont(HEAD, 8.5)
        canv.setFillColor(GREY)
        canv.drawString(self.leftMargin, h - 1.4 * cm, self.running_title)
        canv.drawRightString(w - self.rightMargin, h - 1.4 * cm, self.publisher)
        canv.setStrokeColor(TEAL)
        canv.setLineWidth(0.6)
        canv.line(self.leftMargin, h - 1.6 * cm, w - self.rightMargin, h - 1.6 * cm)
        canv.line(self.leftMargin, 1.5 * cm, w - self.rightMargin, 1.5 * cm)
        canv.drawString(self.leftMargin, 1.0 * cm, "Wensmoor Skills Partnership")
        canv.drawRightString(w - self.rightMargin, 1.0 * cm, "Page %d" % canv.getPageNumber())
        canv.restoreState()

    def draw_notes(self, canv, doc):
        if not _pending_notes:
            return
        canv.saveState()
        y = self.bottomMargin + FOOTNOTE_AREA - 0.3 * cm
        canv.setStrokeColor(GREY)
        canv.setLineWidth(0.5)
        canv.line(self.leftMargin, y, self.leftMargin + 5 * cm, y)
        y -= 0.15 * cm
        for num, text in _pending_notes:
            p = Paragraph("<super>%d</super> %s" % (num, text), ST["foot"])
            _, ph = p.wrap(self.width, FOOTNOTE_AREA)
            p.drawOn(canv, self.leftMargin, y - ph)
            y -= ph + 2
        canv.restoreState()
        _pending_notes.clear()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def cover(title, subtitle, note_lines):
    story = [Spacer(1, 2.2 * cm), P("Wensmoor Skills Partnership", "cover_s"), Spacer(1, 1.2 * cm),
             P(title, "cover_t"), Spacer(1, 0.6 * cm), P(subtitle, "cover_s"),
             Spacer(1, 9.5 * cm)]
    story += [P(line, "cover_n") for line in note_lines]
    story += [NextPageTemplate("normal"), PageBreak()]
    return story


def contents_page():
    toc = TableOfContents()
    toc.levelStyles = [ST["toc1"]]
    toc.dotsMinLevel = 0
    return [P("Contents", "h1style_plain"), Spacer(1, 8), toc, PageBreak()]


ST["h1style_plain"] = ParagraphStyle("h1plain", parent=ST["h1"])


def bar_chart(values, labels, caption, value_max):
    d = Drawing(15.5 * cm, 6.2 * cm)
    bc = VerticalBarChart()
    bc.x, bc.y = 45, 30
    bc.width, bc.height = 15.5 * cm - 70, 6.2 * cm - 55
    bc.data = [values]
    bc.categoryAxis.categoryNames = labels
    bc.categoryAxis.labels.fontName = HEAD
    bc.categoryAxis.labels.fontSize = 8
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = value_max
    bc.valueAxis.valueStep = value_max // 4
    bc.valueAxis.labels.fontName = HEAD
    bc.valueAxis.labels.fontSize = 8
    bc.bars[0].fillColor = TEAL
    bc.bars[0].strokeColor = None
    bc.barLabelFormat = "%d"
    bc.barLabels.fontName = HEAD
    bc.barLabels.fontSize = 8
    bc.barLabels.nudge = 7
    d.add(bc)
    return KeepTogether([Spacer(1, 6), d, P(caption, "caption")])


# --------------------------------------------------------------------------------------
# Report 1: annual progress report 2024-25
# --------------------------------------------------------------------------------------

def progress_report(path):
    doc = Report(path, "Wensmoor LSIP Annual Progress Report 2024\u201325",
                 "Wensmoor and Vale Chamber of Commerce",
                 title="Wensmoor Local Skills Improvement Plan: Annual Progress Report 2024-25",
                 author="Wensmoor Skills Partnership")
    s = []
    s += cover("Local Skills Improvement Plan", "Annual Progress Report 2024\u201325",
               ["Published October 2025",
                "Prepared by the Wensmoor and Vale Chamber of Commerce, the designated employer "
                "representative body for the Wensmoor area, on behalf of the Wensmoor Skills "
                "Partnership.",
                "Covering the districts of Harrowfield, Caddlebury, Ottersby, Linmouth and "
                "Brackenhay."])
    s += contents_page()

    # 1 Foreword
    s.append(P("1. Foreword from the Chair", "h1"))
    s.append(P(
        "When the partnership published the Local Skills Improvement Plan for Wensmoor two years "
        "ago, we promised employers that the plan would not be a document that sat on a shelf. "
        "This second annual progress report sets out, as plainly as we can, what has changed "
        "between April 2024 and March 2025, where the money has gone and where we have fallen "
        "short. It has been a busy year. The number of businesses taking part in our work has "
        "grown faster than we expected, and the conversations with colleges and independent "
        "training providers have moved from describing problems towards agreeing what each of "
        "us will do about them."))
    s.append(P(
        "I want to thank the members of the Wensmoor Skills Board, who gave up a great deal of "
        "their time: the board met nine times during the year, twice in extraordinary session to "
        "agree the second round of the Skills Development Fund. The partnership itself now brings "
        "together 54 member organisations, from single-site manufacturers on the edge of "
        "Harrowfield to the county's largest care group, and it is their candour about their "
        "recruitment difficulties that gives this plan its value. I am particularly grateful to "
        "the care employers of Caddlebury, who opened their doors to learners at a time when "
        "their own staffing was stretched to the limit."))
    s.append(P(
        "There is much still to do. Too many small firms tell us they cannot release staff for "
        "training, and too many young people in the rural south of the county still face a "
        "journey of more than an hour to reach the course they want. The priorities we set out "
        "in section 7 are designed to tackle both."))
    s.append(P("<b>Dr Ilsa Penwarden</b><br/>Chair, Wensmoor Skills Board<br/>"
               "Managing Director, Tollgate Precision Castings Ltd", "bullet"))
    s.append(PageBreak())

    # 2 Year at a glance
    s.append(P("2. The Year at a Glance", "h1"))
    s.append(P(
        "The second year of the plan was about turning commitments into courses. Across the "
        "twelve months to March 2025 the partnership engaged<super>1</super> 2,360 employers "
        "through surveys, sector round tables, district workshops and one-to-one visits, up "
        "from 1,745 in the first year of the plan, and the pattern through the year (Figure 1) "
        "shows engagement rising in every quarter as the district workshops became established. "
        "Most of that growth came from firms with fewer than fifty staff, who had been under-"
        "represented in the evidence behind the original plan."))
    s.append(Footnote(1, "An employer is counted once in the year however many activities it "
                         "took part in. Of the 2,360 employers engaged, 412 were micro-businesses "
                         "employing fewer than ten people; sole traders are not included."))
    s.append(bar_chart([480, 515, 640, 725], ["Apr\u2013Jun 2024", "Jul\u2013Sep 2024",
                                              "Oct\u2013Dec 2024", "Jan\u2013Mar 2025"],
                       "Figure 1: Employers engaged by quarter, 2024\u201325. Source: partnership "
                       "contact records.", 800))
    s.append(P("The main achievements of the year were:"))
    s.append(bullets([
        "<b>Skills Development Fund:</b> \u00a33.85 million allocated to 11 training providers "
        "for new equipment, facilities and course development (section 5).",
        "<b>Apprenticeships:</b> 3,975 apprenticeship starts across Wensmoor, the third "
        "successive annual rise, with the strongest growth at higher and degree level "
        "(section 6).",
        "<b>New facilities:</b> an advanced manufacturing automation laboratory in Harrowfield "
        "and a retrofit and heat pump training centre in Ottersby both opened to learners.",
        "<b>Employer voice:</b> six sector round tables and fifteen district workshops held, "
        "three in each district.",
    ]))
    s.append(callout("Key figure",
                     "71% of employers who sent staff on a course supported by the Skills "
                     "Development Fund told us that the course had closed the skills gap it was "
                     "meant to address within six months."))
    s.append(PageBreak())

    # 3 Priority sectors
    s.append(P("3. Progress in the Priority Sectors", "h1"))
    s.append(P(
        "The plan identifies six priority sectors for Wensmoor, chosen because they employ large "
        "numbers of local people, because they are expected to grow, or because employers in "
        "them report persistent shortages of particular skills. Table 1 sets out the size of each "
        "sector, the additional workers each is forecast to need by 2030 and the number of "
        "apprenticeship starts recorded in it during 2024\u201325."))
    s.append(table(
        ["Priority sector", "Jobs in Wensmoor (2024)<super>2</super>",
         "Forecast additional jobs needed by 2030", "Apprenticeship starts 2024\u201325"],
        [["Advanced manufacturing", "18,400", "1,150", "612"],
         ["Health and social care", "27,900", "3,400", "538"],
         ["Construction and retrofit", "12,700", "2,050", "431"],
         ["Agri-food", "9,300", "420", "187"],
         ["Digital and creative", "6,100", "890", "142"],
         ["Logistics", "8,800", "760", "205"],
         ["All priority sectors", "83,200", "8,670", "2,115"]],
        [5.0 * cm, 3.3 * cm, 3.9 * cm, 3.3 * cm], total_row=True))
    s.append(P("Table 1: Priority sectors at a glance. Sources: local labour market model; "
               "apprenticeship starts data.", "caption"))
    s.append(Footnote(2, "Jobs figures are rounded to the nearest hundred and include "
                         "self-employed workers."))
    s.append(P("Health and social care", "h2"))
    s.append(P(
        "Care remains the sector with the largest forecast need. Employers told us that the "
        "hardest roles to fill are senior carers able to administer medication and registered "
        "nurses for nursing homes, and that turnover in the first three months of employment is "
        "the single biggest cost they face. The simulation suite at Caddlebury (section 4) is "
        "intended to give new entrants a realistic taste of the work before they start, so that "
        "fewer leave in those first weeks."))
    s.append(P("Construction and retrofit", "h2"))
    s.append(P(
        "Demand for retrofit skills grew sharply during the year as the county's housing "
        "associations began their programme of insulating older homes. Firms report that the "
        "shortage is less of general trades than of people who combine a trade with an "
        "understanding of ventilation, airtightness and low-carbon heating; the Ottersby centre "
        "was designed around that gap."))
    s.append(P("Advanced manufacturing, agri-food, digital and logistics", "h2"))
    s.append(P(
        "Manufacturers continue to report a shortage of multi-skilled maintenance engineers, and "
        "the automation laboratory in Harrowfield is now used by employers for short courses as "
        "well as by apprentices. In agri-food the priority has been food safety and quality "
        "assurance; in digital, cyber security and data skills; and in logistics the shortage of "
        "large goods vehicle drivers, which the Brackenhay driver pathway set out to address."))
    s.append(NextPageTemplate("twocol"))
    s.append(PageBreak())

    # 4 District snapshots (two columns)
    s.append(P("4. District Snapshots", "h1"))
    cs = "body_col"
    s.append(P("Harrowfield", "h3col"))
    s.append(P(
        "Harrowfield, the county's largest town and home to most of its engineering firms, saw "
        "the opening of the advanced manufacturing automation laboratory at Harrowfield College's "
        "Foundry Road campus on 14 January 2025. The laboratory houses two collaborative robot "
        "cells, a programmable logic controller training wall and a fluid power rig, and was "
        "equipped with input from a panel of eight local manufacturers. In its first three "
        "months it received 96 visits from employers, several of which have since booked short "
        "courses for their maintenance teams.", cs))
    s.append(P("Caddlebury", "h3col"))
    s.append(P(
        "In Caddlebury the health and care simulation suite at Caddlebury Sixth Form and "
        "Technical College recreates a care home bedroom, a domiciliary kitchen and a hospital "
        "bay. Alongside it the college launched the Care Ready placement scheme, under which "
        "students spend a fortnight with a local employer before deciding whether to apply for a "
        "job; 38 care providers had signed up to offer placements by the end of March 2025. "
        "Employers involved describe the scheme as the most practical step yet taken to reduce "
        "early drop-out from care roles.", cs))
    s.append(P("Ottersby", "h3col"))
    s.append(P(
        "Ottersby Adult Learning Service opened its retrofit and heat pump training centre on "
        "Mill Lane in June 2024. The centre offers a five-day heat pump installation course for "
        "qualified plumbers and heating engineers, a two-day ventilation module and an "
        "introductory retrofit awareness day for site managers. In its first nine months the "
        "centre trained 214 learners<super>3</super>, the great majority of them already working "
        "for small building firms in the district and the neighbouring towns. Demand for the "
        "heat pump course has outstripped places, and a second weekly cohort was added in "
        "February 2025.", cs))
    s.append(Footnote(3, "Includes 37 learners who completed the two-day ventilation module "
                         "only."))
    s.append(P("Linmouth", "h3col"))
    s.append(P(
        "Linmouth's economy is dominated by food processing and the port. The Linmouth Maritime "
        "and Food Academy used its share of the Fund to install a pilot-scale processing line, "
        "on which learners practise hygiene, allergen control and quality checks under "
        "realistic conditions. Employers in the district have asked the partnership to look at "
        "how training can be fitted around the seasonal peaks in the processing calendar, and "
        "the academy now runs its short courses between January and April, when most plants "
        "are quieter.", cs))
    s.append(P("Brackenhay", "h3col"))
    s.append(P(
        "The Brackenhay Training Partnership's logistics and driver pathway takes people with a "
        "car licence through to a Category C+E licence over around twelve weeks, combining "
        "classroom work with supervised driving and a guaranteed interview with one of nine "
        "participating hauliers. During the year 63 drivers qualified through the pathway, "
        "with a first-time test pass rate of 78%, well above the rate the hauliers say they "
        "are used to seeing. The next step is to add a forklift and warehouse operations "
        "strand for learners who do not wish to drive.", cs))
    s.append(P(
        "Across all five districts, the message from employers was consistent: new facilities "
        "matter, but what makes the difference is whether training is offered at times and in "
        "places that small firms can realistically use. The district workshops planned for "
        "2025\u201326 will test evening and weekend delivery in each area.", cs))
    s.append(NextPageTemplate("normal"))
    s.append(PageBreak())

    # 5 Fund
    s.append(P("5. The Skills Development Fund", "h1"))
    s.append(P(
        "The Skills Development Fund is the capital and revenue funding made available to "
        "training providers to respond to the priorities in the plan. In 2024\u201325 a total "
        "of \u00a33.85 million was allocated across 11 training providers following an open "
        "bidding round assessed by a panel of employers and officers of the partnership. "
        "Bids were scored on how closely they matched the priority sectors, on the strength of "
        "employer commitment, and on whether the new provision would still be running once the "
        "funding had been spent. The largest awards are shown in Table 2."))
    s.append(table(
        ["Provider", "Project", "District", "Allocation"],
        [["Harrowfield College", "Advanced manufacturing automation laboratory",
          "Harrowfield", "\u00a3920,000"],
         ["Caddlebury Sixth Form and Technical College", "Health and care simulation suite",
          "Caddlebury", "\u00a3640,000"],
         ["Ottersby Adult Learning Service", "Retrofit and heat pump training centre",
          "Ottersby", "\u00a3575,000"],
         ["Wensmoor University Centre", "Digital skills bootcamps", "Harrowfield",
          "\u00a3480,000"],
         ["Linmouth Maritime and Food Academy", "Pilot-scale food processing line",
          "Linmouth", "\u00a3410,000"],
         ["Brackenhay Training Partnership", "Logistics and driver pathway", "Brackenhay",
          "\u00a3365,000"],
         ["Five further providers (combined)", "Smaller equipment and curriculum projects",
          "Various", "\u00a3460,000"],
         ["Total", "", "", "\u00a33,850,000"]],
        [5.0 * cm, 5.3 * cm, 2.6 * cm, 2.6 * cm], total_row=True))
    s.append(P("Table 2: Skills Development Fund allocations, 2024\u201325.", "caption"))
    s.append(P(
        "Every funded provider reports quarterly against agreed milestones. All six of the "
        "larger projects were on schedule at the end of March 2025 except the digital skills "
        "bootcamps at Wensmoor University Centre, whose start was moved back by one term "
        "because of delays in fitting out the teaching space; the first cohort is now due to "
        "begin in autumn 2025. The five smaller projects, each worth less than \u00a3150,000, "
        "funded equipment such as welding simulators, a mobile electric vehicle training unit "
        "and upgraded agricultural machinery for land-based courses."))
    s.append(PageBreak())

    # 6 Apprenticeships
    s.append(P("6. Apprenticeships and Training Outcomes", "h1"))
    s.append(P(
        "Apprenticeships are the main route through which employers in Wensmoor train new "
        "staff in the priority occupations. Table 3 shows starts across all sectors by level "
        "over the last three academic years. The overall number has risen each year, but the "
        "mix has changed: intermediate starts have fallen while higher and degree "
        "apprenticeships have grown strongly, reflecting both employer demand for technical "
        "skills and the wider range of higher-level standards now offered locally."))
    s.append(table(
        ["Level", "2022/23", "2023/24", "2024/25"],
        [["Intermediate (Level 2)", "1,480", "1,390", "1,305"],
         ["Advanced (Level 3)", "1,720", "1,805", "1,910"],
         ["Higher (Levels 4\u20135)", "410", "468", "536"],
         ["Degree (Levels 6\u20137)", "155", "182", "224"],
         ["All levels", "3,765", "3,845", "3,975"]],
        [6.0 * cm, 3.1 * cm, 3.1 * cm, 3.1 * cm], total_row=True))
    s.append(P("Table 3: Apprenticeship starts in Wensmoor by level, all sectors.<super>4</super>",
               "caption"))
    s.append(Footnote(4, "Starts are counted by the location of the employer, not of the "
                         "training provider. Figures for 2024/25 are provisional."))
    s.append(P(
        "Of the 3,975 starts in 2024/25, 2,115 were in the six priority sectors, a little over "
        "half. The partnership's target is for the priority sectors to account for 60% of all "
        "starts by 2027. Achievement rates for apprentices who finished their programme during "
        "the year were broadly in line with the national picture, and employers in the round "
        "tables continued to stress that the quality of the off-the-job element matters more to "
        "them than the number of starts."))
    s.append(P("Adult and short courses", "h2"))
    s.append(P(
        "Not every skills need is met by an apprenticeship. Short, employer-designed courses "
        "for adults already in work grew in number during the year, led by the heat pump and "
        "ventilation courses in Ottersby and by manufacturing maintenance courses in "
        "Harrowfield. The partnership will publish fuller figures on adult course participation "
        "once the data for the full year has been validated."))
    s.append(PageBreak())

    # 7 Priorities
    s.append(P("7. Priorities for 2025\u201326", "h1"))
    s.append(P(
        "The board agreed the following priorities for the third year of the plan. They build "
        "on what has worked and respond directly to the barriers employers described in the "
        "Wensmoor Employer Skills Survey 2025, which is published alongside this report."))
    s.append(bullets([
        "Double the number of care employers offering placements under the Care Ready scheme "
        "to 80 by March 2026.",
        "Launch a Wensmoor Retrofit Skills Passport, recognised by the county's housing "
        "associations, by September 2026.",
        "Pilot evening and weekend delivery of short courses in every district.",
        "Add a warehouse and forklift strand to the Brackenhay driver pathway.",
        "Open a third round of the Skills Development Fund, with a stronger weighting for "
        "projects that serve rural learners.",
    ]))
    s.append(P(
        "The partnership will carry out a formal review of the plan during 2026, as required "
        "of all designated employer representative bodies, and will invite every member "
        "organisation to contribute. Employers who want to take part in a round table or "
        "district workshop can contact the skills team at the Chamber."))
    s.append(P("Acknowledgements", "h2"))
    s.append(P(
        "This report was prepared by the skills team of the Wensmoor and Vale Chamber of "
        "Commerce with contributions from the member organisations of the Wensmoor Skills "
        "Partnership. Any errors are our own."))
    doc.multiBuild(s)


# --------------------------------------------------------------------------------------
# Report 2: employer skills survey 2025
# --------------------------------------------------------------------------------------

def survey_report(path):
    doc = Report(path, "Wensmoor Employer Skills Survey 2025: Findings",
                 "Findings Report, October 2025",
                 title="Wensmoor Employer Skills Survey 2025: Findings Report",
                 author="Wensmoor Skills Partnership")
    s = []
    s += cover("Employer Skills Survey 2025", "Findings Report",
               ["Published October 2025",
                "Commissioned by the Wensmoor and Vale Chamber of Commerce for the Wensmoor "
                "Skills Partnership.",
                "Fieldwork and analysis by Pellworth Social Research."])
    s += contents_page()

    s.append(P("1. Introduction and Method", "h1"))
    s.append(P(
        "The Wensmoor Employer Skills Survey is the partnership's main source of evidence on "
        "the skills that local businesses need, the difficulties they face in recruiting, and "
        "the training they provide to their existing workforce. It is repeated every two years "
        "so that changes can be tracked against the Local Skills Improvement Plan. This report "
        "presents the findings of the 2025 survey and, where questions were asked in the same "
        "way, compares them with the 2023 survey."))
    s.append(P(
        "Interviews were carried out by telephone and online between 3 March and 25 April 2025 "
        "by Pellworth Social Research, an independent research agency. A total of 1,187 "
        "employers took part<super>1</super>, compared with 962 in 2023. Businesses were "
        "sampled from a commercial directory of Wensmoor workplaces, with extra interviews in "
        "the priority sectors so that each could be reported separately. Results have been "
        "weighted to reflect the mix of businesses in the county by size and sector."))
    s.append(Footnote(1, "Sole traders without employees were excluded. At the overall level "
                         "the results are accurate to within \u00b12.8 percentage points at "
                         "the 95% confidence level; figures for individual sectors and "
                         "districts are less precise."))
    s.append(P("Who took part", "h2"))
    s.append(P(
        "Respondents were the person in each business with most responsibility for recruitment "
        "and training: in small firms usually the owner or managing director, in larger ones a "
        "human resources or learning and development manager. The number of interviews in each "
        "district is shown in the annex."))
    s.append(P("2. Summary of Key Findings", "h1"))
    s.append(bullets([
        "A third of employers (34%) had at least one vacancy they found hard to fill, up from "
        "29% in 2023.",
        "Care employers were the most likely to report hard-to-fill vacancies (48%).",
        "Around one employer in five (21%) said some existing staff were not fully proficient "
        "in their job.",
        "58% of employers had funded or arranged training for staff in the previous twelve "
        "months.",
        "Cost was the barrier to training mentioned most often, by 42% of employers.",
    ]))
    s.append(callout("How to read this report",
                     "Percentages are of all employers in the group unless stated otherwise. "
                     "Sector results are based on the number of interviews shown in Table 1; "
                     "differences of a few points between sectors should be treated with "
                     "caution."))
    s.append(PageBreak())

    s.append(P("3. Recruitment Difficulties", "h1"))
    s.append(P(
        "Recruitment was the issue that employers most wanted to talk about. Overall, 34% of "
        "businesses had at least one vacancy they described as hard to fill, and in most cases "
        "the reason given was a lack of applicants with the required skills, qualifications or "
        "experience rather than pay or location. Table 1 shows the picture in each of the "
        "priority sectors, together with the skill that employers in the sector mentioned most "
        "often when asked what their applicants were lacking."))
    s.append(table(
        ["Sector", "Interviews", "Employers with a vacancy", "Employers with a hard-to-fill "
         "vacancy", "Skill most often lacking"],
        [["Advanced manufacturing", "214", "58%", "41%", "Multi-skilled maintenance engineering"],
         ["Health and social care", "196", "71%", "48%", "Medication administration (senior "
          "care)"],
         ["Construction and retrofit", "178", "52%", "44%", "Heat pump installation"],
         ["Agri-food", "121", "46%", "33%", "Food safety and quality assurance"],
         ["Digital and creative", "97", "55%", "29%", "Cyber security"],
         ["Logistics", "112", "61%", "37%", "HGV driving (Category C+E)"],
         ["Other sectors", "269", "39%", "22%", "Customer service"],
         ["All employers", "1,187", "47%", "34%", "\u2014"]],
        [3.7 * cm, 2.0 * cm, 2.6 * cm, 2.8 * cm, 4.4 * cm], total_row=True))
    s.append(P("Table 1: Vacancies and recruitment difficulties by sector, 2025.", "caption"))
    s.append(P(
        "The increase since 2023 was concentrated in construction and retrofit, where the share "
        "of firms with hard-to-fill vacancies rose by eleven points, and in care. Employers in "
        "digital and creative businesses were more likely than others to have vacancies but "
        "less likely to find them hard to fill, which many attributed to the ability to "
        "recruit remote workers from outside the county. In logistics, the driver shortage "
        "continues to dominate: almost every haulier interviewed said that it had turned down "
        "work at some point in the year because it could not find a qualified driver."))
    s.append(PageBreak())

    s.append(P("4. Skills Gaps and Training", "h1"))
    s.append(P(
        "A skills gap exists where an employer considers that a member of staff is not fully "
        "proficient in their current role. Larger employers are more likely to report gaps, "
        "partly because they have more staff and partly because they tend to review "
        "performance more formally, but they are also much more likely to provide training. "
        "Table 2 sets out both measures by size of business."))
    s.append(table(
        ["Size of business (employees)", "Employers reporting a skills gap",
         "Employers providing training in last 12 months"],
        [["Micro (1\u20139)", "17%", "49%"],
         ["Small (10\u201349)", "26%", "68%"],
         ["Medium (50\u2013249)", "31%", "84%"],
         ["Large (250 or more)", "35%", "93%"],
         ["All employers", "21%", "58%"]],
        [6.0 * cm, 4.7 * cm, 4.8 * cm], total_row=True))
    s.append(P("Table 2: Skills gaps and training by size of business, 2025.", "caption"))
    s.append(P("Spending on training", "h2"))
    s.append(P(
        "Employers who trained were asked to estimate what they had spent over the year, "
        "including course fees, the cost of trainers' time and the wages of staff while they "
        "were being trained.<super>2</super> Spending per employee varies widely between "
        "sectors, as Table 3 shows, with digital businesses and manufacturers spending the "
        "most and agri-food businesses the least."))
    s.append(Footnote(2, "Averages are per employee across all staff of employers that "
                         "provided training, and exclude apprenticeship levy payments."))
    s.append(table(
        ["Sector", "Average annual training spend per employee",
         "Employers that used an apprenticeship in the last year"],
        [["Advanced manufacturing", "\u00a31,240", "46%"],
         ["Health and social care", "\u00a3610", "31%"],
         ["Construction and retrofit", "\u00a3880", "39%"],
         ["Agri-food", "\u00a3530", "22%"],
         ["Digital and creative", "\u00a31,420", "18%"],
         ["Logistics", "\u00a3760", "27%"],
         ["All employers", "\u00a3845", "24%"]],
        [6.0 * cm, 4.7 * cm, 4.8 * cm], total_row=True))
    s.append(P("Table 3: Training spend and use of apprenticeships by sector, 2025.", "caption"))
    s.append(NextPageTemplate("twocol"))
    s.append(PageBreak())

    s.append(P("5. Barriers to Training: What Employers Told Us", "h1"))
    cs = "body_col"
    s.append(P("The main obstacles", "h3col"))
    s.append(P(
        "All employers, whether or not they had trained staff, were asked what, if anything, "
        "had stopped them providing more training. Cost was the barrier mentioned most often, "
        "by 42% of employers, followed by the difficulty of releasing staff from their normal "
        "work (37%) and a lack of suitable courses within reasonable travelling distance (23%). "
        "Only a small minority said that they saw no need for more training. Owners of micro-"
        "businesses were particularly likely to mention time: with a handful of staff, losing "
        "one person for a day can mean turning customers away.", cs))
    s.append(P("Distance and the rural districts", "h3col"))
    s.append(P(
        "The difficulty of reaching courses was felt most keenly in Linmouth and Brackenhay, "
        "where many employers are more than forty minutes by road from the nearest college "
        "campus and public transport between towns is limited. Several employers in those "
        "districts asked whether more courses could be delivered on their premises or online, "
        "and a number had already moved their induction and refresher training to online "
        "platforms for that reason.", cs))
    s.append(P("What would help", "h3col"))
    s.append(P(
        "When asked what would make the biggest difference, employers most often chose shorter "
        "courses broken into modules that can be taken one at a time, followed by courses run "
        "in the evenings or at weekends, and clearer information about which courses are "
        "funded. A care home manager in Caddlebury summed up a common view: training that fits "
        "around rotas is worth far more than a better course that nobody can attend. "
        "Manufacturers, by contrast, were more interested in access to up-to-date equipment "
        "than in the timing of courses.", cs))
    s.append(P("Information and advice", "h3col"))
    s.append(P(
        "Just under half of employers said that they knew where to go for impartial advice "
        "about training. Awareness was highest among larger businesses and lowest among micro-"
        "businesses and firms that had been trading for less than three years. Employers who "
        "had taken part in a partnership workshop were much more likely to say they knew where "
        "to find help, which suggests that the district workshops are reaching firms that other "
        "channels miss.", cs))
    s.append(NextPageTemplate("normal"))
    s.append(PageBreak())

    s.append(P("6. Net Zero and Digital Skills", "h1"))
    s.append(P(
        "For the first time, the 2025 survey asked employers about the skills they will need "
        "as the economy moves towards net zero and as new digital tools, including artificial "
        "intelligence, become part of everyday work. Among construction and retrofit firms, "
        "demand for low-carbon heating skills was the most striking finding."))
    s.append(callout("Net zero skills in construction",
                     "Only 14% of construction and retrofit firms employed anyone qualified to "
                     "install heat pumps, yet more than half expected to be asked to fit them "
                     "within the next three years."))
    s.append(P(
        "Outside construction, the net zero skills most often mentioned were energy management "
        "in manufacturing and food processing and the maintenance of electric vans and "
        "forklifts in logistics. Most employers said they expected to meet these needs by "
        "retraining existing staff rather than by recruiting."))
    s.append(P(
        "Digital skills were raised by employers in every sector, not only in digital "
        "businesses. Asked about artificial intelligence, 27% of employers said that some of "
        "their staff had used generative AI tools at work in the past year, but only 9% had "
        "provided any training in how to use them safely and well, and most of those were "
        "larger businesses. Employers were divided about the likely effect on jobs: many saw "
        "the tools as a way of saving time on administration, while others were concerned "
        "about accuracy and data protection. Basic digital skills, such as confident use of "
        "spreadsheets and online systems, remained a more common gap than advanced ones."))
    s.append(PageBreak())

    s.append(P("7. Conclusions", "h1"))
    s.append(P(
        "The 2025 survey shows that recruitment has become harder for Wensmoor employers since "
        "2023, especially in care and in construction and retrofit, and that the gap between "
        "larger and smaller businesses in their ability to train has not narrowed. The findings "
        "support the priorities the partnership has set for 2025\u201326, in particular the "
        "emphasis on flexible delivery, on retrofit skills and on reaching employers in the "
        "rural districts. The next survey is planned for 2027."))
    s.append(P("Annex: Interviews by District", "h1"))
    s.append(P(
        "Table 4 shows the number of employers interviewed in each district. District figures "
        "are based on the location of the workplace interviewed; businesses with sites in more "
        "than one district were interviewed about their main site."))
    s.append(table(
        ["District", "Interviews", "Share of all interviews"],
        [["Harrowfield", "342", "29%"],
         ["Caddlebury", "268", "23%"],
         ["Ottersby", "205", "17%"],
         ["Linmouth", "174", "15%"],
         ["Brackenhay", "198", "17%"],
         ["Wensmoor total", "1,187", "100%"]],
        [6.0 * cm, 4.0 * cm, 5.5 * cm], total_row=True))
    s.append(P("Table 4: Interviews by district, 2025. Shares do not sum to 100% because of "
               "rounding.", "caption"))
    doc.multiBuild(s)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    progress_report(os.path.join(OUT, "lsip-progress-report-2024-25.pdf"))
    _pending_notes.clear()
    survey_report(os.path.join(OUT, "employer-skills-survey-2025.pdf"))
    print("built", os.listdir(OUT))
