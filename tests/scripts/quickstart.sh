#!/usr/bin/env bash
# The Leadex reference Quickstart (docs/api.md, "Quickstart"), verbatim but for the base URL and
# the key.
# Usage: quickstart.sh BASE_URL (with LEADEX_API_KEY set). Leaves leads.csv in the current dir.
set -euo pipefail
BASE="$1"
# 1. Create a thread
THREAD=$(curl -sX POST $BASE/threads \
-H "Authorization: Bearer $LEADEX_API_KEY" \
-H "Content-Type: application/json" \
-d '{"title":"Series A FinTech in EU"}' | jq -r .id)
# 2. Send the prompt — the planner runs automatically
JOB=$(curl -sX POST "$BASE/threads/$THREAD/messages" \
-H "Authorization: Bearer $LEADEX_API_KEY" \
-H "Content-Type: application/json" \
-d '{"content":"Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth."}' \
| jq -r .job.id)
# 3. Approve — kicks off research
curl -sX POST "$BASE/jobs/$JOB/approve" \
-H "Authorization: Bearer $LEADEX_API_KEY"
# 4. Stream progress (or poll GET /jobs/$JOB)
curl -N "$BASE/jobs/$JOB/stream" \
-H "Authorization: Bearer $LEADEX_API_KEY"
# 5. Download the CSV
ART=$(curl -s "$BASE/jobs/$JOB" \
-H "Authorization: Bearer $LEADEX_API_KEY" | jq -r .artifact.id)
curl -sLo leads.csv "$BASE/artifacts/$ART" \
-H "Authorization: Bearer $LEADEX_API_KEY"
