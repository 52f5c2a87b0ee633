"""Learned routing, the side-effect part: fitting, the model file, loading it, refitting."""
