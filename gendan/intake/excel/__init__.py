"""Importing orders from Excel (.xlsx): the template, and reading a file into a preview."""
