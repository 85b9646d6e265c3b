"""EvaluationService: retrieval metrics on labelled sets, answer-quality signals, A/B experiments."""
