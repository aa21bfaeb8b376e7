"""The simulation engine: people, their friendships, the campaign day by day, who pays what.

Bottom room: imports only the leaves (``analysis.paths``, ``analysis.errors``, ``analysis.formats``).
Modules: ``people`` (attributes), ``graphs`` (CSR friendship graphs), ``scenario`` (the validated
parameters), ``campaign`` (one run, both worlds), ``payout`` (the all-or-nothing cheque),
``montecarlo`` (many runs, in parallel), ``design`` (campaign designs compared by Monte Carlo).
"""
