from __future__ import annotations

import sys
from pathlib import Path

# the hand-built corpora are shared with the claims tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "claims"))
