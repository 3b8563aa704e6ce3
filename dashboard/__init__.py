"""The web layer: pages, tables, filters, forms, templates, exports and the reads shaped for them.

Views stay thin: a selector reads (row-level permission applied there), a service in
``attorneys`` writes. Nothing below this package imports it.
"""
