"""Quality of the enrichment, measured: the public gold sets and the in-house set, beside spaCy alone.

Not part of the runtime package (the wheel ships ``pipeline`` and ``schemas`` only): ``python -m evaluation``
or ``make eval`` run it from a checkout.
"""
