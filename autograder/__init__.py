"""Hidden tests for the course, and the tools that run them under nbgrader."""

from autograder.runner import grade

__all__ = ["grade"]
