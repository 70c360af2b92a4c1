"""A PDF's text as a reader gets it: Debian's pdftotext (poppler-utils; `make poppler`), whitespace folded."""
from __future__ import annotations

import shutil
import subprocess

import pytest

PATIENCE = 30  # seconds pdftotext may take (never a measure of anything)
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils): make poppler")


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          timeout=PATIENCE, check=True)
    return " ".join(done.stdout.decode("utf-8").split())
