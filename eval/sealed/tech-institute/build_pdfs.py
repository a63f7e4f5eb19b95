"""Build the two real PDFs of the tech-institute sealed fixture.

Run with a Python that has reportlab (a scratch environment, not a product dependency):

    /tmp/pdfvenv3/bin/python eval/sealed/tech-institute/build_pdfs.py

Writes site/downloads/biot-employer-prospectus-2025-26.pdf and
site/downloads/biot-student-funding-guide-2025-26.pdf next to this script.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    FrameBreak,
    HRFlowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

OUT = Path(__file__).resolve().parent / "site" / "downloads"
W, H = A4
MARGIN = 20 * mm
TEAL = colors.HexColor("#0b5563")
LIGHT = colors.HexColor("#e6f0f2")
ORANGE = colors.HexColor("#d9822b")

BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.5, leading=14, spaceAfter=6)
BODY_SANS = ParagraphStyle("bodysans", fontName="Helvetica", fontSize=9.5, leading=13, spaceAfter=6)
H1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=18, leading=22, textColor=TEAL, spaceAfter=10)
H2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=12.5, leading=16, textColor=TEAL, spaceBefore=8,
                    spaceAfter=5)
H3 = ParagraphStyle("h3", fontName="Helvetica-Bold", fontSize=10.5, leading=13, spaceBefore=4, spaceAfter=3)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=10.5)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)
NOTE = ParagraphStyle("note", fontName="Helvetica", fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333"))
QUOTE = ParagraphStyle("quote", fontName="Times-Italic", fontSize=11, leading=15, leftIndent=12, rightIndent=12,
                       textColor=TEAL, spaceBefore=4, spaceAfter=8)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=14, bulletIndent=4, spaceAfter=3)


def numbered_canvas(header_text: str):
    """A canvas class that writes the running header and 'Page X of Y' footer once the page count is known."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved = []

        def showPage(self):  # noqa: N802 - reportlab's naming
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                if self._pageNumber > 1:  # no header or footer on the cover
                    self.setFont("Helvetica", 8)
                    self.setFillColor(TEAL)
                    self.drawString(MARGIN, H - 12 * mm, header_text)
                    self.setStrokeColor(TEAL)
                    self.setLineWidth(0.5)
                    self.line(MARGIN, H - 13.5 * mm, W - MARGIN, H - 13.5 * mm)
                    self.line(MARGIN, 13 * mm, W - MARGIN, 13 * mm)
                    self.setFillColor(colors.black)
                    self.drawString(MARGIN, 9 * mm, "Brackenshire Institute of Technology  |  brackenshire-iot.ac.uk")
                    self.drawRightString(W - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def cover(canv, doc, title: str, subtitle: str, edition: str) -> None:
    canv.saveState()
    canv.setFillColor(TEAL)
    canv.rect(0, H * 0.45, W, H * 0.55, stroke=0, fill=1)
    canv.setFillColor(ORANGE)
    canv.rect(0, H * 0.45 - 6 * mm, W, 6 * mm, stroke=0, fill=1)
    canv.setFillColor(colors.white)
    canv.setFont("Helvetica-Bold", 13)
    canv.drawString(MARGIN, H - 30 * mm, "BRACKENSHIRE INSTITUTE OF TECHNOLOGY")
    canv.setFont("Helvetica-Bold", 32)
    y = H - 90 * mm
    for line in title.split("\n"):
        canv.drawString(MARGIN, y, line)
        y -= 38
    canv.setFont("Helvetica", 14)
    canv.drawString(MARGIN, y - 10, subtitle)
    canv.setFillColor(colors.black)
    canv.setFont("Times-Roman", 12)
    canv.drawString(MARGIN, H * 0.45 - 25 * mm, edition)
    canv.setFont("Helvetica", 10)
    canv.drawString(MARGIN, 40 * mm, "A partnership of Kelbridge College, the University of Brackenshire")
    canv.drawString(MARGIN, 40 * mm - 14, "and employers across Brackenshire.")
    canv.drawString(MARGIN, 25 * mm, "Kelbridge  |  Marlstow  |  Oxhithe")
    canv.restoreState()


def grid_table(rows, widths, zebra=True):
    """A table drawn cell by cell, header row in white on teal."""
    data = [[Paragraph(c, CELL_HEAD) for c in rows[0]]] + [[Paragraph(c, CELL) for c in r] for r in rows[1:]]
    t = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), TEAL),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7a9aa1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if zebra:
        for i in range(2, len(data), 2):
            style.append(("BACKGROUND", (0, i), (-1, i), LIGHT))
    t.setStyle(TableStyle(style))
    return t


def footnotes(*notes):
    items = [Spacer(1, 6), HRFlowable(width="30%", thickness=0.5, color=colors.grey, hAlign="LEFT"), Spacer(1, 2)]
    items += [Paragraph(f"<super>{i}</super> {n}", NOTE) for i, n in enumerate(notes, start=1)]
    return KeepTogether(items)


def bullets(lines, style=BULLET):
    return [Paragraph(line, style, bulletText="\u2022") for line in lines]


# --------------------------------------------------------------------------- employer prospectus
def prospectus(path: Path) -> None:
    doc = BaseDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm, bottomMargin=20 * mm,
        title="Employer Prospectus 2025-26", author="Brackenshire Institute of Technology",
        subject="Training, apprenticeships and services for employers",
    )
    full = Frame(MARGIN, 20 * mm, W - 2 * MARGIN, H - 42 * mm, id="full")
    gap = 8 * mm
    colw = (W - 2 * MARGIN - gap) / 2
    left = Frame(MARGIN, 20 * mm, colw, H - 42 * mm, id="left")
    right = Frame(MARGIN + colw + gap, 20 * mm, colw, H - 42 * mm, id="right")
    cover_frame = Frame(MARGIN, 20 * mm, W - 2 * MARGIN, 30 * mm, id="cover")
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[cover_frame], onPage=lambda c, d: cover(
            c, d, "Employer\nProspectus 2025-26", "Skills for engineering, digital and net zero employers",
            "Edition 1, published September 2025")),
        PageTemplate(id="main", frames=[full]),
        PageTemplate(id="twocol", frames=[left, right]),
    ])

    s = [Spacer(1, 1), NextPageTemplate("main"), PageBreak()]

    # page 2: contents and welcome
    s.append(Paragraph("Contents", H1))
    toc = [("Welcome", 2), ("Why work with us", 3), ("Our training offer at a glance", 4),
           ("Skills Health Check and bespoke training", 5), ("Apprenticeships", 6),
           ("T Level industry placements", 7), ("Working with university students", 8),
           ("Facilities, and a case study", 9), ("Getting started", 10)]
    t = Table([[Paragraph(a, BODY), Paragraph(str(b), BODY)] for a, b in toc], colWidths=[120 * mm, 20 * mm])
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
    s += [t, Spacer(1, 14)]
    s.append(Paragraph("Welcome", H2))
    s.append(Paragraph(
        "Brackenshire's economy runs on technicians: the people who keep production lines moving, networks secure "
        "and, increasingly, homes and businesses heated without gas. Since 2021 the Brackenshire Institute of "
        "Technology has brought together Kelbridge College, the University of Brackenshire and the county's "
        "employers to train exactly those people.", BODY))
    s.append(Paragraph(
        "This prospectus sets out everything we can do for your business in 2025-26, and what it costs. Whether you "
        "employ five people or five thousand, we would like to hear from you.", BODY))
    s.append(Paragraph("Dr Priya Mandeville, Director", ParagraphStyle("sig", parent=BODY, fontName="Times-Italic")))
    s.append(NextPageTemplate("twocol"))
    s.append(PageBreak())

    # page 3: two-column section
    s.append(Paragraph("Why work with us", H1))
    s.append(Paragraph("One partnership, three campuses", H3))
    s.append(Paragraph(
        "We teach at the Kelbridge College campus (Digital Skills Centre and Advanced Manufacturing Hall), at the "
        "University of Brackenshire in Marlstow (Innovation Building and cyber range) and at the Net Zero Centre in "
        "Oxhithe, which opened in June 2025.", BODY))
    s.append(Paragraph("Designed with employers", H3))
    s.append(Paragraph(
        "Five anchor employers sit on our strategic board, and every HTQ has an employer panel that reviews the "
        "content each year. Projects and assignments are set from real problems in local firms.", BODY))
    s.append(Paragraph("In numbers", H3))
    s += bullets(["2,100 learners a year", "620 apprentices in 2024-25", "More than 140 employer partners",
                  "Three specialist campuses"])
    s.append(Paragraph(
        "\u201cWe used to send people to the Midlands for PLC training. Now it's twenty minutes down the road.\u201d "
        "Production manager, Kelbridge", QUOTE))
    s.append(FrameBreak())
    s.append(Paragraph("The Employer Network", H3))
    s.append(Paragraph(
        "Membership of the Employer Network is free for any employer based in Brackenshire. Members receive:", BODY))
    s += bullets([
        "15% off all facility and equipment hire",
        "university student projects at no charge (see page 8)",
        "invitations to our quarterly employer breakfasts",
        "priority booking for funded short course places",
        "a monthly employer bulletin",
    ])
    s.append(Paragraph("Who we work with", H3))
    s.append(Paragraph(
        "Most of our partners are small and medium-sized businesses in advanced manufacturing, marine engineering, "
        "digital services and energy. Our anchor employers are Fenwright Aerostructures, Halden Marine Systems, "
        "NorthCell Data, Tolland Power Networks and Oxhithe Port Authority.", BODY))
    s.append(Paragraph("Our promise", H3))
    s.append(Paragraph(
        "A named contact for your business, straight answers on cost and funding, and a reply to every enquiry "
        "within two working days.", BODY))
    s.append(NextPageTemplate("main"))
    s.append(PageBreak())

    # page 4: offer table
    s.append(Paragraph("Our training offer at a glance", H1))
    s.append(Paragraph(
        "The table below summarises what we offer employers. Costs are for 2025-26 and are the cost to the "
        "employer after any funding.", BODY))
    s.append(Paragraph("Table 1. Employer offer and typical costs, 2025-26", H3))
    s.append(grid_table([
        ["Programme", "Who it is for", "Level", "Length", "Typical cost to employer"],
        ["Short upskilling courses<super>2</super>", "Existing staff", "2 to 5", "Half a day to 4 days",
         "£95 to £895 per person; funded fee of 20% for staff of smaller Brackenshire employers"],
        ["Bespoke in-house training<super>1</super>", "Teams of staff at your premises", "Any", "1 to 5 days",
         "£1,150 per day for up to 12 delegates"],
        ["Part-time HTQs", "Staff moving into technician roles", "4 and 5", "2 to 3 years", "£3,600 to £5,500 per year"],
        ["Apprenticeships", "New recruits or existing staff", "3 to 6", "18 to 48 months",
         "Levy funds, or 5% co-investment (see page 6)"],
        ["T Level industry placements", "Students aged 16 to 19", "3", "At least 315 hours", "No fee"],
        ["Skills Health Check", "Any employer", "n/a", "About 90 minutes on site", "Free"],
    ], [34 * mm, 34 * mm, 14 * mm, 28 * mm, 60 * mm]))
    s.append(Paragraph(
        "Short course dates and fees for the coming term are published on our website and updated each month.", BODY))
    s.append(footnotes(
        "All prices in this prospectus exclude VAT. For bespoke training, delegates beyond 12 are charged at £85 "
        "each per day; trainer travel outside Brackenshire is charged at cost.",
        "Funded short course places are limited to four per employer on each course."))
    s.append(PageBreak())

    # page 5: SHC and bespoke
    s.append(Paragraph("Skills Health Check and bespoke training", H1))
    s.append(Paragraph("The Skills Health Check", H2))
    s.append(Paragraph(
        "A Skills Health Check is the easiest way to start. One of our employer advisers visits your site for about "
        "90 minutes, tours the operation, and talks to you about your plans for the next two to three years: new "
        "equipment, new contracts, people approaching retirement, gaps you are covering with agency staff.", BODY))
    s.append(Paragraph(
        "Within 10 working days you receive a written training plan setting out recommended courses, "
        "apprenticeships and any funding your business can use. There is no charge and no obligation to buy "
        "anything from us.", BODY))
    s.append(Paragraph("Bespoke training at your premises", H2))
    s.append(Paragraph(
        "Any of our short courses can be delivered at your own site, on dates that suit your shift patterns, or we "
        "can write a new course around your equipment and processes. Bespoke training costs £1,150 per day for a "
        "group of up to 12 delegates, including materials and certificates. Courses we design from scratch carry a "
        "one-off development fee, which we quote in advance.", BODY))
    s.append(Paragraph("Popular bespoke subjects in 2024-25 included:", BODY))
    s += bullets(["PLC fault-finding on your own control panels", "Toolbox talks on electrical safety for non-electricians",
                  "Cyber awareness for office and shop-floor staff", "Introduction to lean for team leaders",
                  "Refrigerant handling refreshers for HVAC engineers"])
    s.append(PageBreak())

    # page 6: apprenticeships table
    s.append(Paragraph("Apprenticeships", H1))
    s.append(Paragraph(
        "Employers with a pay bill over £3 million pay the Apprenticeship Levy at 0.5% of their pay bill, less an "
        "annual allowance of £15,000, and use their levy funds to pay for training. Employers who do not pay the "
        "levy pay 5% of the agreed price and the government pays the other 95%. The table shows our agreed price "
        "for each apprenticeship for starts in 2025-26 and what a non-levy employer pays.", BODY))
    s.append(Paragraph("Table 2. Apprenticeship prices for 2025-26 starts", H3))
    s.append(grid_table([
        ["Apprenticeship", "Level", "Typical length", "Agreed price", "Non-levy employer pays (5%)"],
        ["Engineering Technician", "3", "42 months", "£27,000", "£1,350"],
        ["Cyber Security Technician", "3", "18 months", "£15,000", "£750"],
        ["Network Engineer", "4", "24 months", "£16,500", "£825"],
        ["Software Developer", "4", "24 months", "£18,000", "£900"],
        ["Electrical Power Networks Engineer", "4", "36 months", "£21,000", "£1,050"],
        ["Manufacturing Engineer (degree)", "6", "48 months", "£27,000", "£1,350"],
        ["Digital and Technology Solutions Professional (degree)", "6", "36 months", "£24,000", "£1,200"],
    ], [62 * mm, 14 * mm, 26 * mm, 26 * mm, 42 * mm]))
    s.append(Spacer(1, 8))
    s.append(Paragraph(
        "Your 5% contribution is invoiced in equal instalments over the length of the apprenticeship. Employers "
        "receive a £1,000 incentive payment for each apprentice aged 16 to 18 (or aged 19 to 24 with an education, "
        "health and care plan or who has been in care).<super>1</super> Some younger apprentices at smaller "
        "employers are fully funded: ask us to check.", BODY))
    s.append(Paragraph(
        "Small businesses can also apply for a levy transfer from one of our larger partners.<super>2</super> A "
        "transfer covers the full cost of training, so you pay no co-investment.", BODY))
    s.append(footnotes(
        "Paid in two equal instalments, after 90 days and after 365 days of the apprenticeship.",
        "Our partner employers have pledged a pool of £240,000 of levy transfer funding for 2025-26, for "
        "apprenticeships at Brackenshire businesses with fewer than 250 staff. The pool is allocated on a first "
        "come, first served basis."))
    s.append(PageBreak())

    # page 7: T levels
    s.append(Paragraph("T Level industry placements", H1))
    s.append(Paragraph(
        "Every T Level student must complete an industry placement of at least 315 hours, about 45 working days, "
        "over the two years of their course. We run T Levels in digital, engineering and manufacturing, and "
        "building services engineering.", BODY))
    s.append(Paragraph("What you provide", H2))
    s += bullets(["A named supervisor", "An induction including health and safety", "Meaningful work linked to the "
                  "student's course", "A risk assessment and employer's liability insurance",
                  "Feedback at the midpoint and the end of the placement"])
    s.append(Paragraph("What we provide", H2))
    s += bullets(["A placement coordinator who matches you with a student", "A 30-hour work-readiness programme for "
                  "every student before they start", "A visit in the first two weeks",
                  "Free online supervisor training"])
    s.append(Paragraph("Case study: Halden Marine Systems", H2))
    s.append(Paragraph(
        "Halden Marine Systems, an Oxhithe marine electronics firm with 85 staff, hosted six T Level students in "
        "2024-25, on one day a week in their test and integration department. Two of the six have since started "
        "Engineering Technician apprenticeships with the company.", BODY))
    s.append(Paragraph(
        "\u201cThe placement coordinator did the heavy lifting on paperwork. Our job was to give the students real "
        "work, and they rose to it.\u201d Test manager, Halden Marine Systems", QUOTE))
    s.append(PageBreak())

    # page 8: university students
    s.append(Paragraph("Working with university students", H1))
    s.append(Paragraph("Capstone projects", H2))
    s.append(Paragraph(
        "Each year, final-year students at the University of Brackenshire tackle real problems set by local "
        "businesses as their capstone project. A team of three to five students works on your brief for 12 weeks "
        "from February, supervised by an academic, and presents its findings and any prototype to you in May.", BODY))
    s.append(Paragraph(
        "Capstone projects are free for members of our Employer Network. Other businesses pay a fee of £2,000 per "
        "project. Past projects include a condition-monitoring dashboard for a packaging line, a phishing "
        "simulation for a logistics firm, and a heat loss survey of a listed office building.", BODY))
    s.append(Paragraph("Sponsoring an HTQ learner", H2))
    s.append(Paragraph(
        "You can sponsor an existing employee on any of our part-time HTQs. We invoice your business directly, "
        "in three instalments across the year, and send you a progress report each term.", BODY))
    s.append(Paragraph("Knowledge exchange", H2))
    s.append(Paragraph(
        "For longer research and development collaborations, the University's business engagement team can "
        "advise on Knowledge Transfer Partnerships and consultancy.", BODY))
    s.append(PageBreak())

    # page 9: facilities and a case study
    s.append(Paragraph("Facilities, and a case study", H1))
    s.append(Paragraph(
        "Our equipment is available for businesses to hire when it is not being used for teaching, including a "
        "5-axis CNC machining centre, a metal 3D printer, a cyber range, a VR suite and heat pump training bays. "
        "Current hire rates are on our website. Employer Network members receive 15% off.", BODY))
    s.append(Paragraph("Case study: NorthCell Data", H2))
    s.append(Paragraph(
        "NorthCell Data runs two data centres near Marlstow. Faced with a shortage of network engineers, the "
        "company worked with us to create a recruitment route: adults take the Digital Pathway, then join "
        "NorthCell as Network Engineer apprentices. Eleven people have started the route since 2023.", BODY))
    s.append(Paragraph(
        "\u201cWe stopped competing with London for experienced engineers and started growing our own.\u201d "
        "Head of infrastructure, NorthCell Data", QUOTE))
    s.append(PageBreak())

    # page 10: getting started
    s.append(Paragraph("Getting started", H1))
    s += bullets(["<b>1. Get in touch.</b> Call 01632 960410 or email employers@brackenshire-iot.ac.uk.",
                  "<b>2. Book a free Skills Health Check.</b>",
                  "<b>3. Receive your training plan</b> within 10 working days.",
                  "<b>4. Start training</b>, with one named contact throughout."])
    s.append(Spacer(1, 8))
    s.append(Paragraph("Who to contact", H2))
    s.append(grid_table([
        ["For", "Contact", "Phone"],
        ["Training for your staff, Employer Network", "Gareth Oyelaran, Employer Hub Manager", "01632 960410"],
        ["Apprenticeships", "Tom Brightwell, Apprenticeships Lead", "01632 960420"],
        ["T Level placements", "Sinead Kavanagh, T Level Placements Coordinator", "01632 960415"],
        ["Facilities hire", "Marcus Ellery, Facilities Bookings Officer", "01632 960440"],
    ], [55 * mm, 75 * mm, 40 * mm]))
    s.append(Spacer(1, 10))
    s.append(Paragraph(
        "Information in this prospectus was correct at the time of publication in September 2025. Prices apply to "
        "bookings and starts between 1 August 2025 and 31 July 2026.", NOTE))

    doc.build(s, canvasmaker=numbered_canvas("Employer Prospectus 2025-26"))


# --------------------------------------------------------------------------- student funding guide
def funding_guide(path: Path) -> None:
    doc = BaseDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm, bottomMargin=20 * mm,
        title="Student Funding Guide 2025-26", author="Brackenshire Institute of Technology",
    )
    full = Frame(MARGIN, 20 * mm, W - 2 * MARGIN, H - 42 * mm, id="full")
    first = Frame(MARGIN, 20 * mm, W - 2 * MARGIN, H - 75 * mm, id="first")

    def first_page(c, d):
        c.saveState()
        c.setFillColor(TEAL)
        c.rect(0, H - 45 * mm, W, 45 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("Helvetica-Bold", 22)
        c.drawString(MARGIN, H - 25 * mm, "Student Funding Guide 2025-26")
        c.setFont("Helvetica", 11)
        c.drawString(MARGIN, H - 34 * mm, "Paying for your course at the Brackenshire Institute of Technology")
        c.restoreState()

    doc.addPageTemplates([PageTemplate(id="first", frames=[first], onPage=first_page),
                          PageTemplate(id="rest", frames=[full])])

    s = [NextPageTemplate("rest")]
    s.append(Paragraph(
        "This guide explains what our courses cost in 2025-26 and the help available to pay for them, from "
        "government loans to our own bursaries. If you are not sure what you can get, talk to our Admissions and "
        "Student Funding Adviser before you apply.", BODY))
    s.append(Paragraph("1. Course fees for 2025-26", H2))
    s.append(grid_table([
        ["Course", "Mode", "Fee 2025-26"],
        ["HNC Digital Technologies (Network Engineering)", "Full-time, 1 year", "£7,950"],
        ["HNC Digital Technologies (Network Engineering)", "Part-time, 2 years", "£3,975 per year"],
        ["HND Cyber Security", "Full-time, 2 years", "£8,400 per year"],
        ["HNC Manufacturing Engineering", "Part-time, 2 years", "£3,600 per year"],
        ["HND Electrical and Electronic Engineering (Renewable Systems)", "Full-time, 2 years", "£8,250 per year"],
        ["HND Electrical and Electronic Engineering (Renewable Systems)", "Part-time, 3 years", "£5,500 per year"],
        ["Digital Pathway", "Part-time, 10 weeks", "Free for eligible adults<super>1</super>"],
    ], [85 * mm, 40 * mm, 45 * mm]))
    s.append(footnotes("Aged 19 or over and not already holding a full level 3 qualification."))
    s.append(PageBreak())

    s.append(Paragraph("2. Government student finance", H2))
    s.append(Paragraph("Tuition Fee Loan", H3))
    s.append(Paragraph(
        "Because our HNCs and HNDs are higher education courses, UK students can apply to Student Finance England "
        "for a Tuition Fee Loan to cover the full fee, whether they study full-time or part-time. The loan is paid "
        "directly to us, so you pay nothing up front.", BODY))
    s.append(Paragraph("Maintenance Loan", H3))
    s.append(Paragraph(
        "Full-time students can also apply for a Maintenance Loan towards living costs. The amount depends on your "
        "household income and where you live while you study.", BODY))
    s.append(Paragraph("Paying it back", H3))
    s.append(Paragraph(
        "You only start repaying once you have left your course and are earning over the repayment threshold, "
        "which is £25,000 a year for students starting a course from 1 August 2023. Repayments are 9% of what you "
        "earn above the threshold and are taken through your pay.", BODY))
    s.append(Paragraph("How to apply", H3))
    s.append(Paragraph(
        "Apply online through Student Finance England as soon as you have applied for your course; you do not need "
        "a confirmed place first. Apply at least six weeks before your course starts so your funding is in place.",
        BODY))
    s.append(PageBreak())

    s.append(Paragraph("3. Support from the Institute", H2))
    s.append(Paragraph(
        "On top of government funding, we offer our own support. You can apply for more than one of these.", BODY))
    s.append(grid_table([
        ["Support", "Who can get it", "How much", "Apply by"],
        ["IoT Access Bursary", "Full-time HTQ students with a household income below £25,000",
         "£600 a year, paid in two instalments (December and April)",
         "31 October 2025 (September starters); 28 February 2026 (January starters)"],
        ["Travel Grant", "Part-time HTQ and Digital Pathway learners who live 10 miles or more from their campus",
         "Up to £300 a year", "Any time during the year"],
        ["Laptop Loan Scheme", "Any HTQ or Digital Pathway learner without a suitable device",
         "A laptop on loan for the length of your course. £50 refundable deposit (waived for Access Bursary holders)",
         "At enrolment"],
        ["Hardship Fund", "Any enrolled learner facing unexpected costs", "Up to £750 in an academic year",
         "Any time during the year"],
    ], [32 * mm, 50 * mm, 50 * mm, 38 * mm]))
    s.append(Spacer(1, 8))
    s.append(Paragraph(
        "Full-time students with children may also be able to get a Childcare Grant from Student Finance England. "
        "Disabled students can apply for Disabled Students' Allowance; our learning support team will help with "
        "the application.", BODY))
    s.append(PageBreak())

    s.append(Paragraph("4. Applying for Institute support", H2))
    s += bullets([
        "Fill in the online support application form on your student portal once you have enrolled.",
        "Upload evidence of household income: a P60, a Universal Credit statement or a Student Finance England "
        "income assessment letter.",
        "We aim to decide within 15 working days and pay by bank transfer.",
    ])
    s.append(Paragraph("Contact", H2))
    s.append(Paragraph(
        "Leanne Choudhury, Admissions and Student Funding Adviser. Email funding@brackenshire-iot.ac.uk or call "
        "01632 960430.", BODY))
    s.append(Spacer(1, 10))
    s.append(Paragraph(
        "This guide describes support available in the 2025-26 academic year (1 August 2025 to 31 July 2026). "
        "Institute funds are limited and are awarded while money remains.", NOTE))

    doc.build(s, canvasmaker=numbered_canvas("Student Funding Guide 2025-26"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    prospectus(OUT / "biot-employer-prospectus-2025-26.pdf")
    funding_guide(OUT / "biot-student-funding-guide-2025-26.pdf")
    print("written to", OUT)
