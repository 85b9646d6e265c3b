"""The product CLI, `ragmesh`: start the mesh, ingest, ask, evaluate, run the agent.

It reaches the mesh only through the rag.v1 contracts (through Envoy) and starts local
processes through ``mesh.local.supervisor``; nothing in ``services/`` or ``mesh/`` imports it.
"""
