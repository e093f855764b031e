"""Solutions (ideas and initiatives): what the product team might build for the problems it
knows, scored, tagged by the value they deliver or derive, and roadmapped."""
