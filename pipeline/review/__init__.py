"""Pure logic behind the review app: queue ordering (active learning) and agreement (kappa)."""
