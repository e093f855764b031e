"""Local intelligence: embeddings, theme discovery, matching, signals and PII masking."""
