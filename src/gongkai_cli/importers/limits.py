"""The bounds every imported table and every filled-in 台账 is read within, in one place.

A reader checks a source against them before a library builds objects from it (openpyxl makes one object per
merged cell, python-docx resolves vertical merges by recursion): a few kilobytes of XML must never become
gigabytes. The 台账 read-back shares them with import.
"""

from __future__ import annotations

# Rows of a sheet, of a CSV file, lines of a text, rows of a Word document's tables (all tables together).
MAX_ROWS = 100_000
# Columns of a sheet; grid columns of a Word table row (its cells' spans, gridBefore and gridAfter).
MAX_COLUMNS = 64
# Cells a reader lays out: each sheet's rows × columns summed over a workbook, the grid of a Word document's
# tables, the fields of a CSV file or a text.
MAX_CELLS = 1_000_000
# Cells covered by a workbook's merged ranges and hyperlink ranges, summed: openpyxl makes an object for each.
MAX_RANGE_CELLS = 200_000

# The zip container of a Word or Excel file.
MAX_MEMBERS = 1000
# The 总表 of a 2,000-task 台账 (ten times the largest real table) is about 52 MB of sheet XML.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
# Tiny members compress absurdly well without harm; the ratio counts from this size on.
RATIO_FROM_BYTES = 1024 * 1024
