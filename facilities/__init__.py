"""Capital-facilities tracker: the application shell and the site register."""
