"""Annotation I/O: the span corpus, worksheets, BIO export, annotation-tool formats, validation."""
