"""The services ring: use cases.

A use case opens one unit of work, loads what the rules need, calls the rules,
saves, commits, and publishes the events. Services read the clock once per use
case and pass the instant to the rules.
"""
