"""Write the Markdown data dictionary generated from the pyarrow schemas."""

from __future__ import annotations

import sys
from pathlib import Path

from schemas.dictionary import render_dictionary

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/data_dictionary.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_dictionary(), encoding="utf-8")
    print(f"wrote {out}")
