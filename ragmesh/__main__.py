"""``python -m ragmesh``: the same as the ``ragmesh`` console script."""

from ragmesh.cli import main

raise SystemExit(main())
