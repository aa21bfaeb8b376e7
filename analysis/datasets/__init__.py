"""Real data: the registry and fetch, loaders, the calibration table, readers of the user's files.

Bottom room: imports only the leaves. Modules: ``registry`` (where each data set lives, its checksum,
``fetch``), ``loaders`` (tidy frames and CSR graphs), ``calibration`` (data/calibration.csv),
``userdata`` (the files a researcher brings to ``python -m analysis estimate``).
"""
