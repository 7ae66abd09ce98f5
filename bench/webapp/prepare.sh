#!/usr/bin/env bash
# Shared by run.sh and capacity.sh (sourced, with $root, $here and $work set): builds the web app, trains the
# peer-sized model on the real pool once, and writes the request bodies (one song, an array of 10,000).
python=/usr/bin/python3
mkdir -p "$work"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
echo "building and training" >&2
dotnet publish "$root/webapp/ChartBuster.Web" -c Release -o "$work/web" -v quiet -nologo >&2
source "$root/bench/real-pool.sh"

"$python" - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
random.seed(7)
def song():
    return {"danceability": round(random.uniform(0.2, 0.9), 3), "energy": round(random.uniform(0.2, 0.95), 3), "key": random.randint(0, 11),
            "loudness": round(random.uniform(-15, -3), 2), "mode": random.randint(0, 1), "speechiness": 0.05, "acousticness": round(random.uniform(0, 0.8), 3),
            "instrumentalness": 0, "liveness": 0.12, "valence": round(random.uniform(0.1, 0.9), 3), "tempo": round(random.uniform(70, 170), 1),
            "duration_ms": random.randint(150000, 300000), "time_signature": 4, "chorus_hit": 35.5, "sections": 10, "decade": 2010}
json.dump(song(), open(f"{work}/single.json", "w"))
json.dump([song() for _ in range(10000)], open(f"{work}/array.json", "w"))
PY


# Every per-client limit lifted: a benchmark is one client measuring the app, not the limits.
unlimited=(RateLimit__PermitsPerSecond=100000000 RateLimit__Burst=100000000 RateLimit__SongsPerSecond=1000000000 RateLimit__SongBurst=1000000000
  RateLimit__PagePermitsPerSecond=100000000 RateLimit__PageBurst=100000000 RateLimit__BatchPermitsPerMinute=100000000 RateLimit__BatchBurst=100000000
  RateLimit__BatchConcurrency=64)
