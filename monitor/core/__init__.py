"""The typed values every stage passes on, the one error tree, the settings blocks
sources and the config share, and the ``Platform`` descriptor each source declares."""
