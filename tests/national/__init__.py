"""Tests pinned to the July 2026 national edition: they use the national store and carry the ``national`` marker."""
