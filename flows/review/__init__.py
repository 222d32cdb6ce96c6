"""The review app: storage, server, active learning and imported coding (see README)."""
