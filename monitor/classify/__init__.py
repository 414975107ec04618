"""Judge: the transformer that scores each mention, its fast path, training and metrics."""
