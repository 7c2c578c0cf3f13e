"""The demonstration company `rapport demo` loads (`company`): sites, agents and a year of
visits, surveys and pulse answers, the same on every run."""
