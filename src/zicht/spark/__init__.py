"""The core's pure functions on a Spark cluster: a network of helplines read where its chats are.

`cluster.py` opens a session on a master (a standalone cluster, or `local[n]`); `jobs.py` reads
a JSONL export in parts and runs profile extraction, screening and suggestion as `mapPartitions`
over the same functions a single machine runs. Linkage runs on Splink's Spark backend
(`zicht.linkage.match.link(..., engine="spark")`) in the same session.
"""
