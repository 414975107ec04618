"""Respond: what a complaint is about, how urgent it is, and the reply draft with its follow-up."""
