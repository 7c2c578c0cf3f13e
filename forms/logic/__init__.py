"""The XLSForm expression language that drives a form while it is answered: the parser and
evaluator (`expressions`), its functions (`functions`), regular expressions that run in time
linear in the answer (`patterns`), and the checks a form must pass before it is used
(`checks`: names, references, cycles, which answers are required or refused)."""
