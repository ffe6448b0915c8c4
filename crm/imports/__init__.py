"""Importing a county's spreadsheets (issue 13).

- ``reading``: a file's bytes into sheets of cells (python-calamine, CSV with charset-normalizer), or a
  refusal in Chinese (``UnreadableFile``);
- ``sheets``: one sheet of one kind through header detection and row conversion (``crm.domain.imports``);
- ``messages``: the problems in Chinese;
- ``services``: plan an import (writes nothing), commit it through the features' services, revert it;
  one module per kind (``companies``, ``projects``, ``leads``, ``visits``, ``funds``, ``issues``), the shared
  lookups in ``context`` and ``queries``, the ``Import`` record in ``models``; ``cli``: ``crm import``.

See docs/IMPORT.md.
"""
