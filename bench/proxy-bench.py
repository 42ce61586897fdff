#!/usr/bin/env python3
"""Entry point of the proxy benchmark harness (package proxybench beside this file).

    proxy-bench.py [--help] ...      measure proxies side by side (proxybench/cli.py)
    proxy-bench.py upstream ...      run only the upstream server (proxybench/upstream.py)

bench/proxy-bench.sh sets up everything around it (upstream namespace, anchors, our proxy).
"""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if sys.version_info < (3, 11):
    sys.exit("proxy-bench.py needs Python 3.11 or newer")

try:
    if sys.argv[1:2] == ["upstream"]:
        from proxybench import upstream
        sys.exit(upstream.main(sys.argv[2:]))
    from proxybench import cli
    sys.exit(cli.main(sys.argv[1:]))
except KeyboardInterrupt:
    sys.exit(130)  # Ctrl-C: the upstream and temp files are already gone (finally blocks)
