"""examsim: a terminal exam simulator for hard multiple-choice certifications."""

__version__ = "0.1.0"
