"""The code generator; not part of the installed package."""
