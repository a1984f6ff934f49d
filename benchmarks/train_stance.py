"""Train claimgraph's FNC-1 stance model and write the artefact into src/claimgraph/stance/model/.

    python benchmarks/train_stance.py              # full, deterministic (~40 s on 2 cores)
    python benchmarks/train_stance.py --out /tmp/m # elsewhere, e.g. to compare bytes with the shipped one
    python benchmarks/train_stance.py --tune       # early-stopping round on an inner split of the training part

Same as ``python -m claimgraph.stance.train``.
"""

from __future__ import annotations

import sys

from claimgraph.stance.train import main

if __name__ == "__main__":
    sys.exit(main())
