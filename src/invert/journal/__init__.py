"""The learner's journal as they read it: entries, why-questions, answers and explanations."""
