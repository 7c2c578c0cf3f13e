"""What a form is: its questions, choices, groups and scoring tags (`model`), and the limits
every answer must keep (`limits`). Plain data, no rules that need an answer to run."""
