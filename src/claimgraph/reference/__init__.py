"""Reference tables shipped with claimgraph: real-world data, each file naming where it came from.

One module per table (``outlets``, ``places``, ``aliases``, ...), each reading its file under ``data/`` lazily
and caching it. Every data file starts with comment lines (``#``) giving its source and licence.
"""
