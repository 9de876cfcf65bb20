"""The stations REST API: serializers (output), inputs (query parameters), views, geocode."""
