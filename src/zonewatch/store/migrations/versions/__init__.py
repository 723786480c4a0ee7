"""Migration versions, oldest first by revision chain."""
