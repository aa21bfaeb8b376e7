"""``python -m analysis ...``: the kit's command line (see ``python -m analysis --help``)."""

from analysis.cli import main

raise SystemExit(main())
