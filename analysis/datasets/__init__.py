"""Real data: the registry and fetch, loaders, the calibration table, readers of the user's files.

Bottom room: imports only the leaves; the engine and the data sets do not import each other
(the command line joins them: ``campaign --snap`` loads the SNAP graph here and runs it there).
Modules: ``registry`` (where each data set lives, its checksum, verification on every use),
``download`` (``fetch``: download or copy, verify, install), ``loaders`` (tidy
frames and CSR graphs), ``calibration`` (data/calibration.csv: the one owner of the reach,
engagement and paid-reach figures), ``userdata`` (the files a researcher brings to
``python -m analysis estimate``).
"""

from analysis.exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "REGISTRY": "registry", "fetch": "download", "status": "registry",
    "load_snap_csr": "loaders", "load_snap_networkx": "loaders", "load_uci_metrics": "loaders",
    "snap_available": "loaders", "uci_available": "loaders",
    "calibration_table": "calibration", "calibration_value": "calibration",
    "calibration_range": "calibration", "calibration_entry": "calibration",
    "read_fans": "userdata", "read_daily": "userdata", "check_window": "userdata",
})
