"""Importing a county's spreadsheets (issue 13), the pure part: no file, no database, no Flask.

- ``fields``: the kinds (projects, companies, …), their fields and the header words that name them;
- ``headers``: where a sheet's header is, which column holds which field, in which unit;
- ``values``: one cell's text into an amount in 万元, a date or month, a choice, 是/否;
- ``words``: the words a sheet uses for each choice (已签约 → 签约 …);
- ``rows``: the data rows into typed records (``records``) or problems with row and column.

Problems are codes (``problems``); ``crm.imports.messages`` says them in Chinese.
"""
