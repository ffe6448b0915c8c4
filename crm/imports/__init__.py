"""Importing a county's spreadsheets (issue 13): reading files and turning their rows into typed records.

- ``reading``: a file's bytes into sheets of cells (python-calamine, CSV with charset-normalizer), or a
  refusal in Chinese (``UnreadableFile``);
- ``sheets``: one sheet of one kind through header detection and row conversion (``crm.domain.imports``);
- ``messages``: the problems in Chinese.

Nothing here writes to the database; matching, preview and commit build on ``SheetResult`` (docs/IMPORT.md).
"""
