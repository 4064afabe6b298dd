"""Views over the core's output: pages, tables and plots made from bulletins and their records.

A view may import core modules (``ie.reading``, ``ie.schema``, ...), never ``ie.research`` or
``ie.cli``; the core never imports a view (``tests/test_layers.py`` checks both).
"""
