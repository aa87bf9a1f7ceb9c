"""The sun: solar geometry, UV index and the vitamin D-weighted dose."""
