"""Form files as authors write them: XLSForm workbooks (`xlsform`) and YAML (`yamlform`),
turned into checked definitions (`builder`, `loader`), and the built-in library of forms
Rapport ships (`builtin`, the `library` folder)."""
