"""From rounds to figures: medians over rounds (every round's value kept), added latency against
`direct` in the same round, the text table, and the pass/miss lines of a comparison."""
from __future__ import annotations

import statistics

# (summary key, test, field in the test's result)
FIGURES = [
    ("lat_p50_us", "latency", "p50_us"), ("lat_p90_us", "latency", "p90_us"),
    ("lat_p99_us", "latency", "p99_us"),
    ("tunnels_per_s", "rate", "per_s"), ("tunnel_MBps", "bulk", "MBps"),
    ("fwd_req_per_s", "forward", "per_s"), ("fwd_conns_per_req", "forward", "conns_per_req"),
    ("tls_lat_p50_us", "tls-latency", "p50_us"), ("tls_lat_p99_us", "tls-latency", "p99_us"),
    ("tls_MBps", "tls-bulk", "MBps"),
]
# proxy CPU per operation of each test, and what an operation is
CPU_UNITS = {"latency": "us/iteration", "rate": "us/tunnel", "bulk": "us/MB", "forward": "us/request",
             "tls-latency": "us/iteration", "tls-bulk": "us/MB"}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _per_round(rounds, name, test, pick):
    return [pick(rd["results"].get(name, {}).get(test, {})) for rd in rounds]


def summarize(rounds: list[dict], names: list[str], tests: list[str]) -> dict:
    summary = {}
    for name in names:
        s = {}
        for key, test, fld in FIGURES:
            values = [v for v in _per_round(rounds, name, test, lambda r: r.get(fld)) if v is not None]
            if values:
                s[key], s[key + "_rounds"] = median(values), values
        if name != "direct":
            for test, prefix in (("latency", "lat"), ("tls-latency", "tls_lat")):
                for p in ("p50", "p90", "p99"):
                    added = []
                    for rd in rounds:
                        mine = rd["results"].get(name, {}).get(test, {}).get(p + "_us")
                        base = rd["results"].get("direct", {}).get(test, {}).get(p + "_us")
                        if mine is not None and base is not None:
                            added.append(mine - base)
                    if added:
                        s[f"{prefix}_added_{p}_us"], s[f"{prefix}_added_{p}_us_rounds"] = median(added), added
        for test in tests:
            errors = sum(_per_round(rounds, name, test, lambda r: r.get("errors", 0)))
            if errors:
                s.setdefault("errors", {})[test] = errors
            cpu = {}
            for k in ("proxy_us_per_op", "proxy_cores", "proxy_s", "client_cores", "upstream_cores"):
                values = [v for v in _per_round(rounds, name, test, lambda r: r.get("cpu", {}).get(k))
                          if v is not None]
                if values:
                    cpu[k] = median(values)
                    if k == "proxy_us_per_op":
                        cpu[k + "_rounds"] = values
            if cpu:
                cpu["unit"] = CPU_UNITS[test]
                s.setdefault("cpu", {})[test] = cpu
        summary[name] = s
    return summary


def fmt(v, digits=0) -> str:
    return "-" if v is None else f"{v:,.{digits}f}"


def table(summary: dict, names: list[str], tests: list[str], header: str) -> str:
    w = max(10, max(len(n) for n in names) + 2)
    out = [header, "medians over rounds; latency = one whole new tunnel (connect, CONNECT, GET /small, close), us;"
           " +pN = target - direct in the same round"]
    h = (f"{'target':<{w}}{'p50':>8}{'p90':>8}{'p99':>8} |{'+p50':>7}{'+p90':>7}{'+p99':>7} |"
         f"{'tunnels/s':>10}{'tun MB/s':>10}{'fwd req/s':>10}{'conn/req':>9}  errors")
    out += [h, "-" * len(h)]
    for n in names:
        s = summary[n]
        errors = ",".join(f"{k}:{v}" for k, v in s.get("errors", {}).items()) or "0"
        out.append(f"{n:<{w}}{fmt(s.get('lat_p50_us')):>8}{fmt(s.get('lat_p90_us')):>8}{fmt(s.get('lat_p99_us')):>8} |"
                   f"{fmt(s.get('lat_added_p50_us')):>7}{fmt(s.get('lat_added_p90_us')):>7}"
                   f"{fmt(s.get('lat_added_p99_us')):>7} |{fmt(s.get('tunnels_per_s')):>10}"
                   f"{fmt(s.get('tunnel_MBps')):>10}{fmt(s.get('fwd_req_per_s')):>10}"
                   f"{fmt(s.get('fwd_conns_per_req'), 2):>9}  {errors}")
    if "tls-latency" in tests or "tls-bulk" in tests:
        out += ["", "TLS 1.3 inside the tunnel (new tunnel + handshake + GET /small + close; /bulk MB/s)",
                f"{'target':<{w}}{'p50':>8}{'p99':>8} |{'+p50':>7}{'+p99':>7} |{'MB/s':>8}"]
        for n in names:
            s = summary[n]
            out.append(f"{n:<{w}}{fmt(s.get('tls_lat_p50_us')):>8}{fmt(s.get('tls_lat_p99_us')):>8} |"
                       f"{fmt(s.get('tls_lat_added_p50_us')):>7}{fmt(s.get('tls_lat_added_p99_us')):>7} |"
                       f"{fmt(s.get('tls_MBps')):>8}")
    out += ["", "per round:"]
    for key, label in (("lat_added_p50_us", "+p50 us"), ("lat_p50_us", "p50 us"), ("tunnels_per_s", "tunnels/s"),
                       ("tunnel_MBps", "tunnel MB/s"), ("fwd_req_per_s", "fwd req/s"),
                       ("tls_lat_added_p50_us", "tls +p50 us"), ("tls_MBps", "tls MB/s")):
        parts = [f"{n} " + "/".join(fmt(v) for v in summary[n][key + "_rounds"])
                 for n in names if summary[n].get(key + "_rounds")]
        if parts:
            out.append(f"  {label:<12} " + "   ".join(parts))
    out += ["", "CPU (medians; cores = CPU seconds per wall second during the test; client, upstream and proxy"
            " share the machine)",
            f"  {'target':<{w}}{'test':<13}{'client':>7}{'upstrm':>7}{'proxy':>7}  proxy CPU per operation"]
    for n in names:
        for test in tests:
            c = summary[n].get("cpu", {}).get(test)
            if not c:
                continue
            if "proxy_us_per_op" not in c:
                cost = ""
            elif c.get("proxy_s", 1) < 0.05:
                cost = "(under 50 ms of CPU: too coarse)"
            else:
                cost = f"{fmt(c['proxy_us_per_op'], 1)} {c['unit']}  (" + "/".join(
                    fmt(v) for v in c["proxy_us_per_op_rounds"]) + ")"
            out.append(f"  {n:<{w}}{test:<13}{fmt(c.get('client_cores'), 2):>7}{fmt(c.get('upstream_cores'), 2):>7}"
                       f"{fmt(c.get('proxy_cores'), 2):>7}  {cost}")
    return "\n".join(out)


def criteria(summary: dict, ours: str, anchor: str) -> list[dict]:
    """What must hold for `ours` against `anchor` (Squid): CPU per new tunnel no more than the
    anchor's, added p50 per new tunnel within 10 % of the anchor's, forward keep-alive req/s at
    least 1.5 times the anchor's."""
    a, b = summary.get(ours, {}), summary.get(anchor, {})

    def cpu(s):
        return s.get("cpu", {}).get("rate", {}).get("proxy_us_per_op")

    rows = [("proxy CPU per new tunnel (us)", cpu(a), cpu(b), lambda x, y: x <= y, "<= anchor"),
            ("added p50 per new tunnel (us)", a.get("lat_added_p50_us"), b.get("lat_added_p50_us"),
             lambda x, y: x <= 1.10 * y, "<= 1.10 x anchor"),
            ("forward keep-alive req/s", a.get("fwd_req_per_s"), b.get("fwd_req_per_s"),
             lambda x, y: x >= 1.5 * y, ">= 1.5 x anchor")]
    out = []
    for label, x, y, ok, rule in rows:
        verdict = None if x is None or y is None else ok(x, y)
        out.append({"figure": label, ours: x, anchor: y, "rule": rule,
                    "ratio": (x / y) if x is not None and y else None,
                    "verdict": {True: "met", False: "MISSED", None: "not measured"}[verdict]})
    return out


def criteria_text(rows: list[dict], ours: str, anchor: str) -> str:
    out = [f"criteria, {ours} against {anchor}:"]
    for r in rows:
        out.append(f"  {r['figure']:<32} {ours} {fmt(r[ours], 1):>9}  {anchor} {fmt(r[anchor], 1):>9}  "
                   f"ratio {fmt(r['ratio'], 2):>5}  ({r['rule']})  {r['verdict']}")
    return "\n".join(out)


def rounded(obj, digits: int = 2):
    if isinstance(obj, float):
        return round(obj, digits) if obj == obj and abs(obj) != float("inf") else None
    if isinstance(obj, dict):
        return {k: rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v, digits) for v in obj]
    return obj
