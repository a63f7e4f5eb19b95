"""Build the two downloadable employer guides of the employer-guides dev set (sealed until it was read).

Run with a scratch venv that has reportlab (not a project dependency):
    python3 -m venv /tmp/pdfvenv9 && /tmp/pdfvenv9/bin/pip install reportlab
    /tmp/pdfvenv9/bin/python eval/builders/employer_guides_pdfs.py
"""

import os

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
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
from reportlab.platypus.tableofcontents import TableOfContents

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "sites", "employer-guides", "downloads")
ORG = "Kestrel Valley Chamber of Commerce"

ss = getSampleStyleSheet()
BODY = ParagraphStyle(
    "body",
    parent=ss["Normal"],
    fontName="Times-Roman",
    fontSize=11,
    leading=14.5,
    alignment=TA_JUSTIFY,
    spaceAfter=7,
)
H1 = ParagraphStyle(
    "h1",
    parent=ss["Heading1"],
    fontName="Helvetica-Bold",
    fontSize=15,
    leading=19,
    spaceBefore=10,
    spaceAfter=8,
    textColor=colors.HexColor("#1f3b5a"),
)
H2 = ParagraphStyle(
    "h2",
    parent=ss["Heading2"],
    fontName="Helvetica-Bold",
    fontSize=12,
    leading=15,
    spaceBefore=8,
    spaceAfter=5,
)
TITLE = ParagraphStyle(
    "title",
    parent=ss["Title"],
    fontName="Helvetica-Bold",
    fontSize=24,
    leading=30,
    alignment=TA_CENTER,
    spaceAfter=14,
)
SUB = ParagraphStyle("sub", parent=BODY, alignment=TA_CENTER, fontSize=13, leading=17)
CELL = ParagraphStyle("cell", parent=ss["Normal"], fontName="Helvetica", fontSize=9.5, leading=12)
HEAD = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)
CAP = ParagraphStyle("cap", parent=BODY, fontName="Times-Italic", fontSize=10, spaceBefore=3)
BOX = ParagraphStyle("box", parent=BODY, fontName="Helvetica", fontSize=10.5, leading=14)


class GuideDoc(BaseDocTemplate):
    def __init__(self, filename, title, **kw):
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=24 * mm,
            bottomMargin=22 * mm,
            title=title,
            author=ORG,
            **kw,
        )
        self.guide_title = title
        w, h = A4
        one = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="one")
        gap = 8 * mm
        cw = (self.width - gap) / 2
        left = Frame(self.leftMargin, self.bottomMargin, cw, self.height, id="left")
        right = Frame(self.leftMargin + cw + gap, self.bottomMargin, cw, self.height, id="right")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[one], onPage=lambda c, d: None),
                PageTemplate(id="one", frames=[one], onPage=self.decorate),
                PageTemplate(id="two", frames=[left, right], onPage=self.decorate),
            ]
        )

    def decorate(self, canvas, doc):
        w, h = A4
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(self.leftMargin, h - 14 * mm, self.guide_title)
        canvas.drawRightString(w - self.rightMargin, h - 14 * mm, ORG)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.line(self.leftMargin, h - 15.5 * mm, w - self.rightMargin, h - 15.5 * mm)
        canvas.line(self.leftMargin, 15 * mm, w - self.rightMargin, 15 * mm)
        canvas.drawString(self.leftMargin, 10 * mm, "Skills for Business toolkit")
        canvas.drawRightString(w - self.rightMargin, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def P(text, style=BODY):
    return Paragraph(text, style)


def bullets(items):
    return ListFlowable(
        [ListItem(P(t), leftIndent=12, value="bullet") for t in items],
        bulletType="bullet",
        start="\u2022",
        leftIndent=14,
        bulletFontSize=9,
    )


def table(header, rows, widths, caption):
    data = [[Paragraph(c, HEAD) for c in header]] + [[Paragraph(c, CELL) for c in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3b5a")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a9bb0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef2f7")]),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return KeepTogether([t, P(caption, CAP)])


def callout(title, text, width):
    inner = [P(f"<b>{title}</b>", BOX), P(text, BOX)]
    t = Table([[inner]], colWidths=[width])
    t.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, colors.HexColor("#c0772b")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdf3e6")),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return t


def cover_and_contents(title, subtitle, blurb):
    toc = TableOfContents()
    toc.levelStyles = [
        ParagraphStyle("toc1", fontName="Times-Roman", fontSize=11.5, leading=18, leftIndent=10)
    ]
    return [
        Spacer(1, 60 * mm),
        P(title, TITLE),
        P(subtitle, SUB),
        Spacer(1, 12 * mm),
        P(blurb, SUB),
        Spacer(1, 40 * mm),
        P(ORG + " &middot; Skills for Business", SUB),
        NextPageTemplate("one"),
        PageBreak(),
        P("Contents", H2),
        Spacer(1, 4 * mm),
        toc,
        PageBreak(),
    ]


# ---------------------------------------------------------------- handbook
def handbook():
    path = os.path.join(OUT, "first-apprentice-handbook.pdf")
    title = "Your First Apprentice: an employer handbook"
    doc = GuideDoc(path, title)
    W = doc.width
    s = cover_and_contents(
        "Your First Apprentice",
        "An employer handbook for small firms in the Kestrel Valley",
        "Edition 3, November 2026",
    )
    s += [
        P("1. Why an apprentice might suit your firm", H1),
        P(
            "Most of the owners who ring our advice line about apprenticeships start with the same worry: "
            "they are too small, too busy, or too unsure of the paperwork. This handbook is written for "
            "them. "
            "An apprentice is a paid employee who spends part of the working week learning, with a training "
            "provider guiding the formal side and you guiding the practical side. In return you get someone "
            "trained in the way your business actually works, and research by the Chamber among its own "
            "members found that seven in ten apprentices were still with the same employer two years after "
            "finishing."
        ),
        P(
            "You do not need an HR department. You need a real job with enough to learn in it, someone "
            "willing "
            "to show the ropes, and a little patience during the first few months. The rest of this handbook "
            "takes you through each stage, from planning the role to deciding what happens when the "
            "programme "
            "ends."
        ),
        P("1.1 What the Chamber does for you", H2),
        P(
            "Our Apprenticeships Adviser, Priya Halloway, visits your premises, helps you choose a standard "
            "and a "
            "training provider, and writes the job advert with you. Our free Apprentice Match service then "
            "advertises the post, sifts applicants and arranges interviews. None of this costs you anything, "
            "whether or not you are a Chamber member."
        ),
        P("2. Before you advertise", H1),
        P(
            "A little planning now saves a great deal of trouble later. Work through the checklist below "
            "before "
            "the advert goes live; if you can tick every item, you are ready."
        ),
        bullets(
            [
                "Employer's liability insurance is in place and covers a new starter.",
                "You run a payroll, or have a bookkeeper who can add the apprentice to one.",
                "You have written down the tasks the apprentice will do in the first month.",
                "A named person, not the line manager, has agreed to act as the apprentice's buddy.",
                "You have spoken to at least one training provider about the right standard.",
                "You know which days the apprentice will spend on study, and who covers their work.",
                "The contract offers at least 30 hours a week if you intend to claim the Starter Grant.",
            ]
        ),
        P("2.1 Writing the advert", H2),
        P(
            "Keep it short and honest. Say what a normal day looks like, what the apprentice will learn, "
            "what "
            "you pay, and where the job is. Younger applicants often read adverts on a phone, so lead with "
            "the "
            "facts that matter to them: pay, hours, location and how to get there by bus. Avoid long lists "
            "of "
            "qualifications you do not really need; they put off good people who assume they will not be "
            "considered."
        ),
        PageBreak(),
        P("3. The Kestrel Valley Apprentice Starter Grant", H1),
        P(
            "The Starter Grant helps with the costs of the first year: the time your staff spend training "
            "the "
            "new starter, equipment, uniform and the like. It is paid per apprentice, and the amount depends "
            "on how many people are on your payroll on the day the apprentice starts. The grant is paid in "
            "two "
            "parts. The first instalment is 40% of the grant and follows once the apprentice has completed "
            "their early weeks with you; the balance is paid when they reach their first anniversary. Table "
            "1 "
            "sets out the amounts and timings."
        ),
        table(
            [
                "Staff on payroll<br/>at start date",
                "Grant per<br/>apprentice",
                "First instalment<br/>paid after",
                "Balance<br/>paid after",
            ],
            [
                ["1 to 9", "£1,500", "8 weeks", "52 weeks"],
                ["10 to 49", "£1,250", "8 weeks", "52 weeks"],
                ["50 to 249", "£600", "12 weeks", "52 weeks"],
                ["250 or more", "Not eligible", "n/a", "n/a"],
            ],
            [W * 0.28, W * 0.24, W * 0.26, W * 0.22],
            (
                "Table 1: Starter Grant amounts by size of firm. Weeks are counted from the apprentice's "
                "start date."
            ),
        ),
        Spacer(1, 4 * mm),
        callout(
            "Don't miss the claim deadline",
            "Your Starter Grant claim must reach us within 45 days of the apprentice's first day at work. "
            "We cannot accept late claims for any reason, so put the date in your diary the day you "
            "make the offer. A copy of the signed apprenticeship agreement must come with the claim.",
            W,
        ),
        Spacer(1, 4 * mm),
        P(
            "If the apprentice leaves before the first instalment is due, no grant is paid. If they leave "
            "after the first instalment but before their anniversary, you keep the first instalment and the "
            "balance is not paid. We never ask for money back unless a claim turns out to have been false."
        ),
        P("4. Pay, study time and check-ins", H1),
        P(
            "The Chamber runs the Kestrel Valley Fair Pay Pledge, a voluntary promise by local employers to "
            "pay "
            "apprentices more than the legal minimum. Signing up is not a condition of the Starter Grant, "
            "but "
            "pledge employers tell us it makes a real difference to the number and quality of applicants. "
            "Table 2 shows the pledge rates for 2027 alongside the study time and mentor check-ins we "
            "recommend for each age group."
        ),
        table(
            [
                "Apprentice's age",
                "Fair Pay Pledge<br/>hourly rate",
                "Paid study time<br/>each week",
                "Mentor check-in<br/>every",
            ],
            [
                ["16 to 17", "£8.35", "7 hours", "4 weeks"],
                ["18 to 20", "£10.05", "6 hours", "6 weeks"],
                ["21 to 24", "£11.60", "6 hours", "8 weeks"],
                ["25 and over", "£12.40", "5 hours", "8 weeks"],
            ],
            [W * 0.25, W * 0.25, W * 0.25, W * 0.25],
            "Table 2: Fair Pay Pledge rates for 2027, with recommended study time and check-in intervals.",
        ),
        P(
            "Study time is part of the working week and must be paid. It can be taken as a regular day, a "
            "few hours here and there, or in blocks at the provider, as long as the weekly average holds up "
            "over the programme. Mentor check-ins are short, informal conversations, separate from the "
            "provider's formal progress reviews."
        ),
        NextPageTemplate("two"),
        PageBreak(),
        P("5. The first twelve weeks", H1),
        P(
            "Most apprentices who drop out do so in the first three months, and most of them say afterwards "
            "that they never felt they belonged. A simple plan makes the difference. On this page, the left "
            "column is the plan for you; the right column is what the apprentice should notice."
        ),
        P("5.1 Your welcome plan", H2),
        P(
            "<b>Before day one.</b> Send a friendly letter with the start time, who to ask for, what to wear "
            "and where to park or which bus to catch. Ask the buddy to send a short message too."
        ),
        P(
            "<b>Week 1.</b> Keep it light: a tour, introductions, health and safety, and one real task that "
            "can be finished by Friday. Lunch with the buddy on the first day."
        ),
        P(
            "<b>Weeks 2 to 4.</b> Build up the routine. Agree the study day with the provider and protect "
            "it. "
            "Hold the first mentor check-in at the interval shown in Table 2."
        ),
        P(
            "<b>Week 7.</b> Hold the first formal review in week 7, with the provider's tutor present. Look "
            "back "
            "at the tasks written down before the advert went out and agree which ones come next."
        ),
        P(
            "<b>Weeks 8 to 12.</b> Hand over a small area of responsibility that is theirs alone, and "
            "celebrate the first time they get it right without help."
        ),
        P("5.2 What the apprentice should see", H2),
        P(
            "A buddy who is not their line manager, and who has time set aside to answer daft questions. "
            "New starters ask far more of a buddy than of a boss."
        ),
        P(
            "A clear picture of their week: which days are for work, which hours are for study, and who to "
            "tell if they are ill or running late."
        ),
        P(
            "Feedback little and often. A quick word after a job well done does more than a long review "
            "months later."
        ),
        P(
            "Proof that they matter: their name on the rota, a locker or a mug, an invitation to the team "
            "night out. Small things, but the apprentices we interview mention them every time."
        ),
        P(
            "A route forward. By the end of week 12 they should know what they will be able to do by the "
            "end of the programme, and what might come after it."
        ),
        NextPageTemplate("one"),
        PageBreak(),
        P("6. When the programme ends", H1),
        P(
            "The end of an apprenticeship is a decision point for both of you. Most employers offer a "
            "permanent post, often with a pay rise and a new job title to mark the change. To encourage "
            "this, "
            "firms that keep their apprentice on in a permanent job for at least six months after they "
            "finish "
            "can claim a Retention Bonus of £400 from the Chamber, paid once per apprentice. Talk to Priya "
            "about the claim form when the end-point assessment is booked."
        ),
        P(
            "If you cannot offer a permanent job, tell the apprentice early and help them look elsewhere; "
            "the "
            "Apprentice Match service will advertise their skills to other local firms free of charge. Many "
            "employers take on a second apprentice once the first has finished, and the Starter Grant can be "
            "claimed again for a new starter."
        ),
        P("6.1 Useful contacts", H2),
        bullets(
            [
                "Apprenticeships Adviser: Priya Halloway, 01632 960 412.",
                (
                    "Drop-in clinics in Kestrelford, Dunholme and Saltrigg: see the Contacts page of our "
                    "website."
                ),
                "Levy Share Kestrel, if a larger firm could fund your apprentice's training: Dermot "
                "Quennell, "
                "01632 960 437.",
            ]
        ),
        P(
            "We update this handbook every year. If something in it no longer matches your experience, "
            "please tell us: the best improvements have come from employers who have been through it."
        ),
    ]
    doc.multiBuild(s)
    return path


# ---------------------------------------------------------------- levy guide
def levy_guide():
    path = os.path.join(OUT, "levy-share-guide.pdf")
    title = "Levy Share Kestrel: a guide for givers and receivers"
    doc = GuideDoc(path, title)
    W = doc.width
    s = cover_and_contents(
        "Levy Share Kestrel", "A guide for levy payers who give and small firms who receive", "2027 edition"
    )
    s += [
        P("1. What levy sharing is", H1),
        P(
            "Large employers pay the apprenticeship levy every month, and many of them never spend all of it "
            "on their own apprentices. The rules allow a levy payer to transfer part of its unspent funds to "
            "other employers, who can then use them to pay for apprenticeship training and assessment. Levy "
            "Share Kestrel is the Chamber's way of making those transfers simple and keeping the money in "
            "the "
            "valley. Since the scheme began in 2022, 41 levy payers have made pledges through it, and their "
            "funds have paid for the training of 236 apprentices in small firms across Kestrelford, Dunholme "
            "and Saltrigg."
        ),
        P(
            "The Chamber does not hold any of the money. Transfers are made between employers on the "
            "government's apprenticeship service; our job is to find good matches, check that receivers are "
            "ready, and report back to givers on how their funds are being used. There is no fee for either "
            "side."
        ),
        P("2. For givers: making a pledge", H1),
        P(
            "A pledge is a promise to transfer up to a set amount over the coming year. You decide the "
            "total, "
            "and you can ask us to favour a particular sector or town. Each pledge falls into one of three "
            "bands. The band sets how much of your pledge we reserve for firms with fewer than 50 staff, the "
            "smallest number of apprentices we aim to support with it, and how often you hear from us."
        ),
        table(
            [
                "Pledge band",
                "Share reserved for<br/>firms under 50 staff",
                "Apprentices supported<br/>(at least)",
                "Progress report<br/>every",
            ],
            [
                ["Bronze: £5,000 to £24,999", "50%", "1", "12 weeks"],
                ["Silver: £25,000 to £99,999", "60%", "4", "8 weeks"],
                ["Gold: £100,000 or more", "75%", "10", "4 weeks"],
            ],
            [W * 0.34, W * 0.24, W * 0.22, W * 0.20],
            "Table 1: Pledge bands. A pledge can be moved up a band at any time during the year.",
        ),
        P("2.1 The giver's checklist", H2),
        bullets(
            [
                "Check with your finance team how much levy is likely to go unspent this year.",
                "Agree the pledge with whoever signs off spending; we need their name on the pledge form.",
                "Decide whether you want to favour a sector, a town or a type of apprenticeship.",
                "Make sure someone can approve transfer requests on the apprenticeship service promptly.",
                "Tell us who should receive the progress reports.",
            ]
        ),
        PageBreak(),
        P("3. For receivers: applying for funds", H1),
        P(
            "Any employer with a workplace in the Kestrel Valley and fewer than 250 staff can apply, "
            "including "
            "registered charities. You need a clear apprenticeship role, a training provider who has agreed "
            "to deliver the standard, and an account on the apprenticeship service. Applications are "
            "accepted "
            "in three windows a year, shown in Table 2. We aim to give you a decision within the time shown, "
            "counted from the date the window closes."
        ),
        table(
            ["Funding window", "Applications<br/>open", "Applications<br/>close", "Decision<br/>within"],
            [
                ["Spring", "1 March 2027", "26 March 2027", "3 weeks"],
                ["Summer", "1 June 2027", "25 June 2027", "4 weeks"],
                ["Autumn", "6 September 2027", "1 October 2027", "5 weeks"],
            ],
            [W * 0.25, W * 0.26, W * 0.26, W * 0.23],
            (
                "Table 2: Funding windows for 2027. The summer decision takes longer because of the holiday "
                "season."
            ),
        ),
        Spacer(1, 4 * mm),
        callout(
            "Remember",
            "Transferred funds pay for apprenticeship training and assessment only: never wages, travel, "
            "equipment or uniforms. Once a giver accepts your request, your apprentice must start within "
            "90 days, or the match lapses and you will need to apply again in a later window.",
            W,
        ),
        Spacer(1, 4 * mm),
        P("3.1 What makes a strong application", H2),
        P(
            "We look for a real job with a future, a provider who has confirmed the start date, and an "
            "employer who has thought about supervision. Firms that have been to one of our matching lunches "
            "or drop-in clinics usually write the clearest applications, because they have already had "
            "their questions answered. First-time employers are welcome; about a third of last year's "
            "receivers had never had an apprentice before."
        ),
        NextPageTemplate("two"),
        PageBreak(),
        P("4. Stories from the valley", H1),
        P(
            "Two firms, one on each side of a transfer, told us how it went. Their stories are printed side "
            "by "
            "side: the giver on the left, the receiver on the right."
        ),
        P("4.1 The giver", H2),
        P(
            "Tenterfield Precision Castings employs around 400 people at its foundry on the edge of "
            "Kestrelford. Its finance director, Marcus Ebdon, noticed that the company was leaving a large "
            "part of its levy unspent each year."
        ),
        P(
            "In 2025 the company pledged £60,000 through Levy Share Kestrel, asking us to favour engineering "
            "and food manufacturing firms in Saltrigg, where many of its own staff live."
        ),
        P(
            '"We were paying the levy anyway," Marcus says. "Now it trains people who might one day '
            "supply us or work for us. The reports tell the board exactly where the money went, which made "
            'it an easy decision to pledge again."'
        ),
        P(
            "The pledge has since moved up a band, and the company now sends an engineer to our matching "
            "lunches to talk to would-be receivers."
        ),
        P("4.2 The receiver", H2),
        P(
            "Moss and Larkin is a family bakery in Saltrigg with eleven staff. Owner Hannah Larkin wanted to "
            "train new bakers but could not see how to pay for the course on top of wages."
        ),
        P(
            "Through the summer window the bakery was matched with Tenterfield's pledge, and it took on 3 "
            "apprentice bakers in September 2025. The transfer covered the full cost of their training."
        ),
        P(
            '"The paperwork on the government site looked frightening," Hannah admits. "Dermot sat with '
            'me at the Saltrigg clinic and we did it together in under an hour."'
        ),
        P(
            "Two of the three have now finished and stayed on, and the bakery has opened a second shop in "
            "Dunholme."
        ),
        NextPageTemplate("one"),
        PageBreak(),
        P("5. Questions and contacts", H1),
        P(
            "Most questions can be answered in a five-minute call. Our Levy Share Coordinator, Dermot "
            "Quennell, "
            "looks after both givers and receivers and can be reached on 01632 960 437. He also attends the "
            "Dunholme and Saltrigg drop-in clinics, and runs the matching lunch each February, where levy "
            "payers and small firms meet face to face."
        ),
        P(
            "If a transfer goes wrong, for example because an apprentice leaves early, tell us straight "
            "away. "
            "Unused funds return to the giver, and we will try to find another receiver for the rest of the "
            "pledge so that the money is not lost to the valley."
        ),
        bullets(
            [
                "Givers: send the pledge form at any time of year.",
                "Receivers: apply during a funding window, using the form on our website.",
                (
                    "Everyone: read the Chamber's guide to taking on your first apprentice if you are new to "
                    "this."
                ),
            ]
        ),
    ]
    doc.multiBuild(s)
    return path


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for p in (handbook(), levy_guide()):
        print("wrote", p)
