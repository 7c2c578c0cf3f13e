"""How answers become figures: points per answer and a submission's score, band and critical
failures (`points`), and the customer metrics NPS, CSAT and CES (`metrics`). Each figure's
definition lives here once; the reports' method appendix is written from it."""
