"""What leaves the lab: the portfolio site and notebooks."""
