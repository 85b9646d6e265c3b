"""xDS serving, as go-control-plane's pkg/server, pkg/cache and pkg/resource: the ADS
stream (server), snapshots per node (cache), pure builders from registry state to Envoy
resources (resources) and Envoy's bootstrap (bootstrap).
"""
