"""Running the mesh on one machine (`ragmesh up`): the supervisor of service replicas,
Envoy, Keycloak and Prometheus processes, how they are stopped, and the local network.
"""
