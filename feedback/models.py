"""Civic reports (随手拍) arrive in a later issue; the app exists so its migrations start clean."""
