"""Balancing: what Envoy's access log says about each endpoint (access_log, observer,
endpoint_state) and the policy turning latency into weights (policy). The endpoints
themselves are mesh/registry.py, the state every part of the control plane reads.
"""
