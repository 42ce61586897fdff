"""The egress proxy benchmark harness (Python 3.11+ standard library only). Entry: ../proxy-bench.py."""
