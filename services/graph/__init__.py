"""GraphService: entities and relations from chunks, multi-hop traversal on SQLite."""
