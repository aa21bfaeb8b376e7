"""The return on audience against the return on connection.

Middle room: imports engine, datasets and the leaves. Modules: ``audience``, ``connection``,
``contagion`` (complex contagion on CSR), ``priors``, ``valuelaws``, ``model`` (the Monte Carlo,
tornado, break-even map).
"""
