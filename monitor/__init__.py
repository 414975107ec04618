"""amends: watch social media for complaints about a brand and page the owner."""

__version__ = "0.1.0"
