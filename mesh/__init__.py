"""The control plane, in parts (as go-control-plane shows its own):

- ``mesh/xds``: xDS serving: the ADS stream (server), snapshots per node (cache), builders from
  registry state to Envoy resources (resources) and Envoy's bootstrap (bootstrap).
- ``mesh/balancing``: what Envoy's access log says about each endpoint and the policy that
  turns latency into weights.
- ``mesh/local``: running the mesh on one machine (``ragmesh up``): the supervisor, Envoy,
  Keycloak and Prometheus processes.
- Here: the service catalogue, the endpoint registry, the control plane that ties them
  together (and its ``MeshControlService``), its metrics, edge auth and Envoy's admin API.

The product CLI is ``ragmesh/``; services never import ``mesh``.
"""
