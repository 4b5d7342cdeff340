#!/usr/bin/env python3
"""An Airflow-style health check for one connector, for a BashOperator or a sensor.

    check_connector.py http://connect:8083 my-connector

Exit codes: 0 the connector and every task are RUNNING; 1 something FAILED (the trace is
printed); 2 PAUSED, STOPPED, UNASSIGNED or RESTARTING (not an error, not running either);
3 the worker could not be reached or does not know the connector. Works against Kafka
Connect's JVM worker and Sluice alike: it uses only GET /connectors/{name}/status.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 3
    base, name = sys.argv[1].rstrip("/"), sys.argv[2]
    url = f"{base}/connectors/{urllib.parse.quote(name, safe='')}/status"
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            status = json.load(resp)
    except urllib.error.HTTPError as e:
        print(f"{name}: HTTP {e.code} from {url}: {e.read().decode(errors='replace')}")
        return 3
    except (urllib.error.URLError, OSError, ValueError) as e:
        print(f"{name}: cannot read {url}: {e}")
        return 3
    conn = status.get("connector", {})
    tasks = status.get("tasks", [])
    states = [conn.get("state")] + [t.get("state") for t in tasks]
    print(f"{name}: connector {conn.get('state')}, tasks " +
          (", ".join(f"{t.get('id')}={t.get('state')}" for t in tasks) or "none"))
    if "FAILED" in states:
        for t in [conn] + tasks:
            if t.get("state") == "FAILED" and t.get("trace"):
                print(t["trace"].splitlines()[0])
        return 1
    if conn.get("state") == "RUNNING" and tasks and all(s == "RUNNING" for s in states):
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
