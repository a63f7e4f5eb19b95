"""`connector eval`: the dev and sealed question sets, asked through the real pipeline and scored.

items.py (the question format), sets.py (which files and sites), site_server.py and pdf.py (a fixture
site served on 127.0.0.1), run.py (ask and score), score.py (what counts as right), sealed_logs.py
(nothing of a sealed set reaches the logs), report.py (the printed figures), command.py (the command).
"""
