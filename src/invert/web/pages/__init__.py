"""One module per page family; each holds a FastAPI router that calls the `Lab` facade."""
