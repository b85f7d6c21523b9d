"""“Read also”: related articles computed in the background and stored."""
