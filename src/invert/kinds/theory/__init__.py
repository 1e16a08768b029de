"""Theory: concept cards, derivations checked by SymPy, the rule toolkit and its review schedule."""
