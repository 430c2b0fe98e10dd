"""bilateral: a relational archive of bilateral relations between countries, filled from news."""

__version__ = "0.1.0"
