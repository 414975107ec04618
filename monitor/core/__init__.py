"""The typed values every stage passes on, and the one error tree."""
