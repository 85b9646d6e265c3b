"""AgentService: plan -> retrieve -> check -> refine within a budget, then answer with a trace."""
