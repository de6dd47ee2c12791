#!/usr/bin/env python3
"""Latency of POST /v1alpha1/comments:analyze as Coral Talk calls it (one keep-alive connection,
Coral's exact body), against a running talkback. Prints p50/p99/max in milliseconds as JSON.

    TALKBACK_API_KEYS=coral:bench-key-123456 talkback serve &
    scripts/perspective_latency.py --url http://127.0.0.1:8080 --key bench-key-123456 -n 2000
"""
import argparse
import http.client
import json
import time
import urllib.parse

TEXTS = [
    "Thanks for the reporting, the timeline of the evening makes the whole thing much clearer.",
    "You are a complete idiot and everyone here knows it.",
    "Someone should go to his house and shoot him, that would end this.",
    "The council should publish the full budget before the vote, not after it. Voters deserve to "
    "see where the money for the new bus lanes is coming from and what will be cut to pay for it.",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--key", required=True)
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=5)
    path = "/v1alpha1/comments:analyze?key=" + urllib.parse.quote(args.key)
    samples = []
    for i in range(args.n):
        body = json.dumps({"comment": {"text": TEXTS[i % len(TEXTS)]}, "doNotStore": True,
                           "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]})
        started = time.perf_counter()
        conn.request("POST", path, body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status}: {payload[:200]!r}")
    samples.sort()
    pick = lambda p: round(samples[min(len(samples) - 1, int(p / 100 * len(samples)))], 3)
    print(json.dumps({"requests": args.n, "p50_ms": pick(50), "p99_ms": pick(99), "max_ms": round(samples[-1], 3)}))


if __name__ == "__main__":
    main()
