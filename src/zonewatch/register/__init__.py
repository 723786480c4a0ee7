"""The special register of corruption reasons: entries, every version, measures and the live
evidence the analysis runs give for them.
"""
