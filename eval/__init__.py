"""Evaluations of the understanding: the NLU held-out sets, several requests, sentence embeddings, PhoATIS."""
