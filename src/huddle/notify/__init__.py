"""Closing the loop: telling each person what became of what they asked for."""
