"""Benchmarks: each module prints figures and asserts nothing about speed."""
