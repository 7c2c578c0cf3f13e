"""Rapport's domain: every rule about forms, answers, scores and the data kept. No Qt, no
WeasyPrint.

The sub-packages, from the bottom up (each imports only those below it; import-linter
checks this in `make test`):

- `definition`: what a form is (questions, choices, groups, scoring tags) and the limits on
  answers;
- `logic`: the XLSForm expression language (relevance, constraints, calculations), its
  functions and linear-time regular expressions, and the checks a form must pass;
- `scoring`: points per answer, the score and band of a submission, and the metrics (NPS,
  CSAT, CES, Empathy Index) each defined once;
- `authoring`: reading and writing form files (XLSForm workbooks, YAML) and the built-in
  library of forms;
- `storage`: the Store, the only door to the database (tables, migrations, the services that
  start, answer, finalize, review, reopen and void submissions; people, sites, assignments,
  settings);
- `filling`: one evaluation being answered on a screen, autosaved through the Store;
- `exchange`: bundles between laptops, sync with a team server, spreadsheets and CSV;
- `sample`: the demonstration company of `rapport demo`.

Beside them: `vocabulary` (statuses, channels, kinds and their labels), `settings` (the
manager's settings, typed), `files` (atomic writes and the checks on files read) and
`errors`.
"""
