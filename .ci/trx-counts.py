#!/usr/bin/env python3
"""Prints "<passed> <failed>" from a VSTest .trx file (the test runner's own result counters)."""
import sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
root = ET.parse(sys.argv[1]).getroot()
counters = root.find("t:ResultSummary/t:Counters", ns)
passed = int(counters.get("passed", "0"))
failed = int(counters.get("failed", "0")) + int(counters.get("error", "0")) + int(counters.get("timeout", "0")) + int(counters.get("aborted", "0"))
total = int(counters.get("total", "0"))
executed = int(counters.get("executed", "0"))
# A run that executed nothing, or fewer tests than it found, counts as a failure rather than a pass.
if total == 0 or executed < total - int(counters.get("notExecuted", "0")):
    failed = max(failed, 1)
print(passed, failed)
